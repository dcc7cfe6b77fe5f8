package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** A server that maps clients to principals, over real handshakes. */
class PrincipalsTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey SERVER_KEY = CA.server("localhost");

  private static TlsServer server(EventsTest.Recording events) {
    return Mtls.server().identity(IdentitySource.of(SERVER_KEY)).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.spiffe("example.org")).listeners(events).build();
  }

  private static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  @Test
  void principal_ofAnEngine_isMappedOnceAndCarriedByTheEvent() throws Exception {
    EventsTest.Recording events = new EventsTest.Recording();
    CertifiedKey billing = CA.leaf(CertificateRole.CLIENT).spiffeId("spiffe://example.org/billing").issue();
    try (TlsServer server = server(events); TlsClient client = client(billing)) {
      SSLEngine serverEngine = server.newEngine();
      EngineHandshake.run(client.newEngine("localhost", 443), serverEngine);

      MtlsPrincipal principal = server.principal(serverEngine);
      assertThat(principal.getName()).isEqualTo("spiffe:spiffe://example.org/billing");
      assertThat(server.principal(serverEngine.getSession())).isSameAs(principal);
      assertThat(events.next().principal()).isEqualTo("spiffe:spiffe://example.org/billing");
    }
  }

  @Test
  void clientWithoutSpiffeId_failsTheHandshakeWithPrincipalRejected() throws Exception {
    EventsTest.Recording events = new EventsTest.Recording();
    try (TlsServer server = server(events); TlsClient client = client(CA.client("no-spiffe-id"))) {
      SSLEngine serverEngine = server.newEngine();

      assertThatThrownBy(() -> EngineHandshake.run(client.newEngine("localhost", 443), serverEngine))
          .isInstanceOf(SSLHandshakeException.class)
          .cause().isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.PRINCIPAL_REJECTED));
      assertThat(events.next().reason()).isEqualTo(FailureReason.PRINCIPAL_REJECTED);
    }
  }

  @Test
  void principal_withoutMapper_saysHowToConfigureOne() {
    TlsServer server = Mtls.server().identity(IdentitySource.of(SERVER_KEY))
        .trust(TrustSource.of(CA.certificate())).listeners().build();

    assertThatThrownBy(() -> server.principal(server.newEngine().getSession()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No principal mapper: configure one with principals(..)");
  }
}
