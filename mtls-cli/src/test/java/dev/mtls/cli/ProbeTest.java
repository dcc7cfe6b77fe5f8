package dev.mtls.cli;

import static dev.mtls.cli.Cli.mtls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes a real mTLS HTTPS server on loopback: JSSE server sockets configured by the library, with
 * certificates the command issued. It answers 200 to alice and 403 to anyone else.
 */
class ProbeTest {
  @TempDir
  static Path dir;

  private static TlsServer tls;
  private static TestHttpsServer server;
  private static String url;

  private static String p(String name) {
    return dir.resolve(name).toString();
  }

  @BeforeAll
  static void startServer() throws Exception {
    assertThat(mtls("ca", "create", "--dir", p("ca")).code()).isZero();
    assertThat(mtls("ca", "create", "--dir", p("other"), "--subject", "CN=Other CA").code()).isZero();
    assertThat(mtls("issue", "server", "--ca", p("ca"), "--name", "localhost", "--ip", "127.0.0.1",
        "--out", p("out")).code()).isZero();
    for (String name : new String[] {"alice", "bob"}) {
      assertThat(mtls("issue", "client", "--ca", p("ca"), "--name", name, "--out", p("out")).code()).isZero();
    }
    assertThat(mtls("issue", "client", "--ca", p("other"), "--name", "mallory", "--out", p("out")).code()).isZero();

    tls = Mtls.server()
        .identity(IdentitySource.pemFiles(dir.resolve("out/localhost.crt"), dir.resolve("out/localhost.key")))
        .trust(TrustSource.pemFile(dir.resolve("ca/ca.crt")))
        .build();
    server = new TestHttpsServer(tls);
    url = "https://127.0.0.1:" + server.port() + "/";
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
    tls.close();
  }

  @Test
  void alice_getsThrough_andSeesTheHandshakeAndChain() throws Exception {
    Cli.Result result = mtls("probe", url, "--cert", p("out/alice.crt"), "--key", p("out/alice.key"),
        "--trust", p("ca/ca.crt"));

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.firstLine()).isEqualTo("OK");
    assertThat(result.out()).contains("  handshake    TLSv1.3, TLS_")
        .contains("  our cert     CN=alice (sent)")
        .contains("    [0] CN=localhost  issuer CN=mtls development CA")
        .contains("  http         200  hello alice");

    JsonNode json = Json.MAPPER.readTree(mtls("probe", url, "--cert", p("out/alice.crt"), "--key",
        p("out/alice.key"), "--trust", p("ca/ca.crt"), "--json").out());
    assertThat(json.get("result").asText()).isEqualTo("OK");
    assertThat(json.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(json.get("serverChain").get(0).get("subject").asText()).isEqualTo("CN=localhost");
    assertThat(json.get("failure").isNull()).isTrue();
  }

  @Test
  void bob_isDeniedWith403_exit1() {
    Cli.Result result = mtls("probe", url, "--cert", p("out/bob.crt"), "--key", p("out/bob.key"),
        "--trust", p("ca/ca.crt"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.firstLine()).isEqualTo("REJECTED");
    assertThat(result.out()).contains("  http         403  forbidden: not on the allow-list")
        .contains("access policy does not allow this client");
  }

  @Test
  void noClientCertificate_isRefusedByTheServer_andTheAlertExplained() throws Exception {
    Cli.Result result = mtls("probe", url, "--trust", p("ca/ca.crt"), "--json");

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    JsonNode json = Json.MAPPER.readTree(result.out());
    assertThat(json.get("result").asText()).isEqualTo("REJECTED");
    // JSSE servers answer a missing certificate with bad_certificate up to JDK 21 and with
    // TLS 1.3's certificate_required since (OpenSSL's: see below).
    String alert = json.get("failure").get("alert").asText();
    assertThat(alert).isIn("bad_certificate", "certificate_required");
    assertThat(json.get("failure").get("explanation").asText())
        .startsWith(alert.equals("bad_certificate")
            ? "the server refused the handshake for want of a valid client certificate."
            : "the server requires a client certificate and none was sent (TLS 1.3 alert 116).")
        .endsWith(" We sent no client certificate: give --cert and --key.");
  }

  @Test
  void opensslServer_requiringACertificate_sendsCertificateRequired_andAcceptsAlice() throws Exception {
    OpenSsl.assumeAvailable();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
        p("out/localhost.crt"), "-key", p("out/localhost.key"), "-CAfile", p("ca/ca.crt"), "-Verify", "1",
        "-tls1_3", "-www").redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = lines.readLine();
      while (line != null && !line.equals("ACCEPT")) {
        line = lines.readLine();
      }
      assertThat(line).isEqualTo("ACCEPT");
      String openssl = "https://127.0.0.1:" + port + "/";

      Cli.Result anonymous = mtls("probe", openssl, "--trust", p("ca/ca.crt"));
      assertThat(anonymous.code()).as(anonymous.toString()).isEqualTo(1);
      assertThat(anonymous.out()).contains("  failed at    http (alert certificate_required from the server)")
          .contains("  why          the server requires a client certificate and none was sent");

      Cli.Result alice = mtls("probe", openssl, "--cert", p("out/alice.crt"), "--key", p("out/alice.key"),
          "--trust", p("ca/ca.crt"));
      assertThat(alice.code()).as(alice.toString()).isZero();
      assertThat(alice.out()).contains("  http         200");
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientOfAnotherCa_isRefusedByTheServer_exit1() throws Exception {
    Cli.Result result = mtls("probe", url, "--cert", p("out/mallory.crt"), "--key", p("out/mallory.key"),
        "--trust", p("ca/ca.crt"), "--json");

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    JsonNode failure = Json.MAPPER.readTree(result.out()).get("failure");
    assertThat(failure.get("reason").isNull()).isTrue();
    // The server refuses our certificate with an alert, and closes. Whether the alert reaches us
    // depends on timing: a server that closes with our next handshake record unread resets the
    // connection, and a reset can destroy the alert. Either way the verdict is the server's.
    if (failure.get("alert").isNull()) {
      assertThat(failure.get("explanation").asText()).as(failure.toString())
          .contains("closed the connection").contains("refused");
    } else {
      assertThat(failure.get("alert").asText()).isIn("bad_certificate", "certificate_unknown", "unknown_ca");
      assertThat(failure.get("explanation").asText()).startsWith("the server");
    }
  }

  @Test
  void serverOfAnUntrustedCa_isRejectedByUs_withTheLibrarysReason() {
    Cli.Result result = mtls("probe", url, "--cert", p("out/alice.crt"), "--key", p("out/alice.key"),
        "--trust", p("other/ca.crt"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.firstLine()).isEqualTo("REJECTED");
    assertThat(result.out()).contains("    [0] CN=localhost  issuer CN=mtls development CA")
        .contains("  why          we rejected the server's certificate (UNTRUSTED_ISSUER)");
  }

  @Test
  void wrongHostName_isRejectedByUs_asNameMismatch() {
    String byName = url.replace("127.0.0.1", "localhost");
    Cli.Result result = mtls("probe", byName, "--cert", p("out/alice.crt"), "--key", p("out/alice.key"),
        "--trust", p("ca/ca.crt"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).contains("we rejected the server's certificate (NAME_MISMATCH)");
  }

  @Test
  void connectionRefused_exits3() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Cli.Result result = mtls("probe", "https://127.0.0.1:" + port + "/", "--trust", p("ca/ca.crt"));

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).isEqualTo(
        "mtls probe: connection refused by 127.0.0.1:" + port + ": nothing listens there\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void plainHttpUrl_is2() {
    Cli.Result result = mtls("probe", "http://127.0.0.1:1/");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("mtls probe: URL 'http://127.0.0.1:1/': expected https://HOST[:PORT]/PATH\n");
  }
}
