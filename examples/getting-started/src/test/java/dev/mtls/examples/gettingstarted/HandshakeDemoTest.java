package dev.mtls.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeDemoTest {

  @Test
  void run_mutualTls13Handshake_eachSideSeesTheOther() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    List<HandshakeDemo.View> views =
        HandshakeDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    HandshakeDemo.View server = views.get(0);
    HandshakeDemo.View client = views.get(1);
    assertThat(server.protocol()).isEqualTo("TLSv1.3");
    assertThat(client.protocol()).isEqualTo("TLSv1.3");
    assertThat(server.cipherSuite()).isEqualTo(client.cipherSuite()).startsWith("TLS_");
    assertThat(server.peerSubject()).isEqualTo("CN=billing-worker,OU=payments,O=mtls demo");
    assertThat(server.peerSubjectAlternativeNames())
        .containsExactly("URI:spiffe://demo.mtls.dev/payments/billing-worker");
    assertThat(client.peerSubject()).isEqualTo("CN=localhost,O=mtls demo");
    assertThat(client.peerSubjectAlternativeNames()).containsExactly("DNS:localhost", "IP:127.0.0.1");
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("server saw:", "client saw:", "protocol     TLSv1.3");
  }
}
