package dev.mtls.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs the command in-process with captured output, an environment of its own and given stdin. */
final class Cli {
  private final Map<String, String> environment = new HashMap<>();
  private String stdin = "";

  Cli env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  Cli stdin(String text) {
    stdin = text;
    return this;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context = new CliContext(new PrintWriter(out, true), new PrintWriter(err, true), environment,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    int code = Main.run(context, args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result mtls(String... args) {
    return new Cli().run(args);
  }

  /** What a run printed and returned. */
  record Result(int code, String out, String err) {
    String firstLine() {
      return out.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
