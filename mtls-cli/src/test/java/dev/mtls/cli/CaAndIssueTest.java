package dev.mtls.cli;

import static dev.mtls.cli.Cli.mtls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaAndIssueTest {
  @TempDir
  Path dir;

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  private JsonNode inspect(String... files) throws Exception {
    String[] args = new String[files.length + 2];
    args[0] = "inspect";
    args[1] = "--json";
    System.arraycopy(files, 0, args, 2, files.length);
    Cli.Result result = mtls(args);
    assertThat(result.code()).as(result.toString()).isZero();
    return Json.MAPPER.readTree(result.out());
  }

  @Test
  void caCreate_writesCertificateOwnerOnlyKeyAndState() throws Exception {
    Cli.Result result = mtls("ca", "create", "--dir", p("ca"), "--subject", "CN=Test Root,O=Example");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.firstLine()).isEqualTo("created root CA CN=Test Root,O=Example");
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca/ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(dir.resolve("ca/ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    JsonNode state = Json.MAPPER.readTree(dir.resolve("ca/ca.json").toFile());
    assertThat(state.get("format").asText()).isEqualTo("mtls-ca-state/1");
    assertThat(state.get("subject").asText()).isEqualTo("CN=Test Root,O=Example");
    assertThat(state.get("crlNumber").asLong()).isZero();
    JsonNode ca = inspect(p("ca/ca.crt")).get("files").get(0).get("items").get(0);
    assertThat(ca.get("ca").asBoolean()).isTrue();
    assertThat(ca.get("keyType").asText()).isEqualTo("EC P-256");
    Instant notAfter = Instant.parse(ca.get("notAfter").asText());
    assertThat(notAfter)
        .isBetween(Instant.now().plus(Duration.ofDays(3649)), Instant.now().plus(Duration.ofDays(3651)));
  }

  @Test
  void caCreate_refusesADirectoryHoldingACa_unlessForced() throws Exception {
    assertThat(mtls("ca", "create", "--dir", p("ca")).code()).isZero();
    String first = Files.readString(dir.resolve("ca/ca.crt"));

    Cli.Result refused = mtls("ca", "create", "--dir", p("ca"));
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .isEqualTo("mtls ca create: " + p("ca") + " already holds a CA; use --force to replace it\n");
    assertThat(Files.readString(dir.resolve("ca/ca.crt"))).isEqualTo(first);

    assertThat(mtls("ca", "create", "--dir", p("ca"), "--force").code()).isZero();
    assertThat(Files.readString(dir.resolve("ca/ca.crt"))).isNotEqualTo(first);
  }

  @Test
  void issueServer_carriesItsNameAsDnsSan_validFor90Days_andOpensslVerifiesIt() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    Cli.Result result = mtls("issue", "server", "--ca", p("ca"), "--name", "api.test", "--out", p("out"));

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(Files.getPosixFilePermissions(dir.resolve("out/api.test.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode items = inspect(p("out/api.test.crt"), p("out/api.test.key")).get("files");
    JsonNode leaf = items.get(0).get("items").get(0);
    assertThat(leaf.get("subject").asText()).isEqualTo("CN=api.test");
    assertThat(leaf.get("subjectAlternativeNames").toString()).isEqualTo("[\"DNS:api.test\"]");
    assertThat(leaf.get("extendedKeyUsage").toString()).isEqualTo("[\"serverAuth\"]");
    assertThat(leaf.get("serial").asText()).matches("[0-9a-f]+");
    assertThat(Instant.parse(leaf.get("notAfter").asText()))
        .isBetween(Instant.now().plus(Duration.ofDays(89)), Instant.now().plus(Duration.ofDays(91)));
    assertThat(items.get(1).get("items").get(0).get("keyType").asText()).isEqualTo("EC P-256");
    JsonNode state = Json.MAPPER.readTree(dir.resolve("ca/ca.json").toFile());
    assertThat(state.get("certificates").get(0).get("serial").asText()).isEqualTo(leaf.get("serial").asText());
    assertThat(state.get("certificates").get(0).get("profile").asText()).isEqualTo("server");

    OpenSsl.assumeAvailable();
    Cli.Result openssl = OpenSsl.run(dir, "verify", "-CAfile", "ca/ca.crt", "-purpose", "sslserver",
        "out/api.test.crt");
    assertThat(openssl.out()).as(openssl.toString()).isEqualTo("out/api.test.crt: OK\n");
  }

  @Test
  void issueClient_hasOnlyTheNamesGiven_andVerifiesAsClientNotServer() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    assertThat(mtls("issue", "client", "--ca", p("ca"), "--name", "alice",
        "--uri", "spiffe://example.org/alice", "--key", "ed25519", "--out", p("out")).code()).isZero();

    JsonNode leaf = inspect(p("out/alice.crt")).get("files").get(0).get("items").get(0);
    assertThat(leaf.get("subjectAlternativeNames").toString()).isEqualTo("[\"URI:spiffe://example.org/alice\"]");
    assertThat(leaf.get("keyType").asText()).isEqualTo("Ed25519");

    Cli.Result ok = mtls("verify", "--trust", p("ca/ca.crt"), p("out/alice.crt"));
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.firstLine()).isEqualTo("OK");
    Cli.Result rejected = mtls("verify", "--trust", p("ca/ca.crt"), "--purpose", "server", p("out/alice.crt"));
    assertThat(rejected.code()).isEqualTo(1);
    assertThat(rejected.firstLine()).isEqualTo("REJECTED WRONG_EXTENDED_KEY_USAGE");
    assertThat(rejected.out()).contains("expected [serverAuth");
  }

  @Test
  void issue_withRsaKey_andRefusesToOverwriteWithoutForce() throws Exception {
    mtls("ca", "create", "--dir", p("ca"), "--key", "ec-p384");
    assertThat(mtls("issue", "server", "--ca", p("ca"), "--name", "db", "--ip", "10.0.0.7",
        "--key", "rsa-2048", "--out", p("out")).code()).isZero();
    JsonNode leaf = inspect(p("out/db.crt")).get("files").get(0).get("items").get(0);
    assertThat(leaf.get("keyType").asText()).isEqualTo("RSA 2048");
    assertThat(leaf.get("subjectAlternativeNames").toString()).isEqualTo("[\"IP:10.0.0.7\"]");
    assertThat(leaf.get("signatureAlgorithm").asText()).isEqualTo("SHA384withECDSA");
    String before = Files.readString(dir.resolve("out/db.crt"));

    Cli.Result again = mtls("issue", "server", "--ca", p("ca"), "--name", "db", "--out", p("out"));
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err())
        .isEqualTo("mtls issue: " + p("out/db.crt") + " already exists; use --force to overwrite it\n");
    assertThat(Files.readString(dir.resolve("out/db.crt"))).isEqualTo(before);
    assertThat(mtls("issue", "server", "--ca", p("ca"), "--name", "db", "--out", p("out"), "--force").code()).isZero();
  }

  @Test
  void encryptedCaKey_needsThePassword_fromFileEnvironmentOrStdin() throws Exception {
    Files.writeString(dir.resolve("pw"), "s3cret\n");
    assertThat(mtls("ca", "create", "--dir", p("ca"), "--password-file", p("pw")).code()).isZero();
    assertThat(Files.readString(dir.resolve("ca/ca.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

    Cli.Result none = mtls("issue", "client", "--ca", p("ca"), "--name", "a", "--out", p("out"));
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("mtls issue: a password is needed to use the CA key " + p("ca/ca.key")
        + ": give --password-file FILE, --password-stdin, or set MTLS_PASSWORD\n");

    Cli.Result wrong = new Cli().env("MTLS_PASSWORD", "wrong").run(
        "issue", "client", "--ca", p("ca"), "--name", "a", "--out", p("out"));
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).startsWith("mtls issue: ").contains(p("ca/ca.key")).containsIgnoringCase("password");
    assertThat(wrong.err().lines()).hasSize(1);

    assertThat(new Cli().env("MTLS_PASSWORD", "s3cret").run(
        "issue", "client", "--ca", p("ca"), "--name", "a", "--out", p("out")).code()).isZero();
    assertThat(new Cli().stdin("s3cret\n").run(
        "issue", "client", "--ca", p("ca"), "--name", "b", "--out", p("out"), "--password-stdin").code()).isZero();
  }

  @Test
  void issueP12_isReadByOpensslAndByInspect() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    Cli.Result issued = new Cli().env("MTLS_PASSWORD", "p12pass").run(
        "issue", "client", "--ca", p("ca"), "--name", "bob", "--p12", "--out", p("out"));
    assertThat(issued.code()).as(issued.toString()).isZero();
    assertThat(Files.getPosixFilePermissions(dir.resolve("out/bob.p12")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Cli.Result inspected = mtls("inspect", "--password", "p12pass", "--json", p("out/bob.p12"));
    JsonNode file = Json.MAPPER.readTree(inspected.out()).get("files").get(0);
    assertThat(file.get("format").asText()).isEqualTo("PKCS#12");
    assertThat(file.get("items").get(0).get("subject").asText()).isEqualTo("CN=bob");
    assertThat(file.get("items").get(1).get("kind").asText()).isEqualTo("privateKey");
    assertThat(file.get("items").get(1).get("matchesCertificate").asInt()).isZero();
    Cli.Result wrong = mtls("inspect", "--password", "nope", p("out/bob.p12"));
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).startsWith("mtls inspect: " + p("out/bob.p12"));

    OpenSsl.assumeAvailable();
    Cli.Result openssl = OpenSsl.run(dir, "pkcs12", "-in", "out/bob.p12", "-passin", "pass:p12pass",
        "-nodes", "-info");
    assertThat(openssl.code()).as(openssl.toString()).isZero();
    assertThat(openssl.out()).contains("subject=CN = bob").contains("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void inspect_printsTheGoodFiles_andExits2IfAnyFailed() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");

    Cli.Result result = mtls("inspect", p("ca/ca.crt"), p("missing.pem"), p("junk.pem"));

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.out()).contains("== " + p("ca/ca.crt") + " (PEM)").contains("subject                  CN=mtls");
    assertThat(result.out()).doesNotContain("BEGIN");
    assertThat(result.err().lines()).containsExactly(
        "mtls inspect: " + p("missing.pem") + ": cannot read (no such file or directory)",
        result.err().lines().toList().get(1));
    assertThat(result.err().lines().toList().get(1)).startsWith("mtls inspect: " + p("junk.pem"));
  }

  @Test
  void verify_reportsExpiryAtAGivenInstant_andNameMismatch() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    mtls("issue", "server", "--ca", p("ca"), "--name", "api.test", "--out", p("out"));

    Cli.Result later = mtls("verify", "--trust", p("ca/ca.crt"), "--purpose", "server", "--at", "2030-01-01",
        p("out/api.test.crt"));
    assertThat(later.code()).isEqualTo(1);
    assertThat(later.firstLine()).isEqualTo("REJECTED EXPIRED");
    assertThat(later.out().lines().skip(1).findFirst().orElseThrow())
        .startsWith("certificate [0] expired at ").contains("checked at 2030-01-01T00:00:00Z");

    Cli.Result host = mtls("verify", "--trust", p("ca/ca.crt"), "--purpose", "server", "--host", "other.test",
        "--json", p("out/api.test.crt"));
    assertThat(host.code()).isEqualTo(1);
    JsonNode json = Json.MAPPER.readTree(host.out());
    assertThat(json.get("result").asText()).isEqualTo("REJECTED");
    assertThat(json.get("reason").asText()).isEqualTo("NAME_MISMATCH");
    assertThat(json.get("diagnosis").asText()).contains("other.test");

    Cli.Result ok = mtls("verify", "--trust", p("ca/ca.crt"), "--purpose", "server", "--host", "api.test",
        "--json", p("out/api.test.crt"));
    assertThat(ok.code()).isZero();
    JsonNode path = Json.MAPPER.readTree(ok.out()).get("path");
    assertThat(path.get(0).get("subject").asText()).isEqualTo("CN=api.test");
    assertThat(path.get(1).get("subject").asText()).isEqualTo("CN=mtls development CA");
  }

  @Test
  void verify_againstTheWrongCa_isUntrustedIssuer() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    mtls("ca", "create", "--dir", p("other"), "--subject", "CN=Other");
    mtls("issue", "client", "--ca", p("ca"), "--name", "alice", "--out", p("out"));

    Cli.Result result = mtls("verify", "--trust", p("other/ca.crt"), p("out/alice.crt"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.firstLine()).isEqualTo("REJECTED UNTRUSTED_ISSUER");
  }
}
