package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's example test, and the extension's behaviour. */
@ExtendWith(TestCaExtension.class)
@TestCaConfig(intermediates = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestCaExtensionTest {
  private static TestCa firstCa;

  @Test
  @Order(1)
  void clientPresentsItsCertificate(TestCa ca, @Server CertifiedKey server, @Client("payments") CertifiedKey client)
      throws Exception {
    try (TestTlsServer tls = TestTlsServer.start(ca.sslContext(server))) {
      Handshakes.connect(ca.sslContext(client), tls, "TLSv1.3");

      TestTlsServer.Connection seen = tls.awaitConnection(Duration.ofSeconds(10));
      assertThat(seen.clientChain()).containsExactlyElementsOf(client.chain());
      assertThat(seen.clientChain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=payments");
    }
    firstCa = ca;
  }

  @Test
  @Order(2)
  void oneCaPerTestClass(TestCa ca) {
    assertThat(ca).isSameAs(firstCa);
    assertThat(ca.intermediates()).hasSize(1);
  }

  @Test
  @Order(3)
  void annotationsSetNamesKeyTypeAndValidity(
      @Server(value = {"api.test", "10.0.0.9"}, keyType = KeyType.RSA_2048) CertifiedKey server,
      @Client(value = "worker", uris = "spiffe://example.org/worker", validFor = "PT5M") CertifiedKey client)
      throws Exception {
    assertThat(server.certificate().getSubjectAlternativeNames())
        .containsExactly(List.of(2, "api.test"), List.of(7, "10.0.0.9"));
    assertThat(server.publicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(client.certificate().getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://example.org/worker"));
    assertThat(client.certificate().getNotAfter().toInstant())
        .isBetween(Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(6)));
  }
}
