package dev.mtls.pki;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code openssl} command in a directory, for interoperability tests. Skips the test if
 * openssl is not installed; fails it with openssl's standard error if a command fails.
 */
final class OpenSsl {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path dir;

  private OpenSsl(Path dir) {
    this.dir = dir;
  }

  /** An openssl runner working in the given directory; skips the test without openssl. */
  static OpenSsl in(Path dir) {
    OpenSsl openssl = new OpenSsl(dir);
    try {
      openssl.start(List.of("version")).waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (IOException e) {
      Assumptions.assumeTrue(false, "openssl not installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return openssl;
  }

  /** Runs {@code openssl args...} and returns its standard output. */
  String run(String... args) {
    return execute(false, args);
  }

  /**
   * Runs {@code openssl args...} and returns its standard error followed by its standard output
   * (some results, such as {@code verify OK}, go to standard error).
   */
  String runWithErrors(String... args) {
    return execute(true, args);
  }

  private String execute(boolean withErrors, String... args) {
    try {
      Path out = Files.createTempFile(dir, "openssl", ".out");
      Path err = Files.createTempFile(dir, "openssl", ".err");
      List<String> command = new ArrayList<>(List.of(args));
      ProcessBuilder builder = builder(command);
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("openssl " + String.join(" ", args) + " timed out after " + TIMEOUT_SECONDS + " s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      Files.delete(out);
      Files.delete(err);
      if (process.exitValue() != 0) {
        fail("openssl " + String.join(" ", args) + " exited with " + process.exitValue() + ":\n"
            + stderr + stdout);
      }
      return withErrors ? stderr + stdout : stdout;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Process start(List<String> args) throws IOException {
    ProcessBuilder builder = builder(new ArrayList<>(args));
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  private ProcessBuilder builder(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(args);
    return new ProcessBuilder(command).directory(dir.toFile());
  }

  /** Reads a certificate with the JDK alone, as an oracle independent of this module's reader. */
  static X509Certificate readCertificate(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** Reads a CRL with the JDK alone. */
  static X509CRL readCrl(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    }
  }

  /** The path of a file in the working directory. */
  Path file(String name) {
    return dir.resolve(name);
  }
}
