package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What OpenSSL 3 makes, we read; what we write, OpenSSL reads. */
class OpenSslInteropTest {
  private static final String PASS = "pass:correct horse";
  private static final char[] PASSWORD = "correct horse".toCharArray();

  @TempDir Path dir;
  private OpenSsl openssl;

  @BeforeEach
  void findOpenSsl() {
    openssl = OpenSsl.in(dir);
  }

  @Test
  void readCertifiedKey_reqX509Nodes() {
    openssl.run("req", "-x509", "-newkey", "rsa:2048", "-keyout", "privateKey.key", "-out",
        "certificate.crt", "-days", "365", "-nodes", "-subj", "/CN=test");

    CertifiedKey key = Pem.readCertifiedKey(
        openssl.file("certificate.crt"), openssl.file("privateKey.key"), null);

    assertThat(key.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=test");
  }

  @ParameterizedTest
  @ValueSource(strings = {"EC", "RSA", "ED25519"})
  void readPrivateKey_genpkey(String algorithm) throws Exception {
    if (algorithm.equals("EC")) {
      openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem");
    } else {
      openssl.run("genpkey", "-algorithm", algorithm, "-out", "k.pem");
    }
    openssl.run("pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem");

    PrivateKey key = Pem.readPrivateKey(openssl.file("k.pem"), null);

    assertThat(key.getAlgorithm()).isEqualTo(algorithm.equals("ED25519") ? "EdDSA" : algorithm);
    assertThat(Pem.readPublicKey(openssl.file("pub.pem")).getAlgorithm()).isEqualTo(key.getAlgorithm());
    PemTest.assertSignsWithJdkProviders(key);
  }

  @Test
  void readPrivateKey_genpkeyAes256() {
    openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
        "-pass", PASS, "-out", "k.pem");

    assertThat(Pem.readPrivateKey(openssl.file("k.pem"), PASSWORD).getAlgorithm()).isEqualTo("EC");
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "hmacWithSHA512"})
  void readPrivateKey_pkcs8Topk8(String prf) {
    openssl.run("genpkey", "-algorithm", "RSA", "-out", "plain.pem");
    if (prf.equals("default")) {
      openssl.run("pkcs8", "-topk8", "-in", "plain.pem", "-out", "k.pem", "-passout", PASS);
    } else {
      openssl.run("pkcs8", "-topk8", "-v2", "aes256", "-v2prf", prf, "-in", "plain.pem",
          "-out", "k.pem", "-passout", PASS);
    }

    PrivateKey key = Pem.readPrivateKey(openssl.file("k.pem"), PASSWORD);

    assertThat(key).isEqualTo(Pem.readPrivateKey(openssl.file("plain.pem"), null));
  }

  @Test
  void readPrivateKey_pkcs8WrongPassword() {
    openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p.pem");
    openssl.run("pkcs8", "-topk8", "-in", "p.pem", "-out", "k.pem", "-passout", PASS);
    Path file = openssl.file("k.pem");

    assertThatThrownBy(() -> Pem.readPrivateKey(file, "wrong".toCharArray()))
        .hasMessage(file + ": block 1 (label ENCRYPTED PRIVATE KEY, line 1): found a key that does"
            + " not decrypt with the given password (wrong password); expected the password the key"
            + " was encrypted with");
  }

  @Test
  void readPrivateKey_legacyRsaEncrypted() {
    openssl.run("genpkey", "-algorithm", "RSA", "-out", "plain.pem");
    openssl.run("rsa", "-in", "plain.pem", "-aes256", "-traditional", "-out", "k.pem",
        "-passout", PASS);

    assertThat(Pem.readPrivateKey(openssl.file("k.pem"), PASSWORD))
        .isEqualTo(Pem.readPrivateKey(openssl.file("plain.pem"), null));
  }

  @Test
  void readPrivateKey_legacyRsaWrongPassword() {
    openssl.run("genpkey", "-algorithm", "RSA", "-out", "plain.pem");
    openssl.run("rsa", "-in", "plain.pem", "-aes256", "-traditional", "-out", "k.pem",
        "-passout", PASS);
    Path file = openssl.file("k.pem");

    assertThatThrownBy(() -> Pem.readPrivateKey(file, "wrong".toCharArray()))
        .hasMessage(file + ": block 1 (label RSA PRIVATE KEY, line 1): found a key that does not"
            + " decrypt with the given password (wrong password); expected the password the key was"
            + " encrypted with");
  }

  @Test
  void readPrivateKey_legacyRsaWithoutPassword() {
    openssl.run("genpkey", "-algorithm", "RSA", "-out", "plain.pem");
    openssl.run("rsa", "-in", "plain.pem", "-aes256", "-traditional", "-out", "k.pem",
        "-passout", PASS);
    Path file = openssl.file("k.pem");

    assertThatThrownBy(() -> Pem.readPrivateKey(file, null))
        .hasMessage(file + ": block 1 (label RSA PRIVATE KEY, line 1): found an encrypted private"
            + " key and no password; expected a password to decrypt it with");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readPrivateKey_ecparamGenkey(boolean noout) {
    if (noout) {
      openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem");
    } else {
      openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-out", "k.pem");
    }
    openssl.run("pkey", "-in", "k.pem", "-out", "pkcs8.pem");

    assertThat(ecSecret(Pem.readPrivateKey(openssl.file("k.pem"), null)))
        .isEqualTo(ecSecret(Pem.readPrivateKey(openssl.file("pkcs8.pem"), null)));
  }

  @Test
  void readCertificates_trustout() {
    openssl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "k.pem", "-out", "c.pem", "-subj", "/CN=trusted", "-days", "1");
    openssl.run("x509", "-in", "c.pem", "-trustout", "-addtrust", "serverAuth", "-out", "t.pem");

    assertThat(Pem.readCertificates(openssl.file("t.pem")))
        .isEqualTo(Pem.readCertificates(openssl.file("c.pem")));
  }

  @Test
  void readCertificationRequest_reqNew() {
    openssl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "k.pem", "-out", "req.pem", "-subj", "/CN=api");

    CertificationRequest request = Pem.readCertificationRequest(openssl.file("req.pem"));

    request.verify();
    assertThat(request.subject().getName()).isEqualTo("CN=api");
  }

  @Test
  void readCertificates_derFromOpenSsl() {
    openssl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "k.pem", "-out", "c.der", "-outform", "DER", "-subj", "/CN=der", "-days", "1");

    assertThat(Pem.readCertificates(openssl.file("c.der")).get(0).getSubjectX500Principal().getName())
        .isEqualTo("CN=der");
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void readIdentity_pkcs12Export(String variant) {
    TestMaterial m = new TestMaterial(KeyType.EC_P256);
    TestMaterial.write(dir, "key.pem", Pem.writePrivateKey(m.leaf.privateKey()));
    TestMaterial.write(dir, "cert.pem", Pem.writeCertificates(m.leaf.certificate()));
    TestMaterial.write(dir, "ca.pem", Pem.writeCertificates(m.intermediate.certificate(),
        m.root.certificate()));
    if (variant.equals("legacy")) {
      openssl.run("pkcs12", "-export", "-legacy", "-inkey", "key.pem", "-in", "cert.pem",
          "-certfile", "ca.pem", "-out", "id.p12", "-passout", PASS);
    } else {
      openssl.run("pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem",
          "-certfile", "ca.pem", "-out", "id.p12", "-passout", PASS);
    }

    CertifiedKey read = Pkcs12.readIdentity(openssl.file("id.p12"), PASSWORD);

    assertThat(read.chain()).isEqualTo(m.leaf.chain());
  }

  @Test
  void readIdentity_pkcs12WrongPasswordLegacy() {
    TestMaterial m = new TestMaterial(KeyType.EC_P256);
    TestMaterial.write(dir, "key.pem", Pem.writePrivateKey(m.leaf.privateKey()));
    TestMaterial.write(dir, "cert.pem", Pem.writeCertificates(m.leaf.certificate()));
    openssl.run("pkcs12", "-export", "-legacy", "-inkey", "key.pem", "-in", "cert.pem",
        "-out", "id.p12", "-passout", PASS);
    Path file = openssl.file("id.p12");

    assertThatThrownBy(() -> Pkcs12.readIdentity(file, "wrong".toCharArray()))
        .hasMessage(file + ": found a MAC that does not verify with the given password (wrong"
            + " password); expected the password the file was made with");
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void readTrust_pkcs12NoKeys(String variant) {
    TestMaterial m = new TestMaterial(KeyType.EC_P256);
    TestMaterial.write(dir, "ca.pem", Pem.writeCertificates(m.root.certificate(),
        m.intermediate.certificate()));
    if (variant.equals("legacy")) {
      openssl.run("pkcs12", "-export", "-legacy", "-nokeys", "-in", "ca.pem", "-out", "t.p12",
          "-passout", PASS);
    } else {
      openssl.run("pkcs12", "-export", "-nokeys", "-in", "ca.pem", "-out", "t.p12", "-passout", PASS);
    }

    assertThat(Pkcs12.readTrust(openssl.file("t.p12"), PASSWORD))
        .containsExactly(m.root.certificate(), m.intermediate.certificate());
  }

  @Test
  void writeCertificates_opensslVerifiesChain() {
    TestMaterial m = new TestMaterial(KeyType.RSA_2048);
    TestMaterial.write(dir, "root.pem", Pem.writeCertificates(m.root.certificate()));
    TestMaterial.write(dir, "inter.pem", Pem.writeCertificates(m.intermediate.certificate()));
    TestMaterial.write(dir, "leaf.pem", Pem.writeCertificates(m.leaf.certificate()));

    assertThat(openssl.run("verify", "-CAfile", "root.pem", "-untrusted", "inter.pem", "leaf.pem"))
        .isEqualTo("leaf.pem: OK\n");
    assertThat(openssl.run("x509", "-in", "leaf.pem", "-noout", "-subject"))
        .isEqualTo("subject=CN = leaf\n");
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void writePrivateKey_opensslReadsPlainAndEncrypted(KeyType type) {
    CertifiedKey key = CertificateBuilder.create().keyType(type).build();
    TestMaterial.write(dir, "plain.pem", Pem.writePrivateKey(key.privateKey()));
    TestMaterial.write(dir, "enc.pem", Pem.writeEncryptedPrivateKey(key.privateKey(), PASSWORD));
    TestMaterial.write(dir, "cert.pem", Pem.writeCertificates(key.certificate()));

    String fromPlain = openssl.run("pkey", "-in", "plain.pem", "-pubout");
    String fromEncrypted = openssl.run("pkey", "-in", "enc.pem", "-passin", PASS, "-pubout");

    assertThat(fromPlain).isEqualTo(fromEncrypted)
        .isEqualTo(openssl.run("x509", "-in", "cert.pem", "-noout", "-pubkey"));
  }

  @Test
  void writeTraditionalKeys_opensslReadsThem() {
    CertifiedKey rsa = CertificateBuilder.create().keyType(KeyType.RSA_2048).build();
    CertifiedKey ec = CertificateBuilder.create().keyType(KeyType.EC_P384).build();
    TestMaterial.write(dir, "rsa.pem", Pem.writeRsaPrivateKey(rsa.privateKey()));
    TestMaterial.write(dir, "ec.pem", Pem.writeEcPrivateKey(ec.privateKey()));
    TestMaterial.write(dir, "rsa.crt", Pem.writeCertificates(rsa.certificate()));
    TestMaterial.write(dir, "ec.crt", Pem.writeCertificates(ec.certificate()));

    assertThat(openssl.run("rsa", "-in", "rsa.pem", "-check", "-noout")).isEqualTo("RSA key ok\n");
    assertThat(openssl.run("pkey", "-in", "rsa.pem", "-pubout"))
        .isEqualTo(openssl.run("x509", "-in", "rsa.crt", "-noout", "-pubkey"));
    assertThat(openssl.run("pkey", "-in", "ec.pem", "-pubout"))
        .isEqualTo(openssl.run("x509", "-in", "ec.crt", "-noout", "-pubkey"));
  }

  @Test
  void writeCertificationRequest_opensslVerifies() {
    CertificationRequest request = CertificationRequest.create(
        "CN=api", KeyType.EC_P256.generate(), GeneralName.dns("api.example.com"));
    TestMaterial.write(dir, "req.pem", Pem.writeCertificationRequest(request));

    assertThat(openssl.run("req", "-in", "req.pem", "-verify", "-noout", "-subject"))
        .isEqualTo("subject=CN = api\n");
  }

  @Test
  void writeIdentity_opensslReads() {
    TestMaterial m = new TestMaterial(KeyType.EC_P256);
    TestMaterial.write(dir, "id.p12", Pkcs12.writeIdentity(m.leaf, PASSWORD));

    openssl.run("pkcs12", "-in", "id.p12", "-passin", PASS, "-info", "-noout");
    String out = openssl.run("pkcs12", "-in", "id.p12", "-passin", PASS, "-nodes", "-nocerts");

    assertThat(ecSecret(Pem.parsePrivateKey(out, null))).isEqualTo(ecSecret(m.leaf.privateKey()));
  }

  @Test
  void writeTrust_opensslReads() {
    TestMaterial m = new TestMaterial(KeyType.EC_P256);
    TestMaterial.write(dir, "t.p12", Pkcs12.writeTrust(
        List.of(m.root.certificate(), m.intermediate.certificate()), PASSWORD));

    String out = openssl.run("pkcs12", "-in", "t.p12", "-passin", PASS, "-nokeys");
    List<X509Certificate> certs = Pem.parseCertificates(out);

    assertThat(certs).containsExactly(m.root.certificate(), m.intermediate.certificate());
  }

  /** The secret scalar of an EC key: encodings differ in optional fields, the secret does not. */
  private static java.math.BigInteger ecSecret(PrivateKey key) {
    return ((java.security.interfaces.ECPrivateKey) key).getS();
  }
}
