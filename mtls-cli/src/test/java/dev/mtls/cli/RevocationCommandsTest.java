package dev.mtls.cli;

import static dev.mtls.cli.Cli.mtls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationCommandsTest {
  @TempDir
  Path dir;

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  private int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @BeforeEach
  void caWithAliceAndCarol() throws Exception {
    assertThat(mtls("ca", "create", "--dir", p("ca")).code()).isZero();
    assertThat(mtls("issue", "client", "--ca", p("ca"), "--name", "alice", "--out", p("out")).code()).isZero();
    assertThat(mtls("issue", "client", "--ca", p("ca"), "--name", "carol", "--out", p("out")).code()).isZero();
  }

  @Test
  void revokeThenCrl_listsTheSerialWithItsReason_andOpensslVerifiesTheCrl() throws Exception {
    Cli.Result revoked = mtls("revoke", "--ca", p("ca"), "--cert", p("out/carol.crt"), "--reason", "keyCompromise");
    assertThat(revoked.code()).as(revoked.toString()).isZero();
    assertThat(revoked.firstLine()).startsWith("revoked CN=carol serial ").contains("(keyCompromise)");

    assertThat(mtls("crl", "--ca", p("ca"), "--out", p("crl.pem")).code()).isZero();
    JsonNode crl = Json.MAPPER.readTree(mtls("inspect", "--json", p("crl.pem")).out())
        .get("files").get(0).get("items").get(0);
    JsonNode carol = Json.MAPPER.readTree(mtls("inspect", "--json", p("out/carol.crt")).out())
        .get("files").get(0).get("items").get(0);
    assertThat(crl.get("kind").asText()).isEqualTo("crl");
    assertThat(crl.get("crlNumber").asText()).isEqualTo("1");
    assertThat(crl.get("revoked")).hasSize(1);
    assertThat(crl.get("revoked").get(0).get("serial").asText()).isEqualTo(carol.get("serial").asText());
    assertThat(crl.get("revoked").get(0).get("reason").asText()).isEqualTo("keyCompromise");

    Cli.Result again = mtls("crl", "--ca", p("ca"), "--out", p("crl.pem"));
    assertThat(again.code()).as("CRLs are regenerated in place").isZero();
    assertThat(again.firstLine()).startsWith("wrote CRL number 2 ");

    Cli.Result carolVerdict = mtls("verify", "--trust", p("ca/ca.crt"), "--crl", p("crl.pem"), p("out/carol.crt"));
    assertThat(carolVerdict.code()).isEqualTo(1);
    assertThat(carolVerdict.firstLine()).isEqualTo("REJECTED REVOKED");
    Cli.Result aliceVerdict = mtls("verify", "--trust", p("ca/ca.crt"), "--crl", p("crl.pem"), p("out/alice.crt"));
    assertThat(aliceVerdict.code()).as(aliceVerdict.toString()).isZero();
    assertThat(aliceVerdict.out()).contains("[0] good (crl file " + p("crl.pem") + ")");

    OpenSsl.assumeAvailable();
    Cli.Result openssl = OpenSsl.run(dir, "crl", "-in", "crl.pem", "-CAfile", "ca/ca.crt", "-noout");
    assertThat(openssl.code()).as(openssl.toString()).isZero();
    assertThat(openssl.err()).contains("verify OK");
    Cli.Result opensslVerify = OpenSsl.run(dir, "verify", "-crl_check", "-CAfile", "ca/ca.crt", "-CRLfile",
        "crl.pem", "out/carol.crt");
    assertThat(opensslVerify.code()).isNotZero();
    assertThat(opensslVerify.out() + opensslVerify.err()).contains("certificate revoked");
  }

  @Test
  void revoke_refusesACertificateOfAnotherCa_andASecondRevocation() {
    mtls("ca", "create", "--dir", p("other"), "--subject", "CN=Other");
    mtls("issue", "client", "--ca", p("other"), "--name", "mallory", "--out", p("out"));

    Cli.Result foreign = mtls("revoke", "--ca", p("ca"), "--cert", p("out/mallory.crt"));
    assertThat(foreign.code()).isEqualTo(2);
    assertThat(foreign.err()).isEqualTo("mtls revoke: " + p("out/mallory.crt")
        + ": issued by CN=Other, not by the CA in " + p("ca") + " (CN=mtls development CA)\n");

    assertThat(mtls("revoke", "--ca", p("ca"), "--cert", p("out/carol.crt")).code()).isZero();
    Cli.Result twice = mtls("revoke", "--ca", p("ca"), "--cert", p("out/carol.crt"));
    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err()).contains("is already revoked (unspecified at ");

    Cli.Result badReason = mtls("revoke", "--ca", p("ca"), "--cert", p("out/alice.crt"), "--reason", "boredom");
    assertThat(badReason.code()).isEqualTo(2);
    assertThat(badReason.err())
        .contains("--reason 'boredom': expected one of unspecified, keyCompromise, cACompromise");
  }

  @Test
  void ocspResponder_answersGoodAndRevoked_toOpensslAndToVerify() throws Exception {
    int port = freePort();
    String url = "http://127.0.0.1:" + port + "/";
    mtls("ca", "create", "--dir", p("ca2"), "--ocsp-url", url);
    mtls("issue", "client", "--ca", p("ca2"), "--name", "dave", "--out", p("out"));
    mtls("issue", "client", "--ca", p("ca2"), "--name", "erin", "--out", p("out"));

    try (Cli.Running responder = new Cli().start("ocsp-responder", "--ca", p("ca2"), "--port", String.valueOf(port))) {
      assertThat(responder.awaitFirstLine()).isEqualTo("listening on " + url);
      // Revoked while the responder runs: it reads the state afresh.
      assertThat(mtls("revoke", "--ca", p("ca2"), "--cert", p("out/erin.crt"), "--reason", "superseded").code())
          .isZero();

      Cli.Result good = mtls("verify", "--trust", p("ca2/ca.crt"), "--ocsp", p("out/dave.crt"));
      assertThat(good.code()).as(good.toString()).isZero();
      assertThat(good.out()).contains("[0] good (ocsp " + url + ")");
      Cli.Result revoked = mtls("verify", "--trust", p("ca2/ca.crt"), "--ocsp", "--json", p("out/erin.crt"));
      assertThat(revoked.code()).isEqualTo(1);
      assertThat(Json.MAPPER.readTree(revoked.out()).get("reason").asText()).isEqualTo("REVOKED");

      if (OpenSsl.available()) {
        Cli.Result openssl = OpenSsl.run(dir, "ocsp", "-issuer", "ca2/ca.crt", "-cert", "out/dave.crt",
            "-cert", "out/erin.crt", "-url", url, "-CAfile", "ca2/ca.crt");
        assertThat(openssl.code()).as(openssl.toString()).isZero();
        assertThat(openssl.err()).contains("Response verify OK");
        assertThat(openssl.out()).contains("out/dave.crt: good").contains("out/erin.crt: revoked")
            .contains("Reason: superseded");
        Cli.Result unknown = OpenSsl.run(dir, "ocsp", "-issuer", "ca2/ca.crt", "-cert", "out/alice.crt",
            "-url", url, "-CAfile", "ca2/ca.crt");
        assertThat(unknown.out()).contains("out/alice.crt: unknown");
      }
      assertThat(responder.stop()).isZero();
      assertThat(responder.out()).contains(" good", " revoked (superseded)");
    }
  }

  @Test
  void ocspResponder_onAPortInUse_exits3() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli.Result result = mtls("ocsp-responder", "--ca", p("ca"), "--port", String.valueOf(taken.getLocalPort()));

      assertThat(result.code()).isEqualTo(3);
      assertThat(result.err()).startsWith("mtls ocsp-responder: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": ").contains("in use");
      assertThat(result.err().lines()).hasSize(1);
    }
  }

  @Test
  void verifyOcsp_whenTheResponderIsDown_isRevocationUnknown_unlessSoftFail() throws Exception {
    int port = freePort();
    mtls("ca", "create", "--dir", p("ca3"), "--ocsp-url", "http://127.0.0.1:" + port + "/");
    mtls("issue", "client", "--ca", p("ca3"), "--name", "frank", "--out", p("out"));

    Cli.Result hard = mtls("verify", "--trust", p("ca3/ca.crt"), "--ocsp", p("out/frank.crt"));
    assertThat(hard.code()).isEqualTo(1);
    assertThat(hard.firstLine()).isEqualTo("REJECTED REVOCATION_UNKNOWN");
    Cli.Result soft = mtls("verify", "--trust", p("ca3/ca.crt"), "--ocsp", "--soft-fail", p("out/frank.crt"));
    assertThat(soft.code()).as(soft.toString()).isZero();
    Matcher unavailable = Pattern.compile("\\[0] unavailable").matcher(soft.out());
    assertThat(unavailable.find()).as(soft.out()).isTrue();
  }
}
