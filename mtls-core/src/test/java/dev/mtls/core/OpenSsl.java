package dev.mtls.core;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code openssl} command in a directory, for interoperability tests: commands that end
 * ({@link #run}) and servers that run until closed ({@link #start}). Skips the test if openssl is
 * not installed; fails it with openssl's output if a command fails or does not end in time.
 */
final class OpenSsl {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;

  private OpenSsl(Path dir) {
    this.dir = dir;
  }

  /** An openssl runner working in the given directory; skips the test without openssl. */
  static OpenSsl in(Path dir) {
    OpenSsl openssl = new OpenSsl(dir);
    try {
      Process version = builder(dir, List.of("version")).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!version.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        version.destroyForcibly();
      }
    } catch (IOException e) {
      Assumptions.assumeTrue(false, "openssl not installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return openssl;
  }

  /**
   * Runs {@code openssl args...} and returns its standard error followed by its standard output
   * (some results, such as {@code Response verify OK}, go to standard error).
   */
  String run(String... args) {
    try {
      Path out = Files.createTempFile(dir, "openssl", ".out");
      Path err = Files.createTempFile(dir, "openssl", ".err");
      Process process = builder(dir, List.of(args))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          fail("openssl " + String.join(" ", args) + " did not end within " + TIMEOUT);
        }
      } finally {
        process.destroyForcibly();
      }
      String output = Files.readString(err, StandardCharsets.UTF_8)
          + Files.readString(out, StandardCharsets.UTF_8);
      Files.delete(out);
      Files.delete(err);
      if (process.exitValue() != 0) {
        fail("openssl " + String.join(" ", args) + " exited with " + process.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts {@code openssl args...}, a server, and waits until a line of its output (standard
   * output and error together) contains {@code ready}.
   */
  Server start(String ready, String... args) {
    Process process;
    try {
      process = builder(dir, List.of(args)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run openssl", e);
    }
    Server server = new Server(process, String.join(" ", args));
    boolean started = false;
    try {
      server.await(ready);
      started = true;
      return server;
    } finally {
      if (!started) {
        server.close();
      }
    }
  }

  private static ProcessBuilder builder(Path dir, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(args);
    return new ProcessBuilder(command).directory(dir.toFile());
  }

  /** A running openssl server; {@link #close()} destroys it. */
  static final class Server implements AutoCloseable {
    private final Process process;
    private final String command;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();

    private Server(Process process, String command) {
      this.process = process;
      this.command = command;
      Thread reader = new Thread(this::read, "openssl-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The process was destroyed.
      }
    }

    /** Waits for a line that contains the text; fails with everything printed so far. */
    void await(String text) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      try {
        while (true) {
          String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (line == null) {
            fail("openssl " + command + " printed no line with '" + text + "' within " + TIMEOUT
                + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                + ":\n" + seen);
          }
          seen.append(line).append('\n');
          if (line.contains(text)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Destroys the process and waits for it to end. */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
