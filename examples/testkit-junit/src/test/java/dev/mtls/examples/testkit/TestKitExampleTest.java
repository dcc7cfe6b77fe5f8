package dev.mtls.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.Client;
import dev.mtls.testkit.Server;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestCaExtension;
import dev.mtls.testkit.TestTlsServer;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestCaExtension.class)
class TestKitExampleTest {

  @Test
  void clientPresentsItsCertificate(
      TestCa ca, @Server CertifiedKey server, @Client("billing") CertifiedKey client) throws Exception {
    try (TestTlsServer tls = TestTlsServer.start(ca.sslContext(server));
        SSLSocket socket = (SSLSocket) ca.sslContext(client).getSocketFactory()
            .createSocket("localhost", tls.port())) {
      socket.startHandshake();

      TestTlsServer.Connection seen = tls.awaitConnection(Duration.ofSeconds(5));
      assertThat(seen.handshakeSucceeded()).isTrue();
      assertThat(seen.clientChain()).containsExactly(client.certificate());
    }
  }
}
