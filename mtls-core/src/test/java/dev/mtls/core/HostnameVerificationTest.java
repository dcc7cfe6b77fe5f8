package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestTlsServer;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The client checks the server's name against the host it connected to. */
class HostnameVerificationTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey CLIENT_KEY = CA.client("billing");

  static TlsServer server(CertifiedKey identity) {
    return Mtls.server().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate())).build();
  }

  static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate())).build();
  }

  @Test
  void clientConnectingToWrongHost_isRefusedWithNameMismatch() throws Exception {
    TlsServer server = server(CA.server("other.test"));
    TlsClient client = client(CLIENT_KEY);

    try (TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      assertThatThrownBy(() -> Connections.exchange(client.socketFactory(), "localhost", tls.port()))
          .isInstanceOf(SSLHandshakeException.class)
          .cause().isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.NAME_MISMATCH));
    }
  }

}
