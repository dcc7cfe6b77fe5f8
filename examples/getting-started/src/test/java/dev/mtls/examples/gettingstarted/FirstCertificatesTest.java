package dev.mtls.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pkcs12;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstCertificatesTest {

  @Test
  void issue_writesFilesThatReadBack(@TempDir Path dir) throws Exception {
    CertifiedKey server = FirstCertificates.issue(dir);

    assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=api,O=Example");
    assertThat(Pkcs12.readIdentity(dir.resolve("server.p12"), "s3cret".toCharArray()).certificate())
        .isEqualTo(server.certificate());
    assertThat(dir.resolve("ca.pem")).isRegularFile();
  }
}
