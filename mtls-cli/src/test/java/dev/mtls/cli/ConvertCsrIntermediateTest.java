package dev.mtls.cli;

import static dev.mtls.cli.Cli.mtls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCsrIntermediateTest {
  @TempDir
  Path dir;

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  private JsonNode items(Cli.Result inspect) throws Exception {
    assertThat(inspect.code()).as(inspect.toString()).isZero();
    return Json.MAPPER.readTree(inspect.out()).get("files").get(0).get("items");
  }

  @Test
  void convert_pemToP12AndBack_keepsKeyAndChain_andOpensslReadsTheP12() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    mtls("issue", "client", "--ca", p("ca"), "--name", "alice", "--out", p("out"));
    Cli withPassword = new Cli().env("MTLS_PASSWORD", "changeit");

    Cli.Result toP12 = withPassword.run("convert", "--to", "p12", p("out/alice.key"), p("out/alice.crt"),
        p("ca/ca.crt"), "--out", p("alice.p12"));
    assertThat(toP12.code()).as(toP12.toString()).isZero();
    assertThat(toP12.firstLine()).isEqualTo("wrote identity " + p("alice.p12")
        + " for CN=alice with 2 certificate(s) (owner-only file)");
    assertThat(Files.getPosixFilePermissions(dir.resolve("alice.p12")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Cli.Result toPem = withPassword.run("convert", "--to", "pem", p("alice.p12"), "--out", p("alice.pem"));
    assertThat(toPem.code()).as(toPem.toString()).isZero();
    List<X509Certificate> chain = Pem.readCertificates(dir.resolve("alice.pem"));
    assertThat(chain.get(0)).isEqualTo(Pem.readCertificates(dir.resolve("out/alice.crt")).get(0));
    assertThat(Certificates.keyMatches(Pem.readPrivateKey(dir.resolve("alice.pem"), null), chain.get(0))).isTrue();
    assertThat(Files.getPosixFilePermissions(dir.resolve("alice.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    OpenSsl.assumeAvailable();
    Cli.Result openssl = OpenSsl.run(dir, "pkcs12", "-in", "alice.p12", "-passin", "pass:changeit", "-nokeys");
    assertThat(openssl.code()).as(openssl.toString()).isZero();
    assertThat(openssl.out()).contains("subject=CN = alice").contains("subject=CN = mtls development CA");
  }

  @Test
  void convert_certificatesAloneToP12_isATrustStore_readByInspect() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));

    Cli.Result result = mtls("convert", "--to", "p12", "--password", "changeit", p("ca/ca.crt"),
        "--out", p("trust.p12"));
    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.firstLine()).isEqualTo("wrote trust store " + p("trust.p12") + " with 1 certificate(s)");

    JsonNode items = items(mtls("inspect", "--json", "--password", "changeit", p("trust.p12")));
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("subject").asText()).isEqualTo("CN=mtls development CA");
  }

  @Test
  void convert_toP12WithoutPassword_is2_andRefusesToOverwrite() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));

    Cli.Result noPassword = mtls("convert", "--to", "p12", p("ca/ca.crt"), "--out", p("trust.p12"));
    assertThat(noPassword.code()).isEqualTo(2);
    assertThat(noPassword.err()).isEqualTo("mtls convert: a password is needed for the PKCS#12 file "
        + p("trust.p12") + ": give --password-file FILE, --password-stdin, or set MTLS_PASSWORD\n");

    Files.writeString(dir.resolve("exists.pem"), "keep me");
    Cli.Result exists = mtls("convert", "--to", "pem", p("ca/ca.crt"), "--out", p("exists.pem"));
    assertThat(exists.code()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("exists.pem"))).isEqualTo("keep me");
  }

  @Test
  void csr_signedByIssue_keepsTheRequestersKey_andTheCaDecidesNames() throws Exception {
    mtls("ca", "create", "--dir", p("ca"));
    Cli.Result csr = mtls("csr", "--name", "bob", "--dns", "bob.test", "--out", p("req"));
    assertThat(csr.code()).as(csr.toString()).isZero();
    JsonNode request = items(mtls("inspect", "--json", p("req/bob.csr"))).get(0);
    assertThat(request.get("kind").asText()).isEqualTo("certificateRequest");
    assertThat(request.get("subject").asText()).isEqualTo("CN=bob");
    assertThat(request.get("subjectAlternativeNames").toString()).isEqualTo("[\"DNS:bob.test\"]");
    assertThat(request.get("signatureValid").asBoolean()).isTrue();

    Cli.Result issued = mtls("issue", "client", "--ca", p("ca"), "--csr", p("req/bob.csr"), "--name", "bob",
        "--out", p("out"));
    assertThat(issued.code()).as(issued.toString()).isZero();
    assertThat(dir.resolve("out/bob.key")).doesNotExist();
    X509Certificate certificate = Pem.readCertificates(dir.resolve("out/bob.crt")).get(0);
    assertThat(Certificates.keyMatches(Pem.readPrivateKey(dir.resolve("req/bob.key"), null), certificate)).isTrue();
    JsonNode leaf = items(mtls("inspect", "--json", p("out/bob.crt"))).get(0);
    assertThat(leaf.get("subjectAlternativeNames")).isEmpty();
    assertThat(leaf.get("extendedKeyUsage").toString()).isEqualTo("[\"clientAuth\"]");

    Cli.Result conflict = mtls("issue", "client", "--ca", p("ca"), "--csr", p("req/bob.csr"), "--name", "bob2",
        "--key", "rsa-2048", "--out", p("out"));
    assertThat(conflict.code()).isEqualTo(2);
    assertThat(conflict.err()).isEqualTo("mtls issue: --key and --csr do not go together: the request holds the key\n");
  }

  @Test
  void intermediate_issuesLeavesWhoseFileCarriesTheIntermediate_verifiedByUsAndOpenssl() throws Exception {
    mtls("ca", "create", "--dir", p("root"), "--subject", "CN=Test Root");
    Cli.Result created = mtls("ca", "intermediate", "--ca", p("root"), "--dir", p("issuing"),
        "--subject", "CN=Test Issuing CA");
    assertThat(created.code()).as(created.toString()).isZero();
    List<X509Certificate> chain = Pem.readCertificates(dir.resolve("issuing/chain.crt"));
    assertThat(chain).extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=Test Issuing CA", "CN=Test Root");
    JsonNode rootState = Json.MAPPER.readTree(dir.resolve("root/ca.json").toFile());
    assertThat(rootState.get("certificates").get(0).get("profile").asText()).isEqualTo("ca");
    JsonNode intermediate = items(mtls("inspect", "--json", p("issuing/ca.crt"))).get(0);
    assertThat(intermediate.get("pathLength").asInt()).isZero();

    assertThat(mtls("issue", "server", "--ca", p("issuing"), "--name", "api.test", "--out", p("out")).code())
        .isZero();
    List<X509Certificate> leafFile = Pem.readCertificates(dir.resolve("out/api.test.crt"));
    assertThat(leafFile).extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=api.test", "CN=Test Issuing CA");

    Cli.Result verified = mtls("verify", "--trust", p("root/ca.crt"), "--purpose", "server", "--host", "api.test",
        p("out/api.test.crt"));
    assertThat(verified.code()).as(verified.toString()).isZero();
    assertThat(verified.out()).contains("[1] CN=Test Issuing CA").contains("[2] CN=Test Root");
    Cli.Result withoutIntermediate = mtls("verify", "--trust", p("root/ca.crt"), p("issuing/issued/"
        + leafFile.get(0).getSerialNumber().toString(16) + ".crt"), "--purpose", "server");
    assertThat(withoutIntermediate.firstLine()).isEqualTo("REJECTED UNTRUSTED_ISSUER");
    Cli.Result withUntrusted = mtls("verify", "--trust", p("root/ca.crt"), "--untrusted", p("issuing/chain.crt"),
        "--purpose", "server", p("issuing/issued/" + leafFile.get(0).getSerialNumber().toString(16) + ".crt"));
    assertThat(withUntrusted.code()).as(withUntrusted.toString()).isZero();

    Cli.Result nested = mtls("ca", "intermediate", "--ca", p("issuing"), "--dir", p("deeper"));
    assertThat(nested.code()).isEqualTo(2);
    assertThat(nested.err()).contains("holds an intermediate CA");

    OpenSsl.assumeAvailable();
    Cli.Result openssl = OpenSsl.run(dir, "verify", "-CAfile", "root/ca.crt", "-untrusted", "out/api.test.crt",
        "out/api.test.crt");
    assertThat(openssl.out()).as(openssl.toString()).isEqualTo("out/api.test.crt: OK\n");
    Cli.Result opensslChain = OpenSsl.run(dir, "verify", "-CAfile", "root/ca.crt", "-untrusted", "issuing/chain.crt",
        "out/api.test.crt");
    assertThat(opensslChain.out()).as(opensslChain.toString()).isEqualTo("out/api.test.crt: OK\n");
  }
}
