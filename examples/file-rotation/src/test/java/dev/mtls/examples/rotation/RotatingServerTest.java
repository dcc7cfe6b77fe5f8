package dev.mtls.examples.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.TlsServer;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingServerTest {
  @Test
  void watching_picksUpARenewalUnderTheSameContext(@TempDir Path dir) throws Exception {
    TestCa ca = TestCa.create();
    TestFiles.writeCertificates(dir, "clients-ca.pem", ca.certificate());
    TestFiles.writeCertificates(dir, "server-ca.pem", ca.certificate());
    RotationDemo.writeIdentity(dir, ca.server("localhost"));

    try (TlsServer server = RotatingServer.watching(dir)) {
      SSLContext context = server.sslContext();
      CertifiedKey renewed = ca.server("localhost");
      RotationDemo.writeIdentity(dir, renewed);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!server.identities().get(0).certificate().equals(renewed.certificate())
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(server.identities().get(0).certificate()).isEqualTo(renewed.certificate());
      assertThat(server.sslContext()).isSameAs(context);
    }
  }
}
