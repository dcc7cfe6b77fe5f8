package dev.mtls.pki;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command for interoperability tests; skips the test if it is absent. */
final class OpenSsl {
  private OpenSsl() {}

  static void assumeAvailable() {
    boolean available;
    try {
      available = new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (IOException e) {
      available = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      available = false;
    }
    assumeTrue(available, "openssl is not installed");
  }

  /** Runs openssl in a directory and returns its standard output and error; fails on exit != 0. */
  static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("openssl timed out: " + command);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + command
          + "\n" + output);
    }
    return output;
  }

  static X509Certificate readCertificate(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static X509CRL readCrl(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    }
  }

  static void writePem(Path file, String label, byte[] der) throws IOException {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    Files.writeString(file, "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label
        + "-----\n", StandardCharsets.US_ASCII);
  }
}
