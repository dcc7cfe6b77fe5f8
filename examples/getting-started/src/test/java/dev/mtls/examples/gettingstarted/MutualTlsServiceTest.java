package dev.mtls.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutualTlsServiceTest {

  @Test
  void callOnce_serverSeesTheClientsSpiffeId(@TempDir Path dir) throws Exception {
    CertifiedKey ca = CertificateBuilder.create().commonName("Example CA").role(CertificateRole.CA).build();
    CertifiedKey server = CertificateBuilder.create().commonName("localhost").role(CertificateRole.SERVER)
        .subjectAlternativeNames(GeneralName.dns("localhost")).issuedBy(ca).build();
    CertifiedKey client = CertificateBuilder.create().commonName("billing").role(CertificateRole.CLIENT)
        .subjectAlternativeNames(GeneralName.uri("spiffe://example.org/billing")).issuedBy(ca).build();
    Files.writeString(dir.resolve("ca.pem"), Pem.writeCertificates(ca.certificate()));
    Files.writeString(dir.resolve("server.crt"), Pem.writeCertificates(server.chain()));
    Files.writeString(dir.resolve("server.key"), Pem.writePrivateKey(server.privateKey()));
    Files.writeString(dir.resolve("client.crt"), Pem.writeCertificates(client.chain()));
    Files.writeString(dir.resolve("client.key"), Pem.writePrivateKey(client.privateKey()));

    assertThat(MutualTlsService.callOnce(dir)).isEqualTo("spiffe:spiffe://example.org/billing");
  }
}
