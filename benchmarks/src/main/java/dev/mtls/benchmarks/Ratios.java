package dev.mtls.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs benchmarks (JMH command-line options apply, e.g. a regular expression of benchmarks) and
 * prints, per benchmark class, the median of every measurement iteration across forks and the
 * ratio of each reference to mtls's method in the same run. Ratios above 1 mean mtls is faster.
 * A benchmark that measures its variants in turn ({@link JettyRequestBenchmark#interleaved}) is
 * reported from its counters instead: per variant, the median over iterations of microseconds
 * per request, and the median of the iterations' ratios to mtls's variant.
 * After CRL benchmarks it also prints the heap retained by a loaded CRL ({@link CrlHeap}).
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
    Map<String, Map<String, Double>> allocations = new TreeMap<>();
    Map<String, Map<String, Double>> interleaved = new TreeMap<>();
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark();
      int dot = label.lastIndexOf('.');
      StringBuilder group = new StringBuilder(label.substring(0, dot).replaceAll(".*\\.", ""));
      for (String key : result.getParams().getParamsKeys()) {
        group.append(' ').append(key).append('=').append(result.getParams().getParam(key));
      }
      List<Double> scores = new ArrayList<>();
      List<Double> allocated = new ArrayList<>();
      Map<String, List<Double>> blocks = new TreeMap<>();
      result.getBenchmarkResults().forEach(b -> {
        for (IterationResult iteration : b.getIterationResults()) {
          blocks(iteration, blocks);
          scores.add(iteration.getPrimaryResult().getScore());
          iteration.getSecondaryResults().forEach((name, value) -> {
            if (name.endsWith("gc.alloc.rate.norm")) {
              allocated.add(value.getScore());
            }
          });
        }
      });
      String method = label.substring(dot + 1);
      if (blocks.isEmpty()) {
        medians.computeIfAbsent(group.toString(), g -> new TreeMap<>()).put(method, median(scores));
      } else { // its primary score mixes the variants: reported from its counters instead
        Map<String, Double> values = interleaved.computeIfAbsent(group + "." + method, g -> new TreeMap<>());
        blocks.forEach((name, list) -> values.put(name, median(list)));
      }
      if (!allocated.isEmpty()) {
        allocations.computeIfAbsent(group.toString(), g -> new TreeMap<>()).put(method, median(allocated));
      }
    }
    print("Java " + Runtime.version() + ": medians of the primary score (lower is faster)", medians);
    if (!interleaved.isEmpty()) {
      System.out.println();
      System.out.println("Variants measured in turn in the same seconds: medians over iterations of µs per request,");
      System.out.println("and of each iteration's ratio to mtls (ratios in one iteration, then their median)");
      interleaved.forEach((benchmark, values) -> values.forEach((name, value) -> System.out.printf(
          name.contains("/") ? "%-44s %-40s %8.3f%n" : "%-44s %-40s %8.1f%n", benchmark, name, value)));
    }
    if (!allocations.isEmpty()) {
      print("Bytes allocated per operation (medians, -prof gc)", allocations);
    }
    if (medians.keySet().stream().anyMatch(group -> group.startsWith("Crl"))) {
      print("MiB of heap retained by one loaded CRL of " + CrlFixture.ENTRIES + " entries ("
          + CrlHeap.class.getSimpleName() + ")", CrlHeap.measure());
    }
  }

  /**
   * Reads an iteration's counters of variants measured in turn ({@code xNanos} and
   * {@code xRequests} for each variant x): adds each variant's microseconds per request, and its
   * ratio to the mtls variant in the same iteration, to the lists by name.
   */
  private static void blocks(IterationResult iteration, Map<String, List<Double>> lists) {
    Map<String, Double> micros = new TreeMap<>();
    iteration.getSecondaryResults().forEach((name, nanos) -> {
      if (!name.endsWith("Nanos")) {
        return;
      }
      String variant = name.substring(0, name.length() - "Nanos".length());
      Result<?> requests = iteration.getSecondaryResults().get(variant + "Requests");
      if (requests != null && requests.getScore() > 0) {
        micros.put(variant, nanos.getScore() / requests.getScore() / 1000);
      }
    });
    String mtls = mtlsOf(micros.keySet());
    micros.forEach((variant, value) -> {
      lists.computeIfAbsent(variant, v -> new ArrayList<>()).add(value);
      if (mtls != null && !variant.equals(mtls)) {
        lists.computeIfAbsent(variant + "/" + mtls, v -> new ArrayList<>()).add(value / micros.get(mtls));
      }
    });
  }

  static void print(String title, Map<String, Map<String, Double>> medians) {
    System.out.println();
    System.out.println(title + " and ratios to mtls");
    medians.forEach((group, methods) -> {
      String mtls = mtlsOf(methods.keySet());
      methods.forEach((method, value) -> {
        String ratio = mtls == null || method.equals(mtls)
            ? "" : String.format("  %s/%s = %.2f", method, mtls, value / methods.get(mtls));
        System.out.printf("%-44s %-24s %12.1f%s%n", group, method, value, ratio);
      });
    });
  }

  /** The mtls variant among benchmark methods or variants: the one named {@code mtls...}; null if none. */
  private static String mtlsOf(Collection<String> names) {
    return names.stream().filter(name -> name.startsWith("mtls")).findFirst().orElse(null);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
