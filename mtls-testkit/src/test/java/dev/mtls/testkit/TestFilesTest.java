package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.Pkcs12;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFilesTest {
  private static final TestCa CA = TestCa.builder().intermediates(1).build();
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path dir;

  @Test
  void writePem_roundTripsThroughPem() throws Exception {
    CertifiedKey server = CA.server("localhost");

    TestFiles.PemIdentity files = TestFiles.writePem(dir, "server", server);

    assertThat(files.certificateChain()).isEqualTo(dir.resolve("server.crt"));
    CertifiedKey read = Pem.readCertifiedKey(files.certificateChain(), files.privateKey(), null);
    assertThat(read.chain()).containsExactlyElementsOf(server.chain());
  }

  @Test
  void writeEncryptedPem_needsThePassword() {
    CertifiedKey client = CA.client("c");

    TestFiles.PemIdentity files = TestFiles.writeEncryptedPem(dir, "client", client, PASSWORD);

    assertThat(Pem.readCertifiedKey(files.certificateChain(), files.privateKey(), PASSWORD).chain())
        .containsExactlyElementsOf(client.chain());
    assertThatThrownBy(() -> Pem.readPrivateKey(files.privateKey(), null))
        .hasMessageContaining("no password");
  }

  @Test
  void writePkcs12_identityAndTrust_roundTrip() {
    CertifiedKey client = CA.client("c");

    Path identity = TestFiles.writePkcs12(dir, "client", client, PASSWORD);
    Path trust = TestFiles.writePkcs12Trust(dir, "trust", PASSWORD, CA.certificate());

    assertThat(Pkcs12.readIdentity(identity, PASSWORD).chain()).containsExactlyElementsOf(client.chain());
    assertThat(Pkcs12.readTrust(trust, PASSWORD)).containsExactly(CA.certificate());
  }

  @Test
  void nothingIsWrittenUnlessAsked() throws Exception {
    CA.client("c");

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void write_intoMissingDirectory_isRefused() {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> TestFiles.writeCertificates(missing, "ca.pem", CA.certificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a directory: " + missing);
  }
}
