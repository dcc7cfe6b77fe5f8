package dev.mtls.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Command line: {@code java -jar conformance.jar limbo IN.json OUT.json}. */
public final class Main {
  private Main() {}

  /**
   * Runs a suite and writes the results.
   *
   * @param args {@code limbo}, the limbo.json to read, the results file to write
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3 || !args[0].equals("limbo")) {
      System.err.println("usage: java -jar conformance.jar limbo IN.json OUT.json");
      System.exit(2);
      return;
    }
    List<LimboHarness.Outcome> outcomes = LimboHarness.run(Path.of(args[1]));
    LimboHarness.write(outcomes, Path.of(args[2]));
    System.out.println(Summary.of(outcomes).line());
  }
}
