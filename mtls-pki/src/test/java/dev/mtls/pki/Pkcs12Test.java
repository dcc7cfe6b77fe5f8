package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12Test {
  private static final char[] PASSWORD = "correct horse".toCharArray();
  private static TestMaterial material;
  private static byte[] identity;

  @TempDir Path dir;

  @BeforeAll
  static void makeMaterial() {
    material = new TestMaterial(KeyType.EC_P256);
    identity = Pkcs12.writeIdentity(material.leaf, PASSWORD);
  }

  @Test
  void readIdentity_roundTrip() {
    Path file = TestMaterial.write(dir, "id.p12", identity);

    CertifiedKey read = Pkcs12.readIdentity(file, PASSWORD);

    assertThat(read.chain()).isEqualTo(material.leaf.chain());
    assertThat(Certificates.keyMatches(read.privateKey(), material.leaf.certificate())).isTrue();
  }

  @Test
  void writeIdentity_readableByTheJdk() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(identity), PASSWORD);

    assertThat(store.getCertificateChain("identity"))
        .containsExactlyElementsOf(material.leaf.chain());
    assertThat(store.getKey("identity", PASSWORD)).isNotNull();
  }

  @Test
  void readIdentity_wrongPassword() {
    Path file = TestMaterial.write(dir, "id.p12", identity);

    assertThatThrownBy(() -> Pkcs12.readIdentity(file, "wrong".toCharArray()))
        .isInstanceOf(PkiException.class)
        .hasMessage(file + ": found a MAC that does not verify with the given password (wrong"
            + " password); expected the password the file was made with");
  }

  @Test
  void readIdentity_severalKeysListsAliases() throws Exception {
    Path file = TestMaterial.write(dir, "two.p12", jdkStoreWithTwoKeys());

    assertThatThrownBy(() -> Pkcs12.readIdentity(file, PASSWORD))
        .hasMessage(file + ": found 2 private keys (aliases 'intermediate', 'leaf'); expected"
            + " exactly one private key (pass an alias to choose one)");
  }

  @Test
  void readIdentity_byAlias() throws Exception {
    Path file = TestMaterial.write(dir, "two.p12", jdkStoreWithTwoKeys());

    CertifiedKey read = Pkcs12.readIdentity(file, PASSWORD, "leaf");

    assertThat(read.certificate()).isEqualTo(material.leaf.certificate());
  }

  @Test
  void readIdentity_trustStoreHasNoKey() {
    byte[] trust = Pkcs12.writeTrust(List.of(material.root.certificate()), PASSWORD);

    assertThatThrownBy(() -> Pkcs12.readIdentity(trust, "trust.p12", PASSWORD))
        .hasMessage("trust.p12: found no private key (1 certificates); expected exactly one private"
            + " key (pass an alias to choose one)");
  }

  @Test
  void readTrust_roundTrip() {
    Path file = TestMaterial.write(dir, "trust.p12", Pkcs12.writeTrust(
        List.of(material.root.certificate(), material.intermediate.certificate()), PASSWORD));

    assertThat(Pkcs12.readTrust(file, PASSWORD))
        .containsExactly(material.root.certificate(), material.intermediate.certificate());
  }

  @Test
  void writeTrust_readableByTheJdkAsTrustedEntries() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(
        Pkcs12.writeTrust(List.of(material.root.certificate()), PASSWORD)), PASSWORD);

    assertThat(store.size()).isEqualTo(1);
    String alias = store.aliases().nextElement();
    assertThat(store.isCertificateEntry(alias)).isTrue();
    assertThat(store.getCertificate(alias)).isEqualTo(material.root.certificate());
  }

  @Test
  void readTrust_identityWithoutOtherCertificatesIsEmpty() {
    CertifiedKey selfSigned = CertificateBuilder.create().commonName("self").build();
    byte[] bytes = Pkcs12.writeIdentity(selfSigned, PASSWORD);

    assertThatThrownBy(() -> Pkcs12.readTrust(bytes, "self.p12", PASSWORD))
        .hasMessage("self.p12: found 1 private key(s) and no other certificate; expected trusted"
            + " certificates (an empty trust store trusts nothing)");
  }

  @Test
  void readTrust_notPkcs12() {
    byte[] pem = Pem.writeCertificates(material.root.certificate()).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Pkcs12.readTrust(pem, "root.pem", PASSWORD))
        .hasMessage("root.pem: found " + pem.length + " bytes of DER (not valid DER: truncated or"
            + " corrupt); expected a PKCS#12 file (PFX)");
  }

  @Test
  void readTrust_emptyFile() {
    Path file = TestMaterial.write(dir, "empty.p12", new byte[0]);

    assertThatThrownBy(() -> Pkcs12.readTrust(file, PASSWORD))
        .hasMessage(file + ": found an empty file; expected a PKCS#12 file");
  }

  @Test
  void readIdentity_directory() {
    assertThatThrownBy(() -> Pkcs12.readIdentity(dir, PASSWORD))
        .hasMessage(dir + ": found a directory; expected a file with a PKCS#12 identity (one"
            + " private key and its certificates)");
  }

  private static byte[] jdkStoreWithTwoKeys() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("leaf", material.leaf.privateKey(), PASSWORD,
        material.leaf.chain().toArray(Certificate[]::new));
    store.setKeyEntry("intermediate", material.intermediate.privateKey(), PASSWORD,
        material.intermediate.chain().toArray(Certificate[]::new));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, PASSWORD);
    return out.toByteArray();
  }
}
