package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.PkiException;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import dev.mtls.testkit.TestKeyStores;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
  private static final TestCa CA = TestCa.builder().intermediates(1).build();
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path dir;

  @Test
  void identityPemFiles_loadChainAndKey() {
    CertifiedKey server = CA.server("localhost");
    TestFiles.PemIdentity files = TestFiles.writePem(dir, "server", server);

    IdentitySource source = IdentitySource.pemFiles(files.certificateChain(), files.privateKey());

    assertThat(source.load()).singleElement()
        .satisfies(k -> assertThat(k.chain()).containsExactlyElementsOf(server.chain()));
    assertThat(source.description()).isEqualTo("PEM files " + files.certificateChain() + " + " + files.privateKey());
  }

  @Test
  void identityPemFiles_encryptedKey_needsPassword() {
    CertifiedKey client = CA.client("c");
    TestFiles.PemIdentity files = TestFiles.writeEncryptedPem(dir, "client", client, PASSWORD);

    assertThat(IdentitySource.pemFiles(files.certificateChain(), files.privateKey(), PASSWORD).load())
        .singleElement().satisfies(k -> assertThat(k.certificate()).isEqualTo(client.certificate()));
  }

  @Test
  void identityPkcs12_loadsTheKeyEntry() {
    CertifiedKey client = CA.client("c");
    Path file = TestFiles.writePkcs12(dir, "client", client, PASSWORD);

    assertThat(IdentitySource.pkcs12(file, PASSWORD).load()).singleElement()
        .satisfies(k -> assertThat(k.chain()).containsExactlyElementsOf(client.chain()));
  }

  @Test
  void identityKeyStore_jks_loadsEveryKeyEntryInAliasOrder() throws Exception {
    CertifiedKey first = CA.server("a.test");
    CertifiedKey second = CA.server("b.test");
    KeyStore jks = KeyStore.getInstance("JKS");
    jks.load(null, null);
    jks.setKeyEntry("b", second.privateKey(), PASSWORD, second.chain().toArray(new Certificate[0]));
    jks.setKeyEntry("a", first.privateKey(), PASSWORD, first.chain().toArray(new Certificate[0]));
    jks.setCertificateEntry("ca", CA.certificate());
    Path file = dir.resolve("keys.jks");
    try (OutputStream out = Files.newOutputStream(file)) {
      jks.store(out, PASSWORD);
    }

    assertThat(IdentitySource.keyStore(file, "JKS", PASSWORD, PASSWORD).load())
        .extracting(CertifiedKey::certificate)
        .containsExactly(first.certificate(), second.certificate());
    assertThat(TrustSource.keyStore(file, "JKS", PASSWORD).load()).containsExactly(CA.certificate());
  }

  @Test
  void identityKeyStore_wrongPassword_isNamed() throws Exception {
    Path file = dir.resolve("keys.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      TestKeyStores.keyStore(CA.client("c")).store(out, PASSWORD);
    }

    assertThatThrownBy(() -> IdentitySource.keyStore(file, "PKCS12", "wrong".toCharArray(), PASSWORD).load())
        .isInstanceOf(PkiException.class)
        .hasMessage(file + ": found a key store that does not open with the given password (wrong"
            + " password); expected the password the store was made with");
  }

  @Test
  void trustPemDirectory_readsCertificateFilesOnly() throws Exception {
    TestCa other = TestCa.create();
    TestFiles.writeCertificates(dir, "a.pem", CA.certificate());
    TestFiles.writeCertificates(dir, "b.crt", other.certificate());
    Files.writeString(dir.resolve("README.txt"), "not a certificate");

    assertThat(TrustSource.pemDirectory(dir).load()).containsExactly(CA.certificate(), other.certificate());
  }

  @Test
  void trustPemDirectory_empty_isAnError() {
    assertThatThrownBy(() -> TrustSource.pemDirectory(dir).load())
        .isInstanceOf(PkiException.class)
        .hasMessage("PEM directory " + dir + " (0 .pem/.crt/.cer files): found no certificates; expected"
            + " at least one trusted CA certificate (an empty trust store trusts nothing)");
  }

  @Test
  void trustPkcs12_trustOnlyFile_isRead() {
    Path file = TestFiles.writePkcs12Trust(dir, "trust", PASSWORD, CA.certificate());

    assertThat(TrustSource.pkcs12(file, PASSWORD).load()).containsExactly(CA.certificate());
  }

  @Test
  void trustCombined_unionWithoutDuplicates() {
    TestCa other = TestCa.create();
    TrustSource combined = TrustSource.combined(
        TrustSource.of(CA.certificate()), TrustSource.of(other.certificate(), CA.certificate()));

    assertThat(combined.load()).containsExactly(CA.certificate(), other.certificate());
  }

  @Test
  void trustSystem_loadsTheJdkDefaults() {
    assertThat(TrustSource.system().load()).isNotEmpty();
  }

  @Test
  void trustPemFile_missing_namesTheFile() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> TrustSource.pemFile(missing).load())
        .isInstanceOf(PkiException.class)
        .hasMessageStartingWith(missing + ": found no such file");
  }

  @Test
  void build_fromFiles_endToEnd() {
    TestFiles.PemIdentity server = TestFiles.writePem(dir, "server", CA.server("localhost"));
    Path ca = TestFiles.writeCertificates(dir, "ca.pem", CA.certificate());

    TlsServer config = Mtls.server()
        .identity(IdentitySource.pemFiles(server.certificateChain(), server.privateKey()))
        .trust(TrustSource.pemFile(ca))
        .build();

    assertThat(config.trustAnchors()).containsExactly(CA.certificate());
  }
}
