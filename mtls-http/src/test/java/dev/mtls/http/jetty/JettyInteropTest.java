package dev.mtls.http.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.AccessControl;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl and openssl s_client against Jetty with an mtls server configuration (client auth REQUIRED). */
class JettyInteropTest {
  private static final TestCa CA = TestCa.create();

  @TempDir Path dir;

  private TlsServer tls;
  private JettyHttps https;
  private Path caFile;
  private TestFiles.PemIdentity client;

  @BeforeEach
  void start() throws Exception {
    caFile = TestFiles.writeCertificates(dir, "ca.crt", CA.certificate());
    client = TestFiles.writePem(dir, "client", CA.client("billing"));
    tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).listeners().build();
    AccessControl access = AccessControl.builder(tls)
        .policy(AccessPolicy.builder().allow("cn:billing", "GET", "/hello/**").build()).build();
    https = JettyHttps.start(tls, new AccessControlHandler(access, JettyHttps.answering(request ->
        ((MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE)).getName() + " "
            + request.getConnectionMetaData().getProtocol())));
  }

  @AfterEach
  void stop() {
    https.close();
    tls.close();
  }

  /** The exit code and the merged standard output and error of a command. */
  private record Result(int exitCode, String output) {}

  private Result run(String stdin, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
    } catch (IOException e) {
      Assumptions.assumeTrue(false, command[0] + " is not installed");
      throw e;
    }
    try (var input = process.getOutputStream()) {
      input.write(stdin.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // The command may end before it reads its input: openssl s_client does, once the server
      // refuses the handshake. Its exit code and output tell what happened.
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end in 20 s: " + Files.readString(out));
    }
    return new Result(process.exitValue(), Files.readString(out));
  }

  private Result curl(boolean withCertificate, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "15",
        "--cacert", caFile.toString(), "--write-out", " %{http_code} HTTP/%{http_version}"));
    if (withCertificate) {
      command.addAll(List.of("--cert", client.certificateChain().toString(), "--key", client.privateKey().toString()));
    }
    command.addAll(List.of(options));
    command.add("https://localhost:" + https.port() + "/hello/world");
    return run("", command.toArray(String[]::new));
  }

  private Result sClient(boolean withCertificate) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + https.port(),
        "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", caFile.toString(),
        "-verify_return_error", "-ign_eof"));
    if (withCertificate) {
      command.addAll(List.of("-cert", client.certificateChain().toString(), "-key", client.privateKey().toString()));
    }
    return run("GET /hello/world HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        command.toArray(String[]::new));
  }

  @Test
  void curl_withTheClientCertificate_gets200OverHttp11AndHttp2() throws Exception {
    Result http11 = curl(true, "--http1.1");
    Result http2 = curl(true, "--http2");

    assertThat(http11.exitCode()).as(http11.output()).isZero();
    assertThat(http11.output()).isEqualTo("cn:billing HTTP/1.1 200 HTTP/1.1");
    assertThat(http2.exitCode()).as(http2.output()).isZero();
    assertThat(http2.output()).isEqualTo("cn:billing HTTP/2.0 200 HTTP/2");
  }

  @Test
  void curl_withoutACertificate_failsTheHandshake() throws Exception {
    Result result = curl(false);

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).doesNotContain("cn:billing").contains(" 000 ");
  }

  @Test
  void opensslSClient_withTheClientCertificate_completesAndGets200() throws Exception {
    Result result = sClient(true);

    assertThat(result.output()).contains("Verify return code: 0 (ok)").contains("HTTP/1.1 200 OK")
        .contains("cn:billing HTTP/1.1");
  }

  @Test
  void opensslSClient_withoutACertificate_isRejected() throws Exception {
    Result result = sClient(false);

    // JDK 17 answers a missing certificate with bad_certificate, later JDKs with certificate_required.
    assertThat(result.output()).containsPattern("alert (bad certificate|certificate required)")
        .doesNotContain("HTTP/1.1 200");
  }
}
