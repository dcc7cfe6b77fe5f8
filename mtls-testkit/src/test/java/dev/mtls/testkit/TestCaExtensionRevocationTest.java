package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.CertifiedKey;
import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestCaExtension.class)
@TestCaConfig(revocationServer = true)
class TestCaExtensionRevocationTest {

  @Test
  void issuedCertificatesNameTheInjectedServer(TestCa ca, TestRevocationServer revocation,
      @Client("billing") CertifiedKey client) throws Exception {
    CertificateInfo info = CertificateInfo.of(client.certificate());

    assertThat(info.ocspUris()).containsExactly(revocation.ocspUri(ca.certificate()).toString());
    assertThat(info.crlDistributionPoints().get(0).fullName().get(0).value())
        .isEqualTo(revocation.crlUri(ca.certificate()).toString());
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(revocation.crlUri(ca.certificate()).toString()).toURL().openConnection();
    try {
      assertThat(connection.getResponseCode()).isEqualTo(200);
    } finally {
      connection.disconnect();
    }
  }
}
