package dev.mtls.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.Client;
import dev.mtls.testkit.Server;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestCaConfig;
import dev.mtls.testkit.TestCaExtension;
import dev.mtls.testkit.TestRevocationServer;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Revocation with the test kit's OCSP responder and CRL server: each test gets its own CA
 * ({@code perTest}), whose certificates name the revocation server's URLs, so faults injected in
 * one test never leak into another.
 */
@ExtendWith(TestCaExtension.class)
@TestCaConfig(revocationServer = true, perTest = true)
class RevocationExampleTest {
  private final BlockingQueue<HandshakeEvent> serverEvents = new LinkedBlockingQueue<>();
  private HandshakeEvent lastEvent;

  /** The reason the service gave for refusing the last client. */
  private FailureReason refusalReason() {
    assertThat(lastEvent).as("the service's handshake event").isNotNull();
    return lastEvent.reason();
  }

  private String callService(TestCa ca, CertifiedKey server, CertifiedKey clientIdentity,
      RevocationPolicy revocation) throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(server)).trust(TrustSource.of(ca.certificate()))
            .principals(GreetingService.commonNames()).revocation(revocation)
            .listeners(new MtlsListener() {
              @Override
              public void onHandshake(HandshakeEvent event) {
                serverEvents.add(event);
              }
            })
            .build();
        GreetingService service = GreetingService.start(tls, 0);
        TlsClient client = Mtls.client().identity(IdentitySource.of(clientIdentity))
            .trust(TrustSource.of(ca.certificate())).build()) {
      try {
        return GreetingService.call(client, service.port(), "hi");
      } finally {
        // Before the configuration closes: an event published after close() is dropped.
        lastEvent = serverEvents.poll(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void call_goodCertificate_isAcceptedAfterAskingTheResponder(TestCa ca, TestRevocationServer revocation,
      @Server("localhost") CertifiedKey server, @Client("billing") CertifiedKey billing) throws Exception {
    assertThat(callService(ca, server, billing, RevocationPolicy.hardFail())).isEqualTo("hello cn:billing: hi");
    assertThat(revocation.ocspRequests()).isPositive();
  }

  @Test
  void call_revokedCertificate_isRefused(TestCa ca,
      @Server("localhost") CertifiedKey server, @Client("former-employee") CertifiedKey former) throws Exception {
    ca.revoke(former.certificate(), RevocationReason.KEY_COMPROMISE);

    assertThatThrownBy(() -> callService(ca, server, former, RevocationPolicy.hardFail()))
        .isInstanceOf(IOException.class);
    assertThat(refusalReason()).isEqualTo(FailureReason.REVOKED);
  }

  @Test
  void call_respondersDown_softFailAdmitsAndHardFailRefuses(TestCa ca, TestRevocationServer revocation,
      @Server("localhost") CertifiedKey server, @Client("billing") CertifiedKey billing) throws Exception {
    revocation.ocspFault(TestRevocationServer.Fault.CONNECTION_REFUSED)
        .crlFault(TestRevocationServer.Fault.CONNECTION_REFUSED);

    assertThat(callService(ca, server, billing, RevocationPolicy.softFail())).isEqualTo("hello cn:billing: hi");
    assertThatThrownBy(() -> callService(ca, server, billing, RevocationPolicy.hardFail()))
        .isInstanceOf(IOException.class);
    assertThat(refusalReason()).isEqualTo(FailureReason.REVOCATION_UNKNOWN);
  }
}
