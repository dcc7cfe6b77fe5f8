package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestTlsServer;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resumption over real loopback connections. A full handshake makes the server verify the client
 * certificate, which reads the server's clock; a resumed one does not.
 */
class ResumptionTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey SERVER_KEY = CA.server("localhost");
  private static final CertifiedKey CLIENT_KEY = CA.client("billing");

  private static TlsServer server(CountingClock clock, ResumptionPolicy policy) {
    return Mtls.server().identity(IdentitySource.of(SERVER_KEY))
        .trust(TrustSource.of(CA.certificate())).clock(clock).resumption(policy).build();
  }

  private static TlsClient client() {
    return Mtls.client().identity(IdentitySource.of(CLIENT_KEY))
        .trust(TrustSource.of(CA.certificate())).build();
  }

  /** Connects twice and returns how many times the second connection read the server's clock. */
  private static int clockReadsOfSecondConnection(TlsServer server, CountingClock clock,
      TlsClient client, String protocol, Runnable between) throws Exception {
    try (TestTlsServer tls = TestTlsServer.start(server.sslContext(), TestTlsServer.ClientAuth.REQUIRED,
        protocol)) {
      SSLSession first = Connections.exchange(client.socketFactory(), "localhost", tls.port());
      assertThat(first.getProtocol()).isEqualTo(protocol);
      between.run();
      int before = clock.reads();
      Connections.exchange(client.socketFactory(), "localhost", tls.port());
      return clock.reads() - before;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void defaultPolicy_resumesWithinTheLifetime(String protocol) throws Exception {
    CountingClock clock = new CountingClock();
    TlsServer server = server(clock, ResumptionPolicy.defaultPolicy());

    int reads = clockReadsOfSecondConnection(server, clock, client(), protocol, () -> { });

    assertThat(reads).as("clock reads by a resumed handshake").isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void disabled_everyConnectionIsAFullHandshake(String protocol) throws Exception {
    CountingClock clock = new CountingClock();
    TlsServer server = server(clock, ResumptionPolicy.disabled());

    int reads = clockReadsOfSecondConnection(server, clock, client(), protocol, () -> { });

    assertThat(reads).as("clock reads by the second handshake").isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void bounded_sessionDoesNotOutliveItsLifetime(String protocol) throws Exception {
    CountingClock clock = new CountingClock();
    TlsServer server = server(clock, ResumptionPolicy.bounded(Duration.ofSeconds(1)));

    int reads = clockReadsOfSecondConnection(server, clock, client(), protocol, () -> sleep(2100));

    assertThat(reads).as("clock reads by the second handshake").isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void resetSessions_forcesAFullHandshakeUnderTheSameContext(String protocol) throws Exception {
    CountingClock clock = new CountingClock();
    TlsServer server = server(clock, ResumptionPolicy.defaultPolicy());
    TlsClient client = client();

    int reads = clockReadsOfSecondConnection(server, clock, client, protocol, server::resetSessions);

    assertThat(reads).as("clock reads by the second handshake").isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void disabledOnTheClient_neverOffersAnEarlierSession(String protocol) throws Exception {
    CountingClock clock = new CountingClock();
    TlsServer server = server(clock, ResumptionPolicy.defaultPolicy());
    TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT_KEY))
        .trust(TrustSource.of(CA.certificate())).resumption(ResumptionPolicy.disabled()).build();

    int reads = clockReadsOfSecondConnection(server, clock, client, protocol, () -> { });

    assertThat(reads).as("clock reads by the second handshake").isPositive();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
