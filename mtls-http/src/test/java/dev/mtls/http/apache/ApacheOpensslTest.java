package dev.mtls.http.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.http.apache.ApacheHttpClientsTest.Answer;
import dev.mtls.http.apache.ApacheHttpClientsTest.Http;
import dev.mtls.http.apache.ApacheHttpClientsTest.Kind;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Apache clients against {@code openssl s_server}, a TLS stack other than the JDK's, which
 * requires a client certificate and answers with a page describing the session. Skipped if
 * openssl is not installed.
 */
class ApacheOpensslTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey CLIENT = CA.client("billing");
  private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)$");

  @TempDir Path dir;

  /** {@code openssl s_server -www} on a loopback port, until closed. */
  private final class OpensslServer implements AutoCloseable {
    private final Process process;
    private final int port;

    OpensslServer(CertifiedKey identity) throws IOException, InterruptedException {
      Files.writeString(dir.resolve("server.pem"), Pem.writeCertificates(identity.chain()));
      Files.writeString(dir.resolve("server.key"), Pem.writePrivateKey(identity.privateKey()));
      Files.writeString(dir.resolve("clients-ca.pem"), Pem.writeCertificates(CA.certificate()));
      try {
        process = new ProcessBuilder(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-www",
            "-cert", "server.pem", "-key", "server.key", "-CAfile", "clients-ca.pem", "-Verify", "2"))
            .directory(dir.toFile()).redirectErrorStream(true).start();
      } catch (IOException e) {
        Assumptions.assumeTrue(false, "openssl not installed: " + e.getMessage());
        throw e;
      }
      this.port = awaitPort();
    }

    private int awaitPort() throws IOException {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
        Matcher accept = ACCEPT.matcher(line);
        if (accept.find()) {
          Thread drain = new Thread(() -> drain(out), "openssl-output");
          drain.setDaemon(true);
          drain.start();
          return Integer.parseInt(accept.group(1));
        }
      }
      return fail("openssl s_server ended without accepting:\n" + seen);
    }

    private static void drain(BufferedReader out) {
      try {
        while (out.readLine() != null) {
          // Keeps the pipe from filling up.
        }
      } catch (IOException e) {
        // The process was destroyed.
      }
    }

    URI uri() {
      return URI.create("https://localhost:" + port + "/");
    }

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

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_presentsItsIdentityToOpensslWithTheConfiguredProtocolAndSuite(Kind kind) throws Exception {
    try (OpensslServer openssl = new OpensslServer(CA.server("localhost"));
        TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
            .protocols("TLSv1.2").cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").listeners().build();
        Http http = ApacheHttpClientsTest.http(kind, client)) {
      Answer answer = http.get(openssl.uri());

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).contains("Protocol  : TLSv1.2", "Cipher    : ECDHE-ECDSA-AES128-GCM-SHA256",
          "Verify return code: 0 (ok)", "Client certificate", Pem.writeCertificates(CLIENT.certificate()).strip());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_refusesAnOpensslServerNamedOnlyByItsCommonName(Kind kind) throws Exception {
    CertifiedKey commonNameOnly = CA.leaf(CertificateRole.SERVER).commonName("localhost").issue();
    try (OpensslServer openssl = new OpensslServer(commonNameOnly);
        TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
            .listeners().build();
        Http http = ApacheHttpClientsTest.http(kind, client)) {
      Throwable failure = catchThrowable(() -> http.get(openssl.uri()));

      assertThat(failure).isInstanceOf(SSLException.class);
      assertThat(ApacheHttpClientsTest.verificationFailure(failure).reason()).isEqualTo(FailureReason.NAME_MISMATCH);
    }
  }
}
