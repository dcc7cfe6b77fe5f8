package dev.mtls.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs benchmarks (JMH command-line options apply, e.g. a regular expression of benchmarks) and
 * prints, per benchmark class, the median of every measurement iteration across forks and the
 * ratio of each reference to mtls's method in the same run. Ratios above 1 mean mtls is faster.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mtls.benchmarks.Ratios</pre>
 */
public final class Ratios {
  private Ratios() {}

  /**
   * Runs the benchmarks and prints the medians and ratios.
   *
   * @param args JMH command-line options
   * @throws RunnerException if JMH fails
   * @throws CommandLineOptionException if the options do not parse
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    Map<String, Map<String, Double>> medians = new TreeMap<>();
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark();
      int dot = label.lastIndexOf('.');
      String group = label.substring(0, dot).replaceAll(".*\\.", "");
      List<Double> scores = new ArrayList<>();
      result.getBenchmarkResults().forEach(b -> {
        for (IterationResult iteration : b.getIterationResults()) {
          scores.add(iteration.getPrimaryResult().getScore());
        }
      });
      medians.computeIfAbsent(group, g -> new TreeMap<>()).put(label.substring(dot + 1), median(scores));
    }
    System.out.println();
    System.out.println("Java " + Runtime.version() + ": medians (lower is faster) and ratios");
    medians.forEach((group, methods) -> {
      String mtls = methods.keySet().stream().filter(m -> m.startsWith("mtls")).findFirst().orElse(null);
      methods.forEach((method, value) -> {
        String ratio = mtls == null || method.equals(mtls)
            ? "" : String.format("  %s/%s = %.2f", method, mtls, value / methods.get(mtls));
        System.out.printf("%-28s %-26s %12.1f%s%n", group, method, value, ratio);
      });
    });
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
