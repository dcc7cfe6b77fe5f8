package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.List;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();
  private static TestMaterial material;

  @TempDir Path dir;

  @BeforeAll
  static void makeMaterial() {
    material = new TestMaterial(KeyType.EC_P256);
  }

  @Test
  void readCertificates_bundleWithTextCrlfAndTrailingSpaces() {
    String pem = "Subject: leaf\r\n" + Pem.writeCertificates(material.fullChain())
        .replace("\n", "  \r\n").replace("-----\r\n-----BEGIN", "-----\r\n# next\r\n-----BEGIN");
    Path file = TestMaterial.write(dir, "bundle.pem", pem);

    assertThat(Pem.readCertificates(file)).containsExactlyElementsOf(material.fullChain());
  }

  @Test
  void readCertificates_derFile() throws Exception {
    Path file = TestMaterial.write(dir, "cert.der", material.leaf.certificate().getEncoded());

    assertThat(Pem.readCertificates(file)).containsExactly(material.leaf.certificate());
  }

  @Test
  void parseCertificates_trustedCertificateIgnoresAux() throws Exception {
    byte[] cert = material.root.certificate().getEncoded();
    ASN1EncodableVector trust = new ASN1EncodableVector();
    trust.add(new DERSequence(KeyPurposeId.id_kp_serverAuth.toOID()));
    byte[] aux = new DERSequence(trust).getEncoded();
    byte[] der = new byte[cert.length + aux.length];
    System.arraycopy(cert, 0, der, 0, cert.length);
    System.arraycopy(aux, 0, der, cert.length, aux.length);
    String pem = "-----BEGIN TRUSTED CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END TRUSTED CERTIFICATE-----\n";

    assertThat(Pem.parseCertificates(pem)).containsExactly(material.root.certificate());
  }

  @Test
  void readCertificates_combinedFileSkipsKey() {
    Path file = TestMaterial.write(dir, "combined.pem",
        Pem.writeCertificates(material.leaf.certificate())
            + Pem.writePrivateKey(material.leaf.privateKey()));

    assertThat(Pem.readCertificates(file)).containsExactly(material.leaf.certificate());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void parsePrivateKey_pkcs8RoundTripIsUsableByTheJdk(KeyType type) throws Exception {
    PrivateKey key = type.generate().getPrivate();

    PrivateKey read = Pem.parsePrivateKey(Pem.writePrivateKey(key), null);

    assertThat(secret(read)).isEqualTo(secret(key));
    assertSignsWithJdkProviders(read);
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "RSA_2048", "ED25519"})
  void parsePrivateKey_encryptedPkcs8RoundTrip(KeyType type) throws Exception {
    PrivateKey key = type.generate().getPrivate();

    PrivateKey read = Pem.parsePrivateKey(Pem.writeEncryptedPrivateKey(key, PASSWORD), PASSWORD);

    assertThat(secret(read)).isEqualTo(secret(key));
  }

  @Test
  void parsePrivateKey_rsaPkcs1RoundTrip() throws Exception {
    PrivateKey key = KeyType.RSA_2048.generate().getPrivate();

    String pem = Pem.writeRsaPrivateKey(key);

    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    assertThat(secret(Pem.parsePrivateKey(pem, null))).isEqualTo(secret(key));
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384"})
  void parsePrivateKey_ecSec1RoundTrip(KeyType type) {
    CertifiedKey key = CertificateBuilder.create().keyType(type).build();

    String pem = Pem.writeEcPrivateKey(key.privateKey());

    assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
    assertThat(Certificates.keyMatches(Pem.parsePrivateKey(pem, null), key.certificate())).isTrue();
  }

  @Test
  void parsePublicKey_roundTrip() {
    assertThat(Pem.parsePublicKey(Pem.writePublicKey(material.leaf.publicKey())))
        .isEqualTo(material.leaf.publicKey());
  }

  @Test
  void readCertificationRequest_roundTrip() {
    CertificationRequest request = CertificationRequest.create(
        "CN=api", KeyType.EC_P256.generate(), GeneralName.dns("api.example.com"));
    Path file = TestMaterial.write(dir, "req.pem", Pem.writeCertificationRequest(request));

    CertificationRequest read = Pem.readCertificationRequest(file);

    read.verify();
    assertThat(read.encoded()).isEqualTo(request.encoded());
  }

  @Test
  void parseCertificationRequest_newLabel() {
    CertificationRequest request = CertificationRequest.create("CN=api", KeyType.EC_P256.generate());
    String pem = Pem.writeCertificationRequest(request).replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

    assertThat(Pem.parseCertificationRequest(pem).encoded()).isEqualTo(request.encoded());
  }

  @Test
  void readCrls_roundTrip() throws Exception {
    X509CRL crl = crl();
    Path file = TestMaterial.write(dir, "ca.crl", Pem.writeCrl(crl) + Pem.writeCrl(crl));

    assertThat(Pem.readCrls(file)).containsExactly(crl, crl);
  }

  @Test
  void readCertifiedKey_chainAndKey() {
    Path chain = TestMaterial.write(dir, "chain.pem", Pem.writeCertificates(material.leaf.chain()));
    Path key = TestMaterial.write(dir, "key.pem",
        Pem.writeEncryptedPrivateKey(material.leaf.privateKey(), PASSWORD));

    CertifiedKey read = Pem.readCertifiedKey(chain, key, PASSWORD);

    assertThat(read.chain()).isEqualTo(material.leaf.chain());
  }

  @Test
  void writeCertificates_lineFormat() {
    String pem = Pem.writeCertificates(material.leaf.certificate());

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n")
        .doesNotContain("\r");
    assertThat(pem.lines().filter(l -> !l.startsWith("-----")).limit(1)).allMatch(l -> l.length() == 64);
    assertThat(pem.lines()).allMatch(l -> l.length() <= 64);
  }

  private X509CRL crl() throws Exception {
    JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(
        material.root.certificate().getSubjectX500Principal(), new Date());
    builder.addCRLEntry(BigInteger.TEN, new Date(), 1);
    return new JcaX509CRLConverter().getCRL(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.BC)
            .build(material.root.privateKey())));
  }

  /**
   * The secret part of a private key, independent of its encoding: JDKs and providers differ in
   * whether PKCS#8 carries the public key too (JDK 25 keeps it for EdDSA, JDK 17 drops it).
   */
  static Object secret(PrivateKey key) throws Exception {
    if (key instanceof java.security.interfaces.RSAPrivateKey rsa) {
      return List.of(rsa.getModulus(), rsa.getPrivateExponent());
    }
    if (key instanceof java.security.interfaces.ECPrivateKey ec) {
      return ec.getS();
    }
    return java.util.HexFormat.of().formatHex(org.bouncycastle.asn1.pkcs.PrivateKeyInfo
        .getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded());
  }

  /** Signs with the JDK's default providers, as JSSE would: no Bouncy Castle involved. */
  static void assertSignsWithJdkProviders(PrivateKey key) throws Exception {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    Signature signature = Signature.getInstance(algorithm);
    signature.initSign(key);
    signature.update(new byte[] {1, 2, 3});
    assertThat(signature.sign()).isNotEmpty();
    assertThat(signature.getProvider().getName()).isNotEqualTo("BC");
  }
}
