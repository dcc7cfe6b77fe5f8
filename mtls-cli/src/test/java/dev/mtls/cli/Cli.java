package dev.mtls.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

  /** Starts a long-running command (a server) on a thread of its own. */
  Running start(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context = new CliContext(new PrintWriter(out, true), new PrintWriter(err, true), environment,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.run(context, args));
    return new Running(context, code, out, err);
  }

  /** A command running on its own thread. */
  static final class Running implements AutoCloseable {
    private final CliContext context;
    private final CompletableFuture<Integer> code;
    private final StringWriter out;
    private final StringWriter err;

    Running(CliContext context, CompletableFuture<Integer> code, StringWriter out, StringWriter err) {
      this.context = context;
      this.code = code;
      this.out = out;
      this.err = err;
    }

    /** Waits for the first line of standard output, the ready line of a server. */
    String awaitFirstLine() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        String text = out.toString();
        int end = text.indexOf('\n');
        if (end >= 0) {
          return text.substring(0, end);
        }
        if (code.isDone()) {
          throw new IllegalStateException("ended before its first line: exit " + code.join() + "; " + err);
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException("no first line within 20 s; stderr: " + err);
    }

    String out() {
      return out.toString();
    }

    /** Stops the command and returns its exit code. */
    int stop() throws Exception {
      context.stop();
      return code.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      context.stop();
      code.orTimeout(20, TimeUnit.SECONDS).join();
    }
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
