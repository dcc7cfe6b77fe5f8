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
import dev.mtls.core.verify.FailureReason;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.Client;
import dev.mtls.testkit.Server;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestCaConfig;
import dev.mtls.testkit.TestCaExtension;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service under test with certificates from the test kit: one CA for the class, with an
 * intermediate between the root and the leaves, and leaves injected as parameters or made broken
 * on purpose.
 */
@ExtendWith(TestCaExtension.class)
@TestCaConfig(intermediates = 1)
class GreetingServiceTest {
  private final BlockingQueue<HandshakeEvent> serverEvents = new LinkedBlockingQueue<>();

  /** The service's configuration, trusting only the test CA's root, recording its handshakes. */
  private TlsServer serverConfiguration(TestCa ca, CertifiedKey identity) {
    return Mtls.server().identity(IdentitySource.of(identity)).trust(TrustSource.of(ca.certificate()))
        .principals(GreetingService.commonNames())
        .listeners(new MtlsListener() {
          @Override
          public void onHandshake(HandshakeEvent event) {
            serverEvents.add(event);
          }
        })
        .build();
  }

  private static TlsClient client(TestCa ca, CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(ca.certificate())).build();
  }

  /** Calls the service with a client identity and returns the service's handshake event. */
  private HandshakeEvent callExpectingRefusal(TestCa ca, CertifiedKey server, CertifiedKey clientIdentity)
      throws Exception {
    try (TlsServer tls = serverConfiguration(ca, server);
        GreetingService service = GreetingService.start(tls, 0);
        TlsClient client = client(ca, clientIdentity)) {
      assertThatThrownBy(() -> GreetingService.call(client, service.port(), "hi")).isInstanceOf(IOException.class);
      HandshakeEvent event = serverEvents.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("the service's handshake event").isNotNull();
      return event;
    }
  }

  @Test
  void call_clientFromTheCa_isGreetedByItsCommonName(
      TestCa ca, @Server("localhost") CertifiedKey server, @Client("billing") CertifiedKey billing) throws Exception {
    try (TlsServer tls = serverConfiguration(ca, server);
        GreetingService service = GreetingService.start(tls, 0);
        TlsClient client = client(ca, billing)) {
      assertThat(GreetingService.call(client, service.port(), "hi")).isEqualTo("hello cn:billing: hi");
      assertThat(billing.chain()).as("leaf and intermediate (@TestCaConfig(intermediates = 1))").hasSize(2);
    }
  }

  @Test
  void call_expiredClientCertificate_isRefusedAsExpired(TestCa ca, @Server("localhost") CertifiedKey server)
      throws Exception {
    HandshakeEvent event = callExpectingRefusal(ca, server, ca.broken(CertificateRole.CLIENT).expired());

    assertThat(event.succeeded()).isFalse();
    assertThat(event.verificationReason()).hasValue(FailureReason.EXPIRED);
  }

  @Test
  void call_serverCertificateUsedAsAClientCertificate_isRefusedForItsKeyUsage(
      TestCa ca, @Server("localhost") CertifiedKey server, @Server("billing") CertifiedKey serverOnly)
      throws Exception {
    HandshakeEvent event = callExpectingRefusal(ca, server, serverOnly);

    assertThat(event.verificationReason()).hasValue(FailureReason.WRONG_EXTENDED_KEY_USAGE);
  }

  @Test
  void call_clientFromAnotherCa_isRefusedAsUntrusted(TestCa ca, @Server("localhost") CertifiedKey server)
      throws Exception {
    HandshakeEvent event = callExpectingRefusal(ca, server, ca.broken(CertificateRole.CLIENT).unknownIssuer());

    assertThat(event.verificationReason()).hasValue(FailureReason.UNTRUSTED_ISSUER);
  }
}
