package dev.mtls.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What a command sees of the world: where results and errors go, the environment variables,
 * standard input, and the signal that stops a long-running server command. The {@code main}
 * method passes the process's own; tests pass captured streams and their own environment.
 */
final class CliContext {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> environment;
  private final InputStream stdin;
  private final CountDownLatch stop = new CountDownLatch(1);

  CliContext(PrintWriter out, PrintWriter err, Map<String, String> environment, InputStream stdin) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.environment = Map.copyOf(environment);
    this.stdin = Objects.requireNonNull(stdin, "stdin");
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** Returns an environment variable, or null if it is unset. */
  String environment(String name) {
    return environment.get(name);
  }

  InputStream stdin() {
    return stdin;
  }

  /** Blocks until {@link #stop()} is called (servers run until then, or until the JVM exits). */
  void awaitStop() throws InterruptedException {
    stop.await();
  }

  /** Ends a running server command. */
  void stop() {
    stop.countDown();
  }
}
