package dev.mtls.examples.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.TlsServer;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingServerTest {

  private static void writeIdentity(Path dir, CertifiedKey identity) throws Exception {
    for (String name : new String[] {"tls.crt", "tls.key"}) {
      Path next = dir.resolve(name + ".new");
      Files.writeString(next, name.endsWith(".crt")
          ? Pem.writeCertificates(identity.chain()) : Pem.writePrivateKey(identity.privateKey()));
      Files.move(next, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void watching_picksUpARenewalUnderTheSameContext(@TempDir Path dir) throws Exception {
    TestCa ca = TestCa.create();
    Files.writeString(dir.resolve("clients-ca.pem"), Pem.writeCertificates(ca.certificate()));
    Files.writeString(dir.resolve("server-ca.pem"), Pem.writeCertificates(ca.certificate()));
    writeIdentity(dir, ca.server("localhost"));

    try (TlsServer server = RotatingServer.watching(dir)) {
      SSLContext context = server.sslContext();
      CertifiedKey renewed = ca.server("localhost");
      writeIdentity(dir, renewed);

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
