package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.verify.FailureReason;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestKeyStores;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** One event per handshake outcome, observed through the configuration's own engines and sockets. */
class EventsTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey SERVER_KEY = CA.server("localhost", "api.test");
  private static final CertifiedKey CLIENT_KEY = CA.client("billing");

  /** A listener that queues what it receives. */
  static final class Recording implements MtlsListener {
    final BlockingQueue<HandshakeEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onHandshake(HandshakeEvent event) {
      events.add(event);
    }

    HandshakeEvent next() throws InterruptedException {
      HandshakeEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    }
  }

  private static TlsServerBuilder serverBuilder() {
    return Mtls.server().identity(IdentitySource.of(SERVER_KEY)).trust(TrustSource.of(CA.certificate()));
  }

  private static TlsClientBuilder clientBuilder(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()));
  }

  @Test
  void success_overEngines_bothSidesReportWhoTheyMet() throws Exception {
    Recording serverEvents = new Recording();
    Recording clientEvents = new Recording();
    try (TlsServer server = serverBuilder().listeners(serverEvents).build();
        TlsClient client = clientBuilder(CLIENT_KEY).listeners(clientEvents).build()) {
      EngineHandshake.run(client.newEngine("api.test", 443), server.newEngine());

      HandshakeEvent seenByServer = serverEvents.next();
      assertThat(seenByServer.succeeded()).isTrue();
      assertThat(seenByServer.role()).isEqualTo("server");
      assertThat(seenByServer.protocol()).isEqualTo("TLSv1.3");
      assertThat(seenByServer.cipherSuite()).startsWith("TLS_");
      assertThat(seenByServer.serverName()).isEqualTo("api.test");
      assertThat(seenByServer.peerSubject()).isEqualTo("CN=billing");
      assertThat(seenByServer.peerIssuer()).isEqualTo(CA.certificate().getSubjectX500Principal().getName());
      assertThat(seenByServer.peerSerial()).isEqualTo(CLIENT_KEY.certificate().getSerialNumber());
      assertThat(seenByServer.peerFingerprint()).isEqualTo(Certificates.sha256Fingerprint(CLIENT_KEY.certificate()));
      assertThat(seenByServer.duration().isNegative()).isFalse();
      assertThat(seenByServer.failure()).isNull();
      HandshakeEvent seenByClient = clientEvents.next();
      assertThat(seenByClient.role()).isEqualTo("client");
      assertThat(seenByClient.peerSubject()).isEqualTo("CN=localhost");
      assertThat(seenByClient.peerHost()).isEqualTo("api.test");
    }
  }

  @Test
  void success_overSockets_isReported() throws Exception {
    Recording serverEvents = new Recording();
    try (TlsServer server = serverBuilder().listeners(serverEvents).build();
        TlsClient client = clientBuilder(CLIENT_KEY).listeners().build()) {
      LoopbackHandshake.Outcome outcome =
          LoopbackHandshake.run(server.sslContext(), client.sslContext(), "TLSv1.2", "localhost");

      assertThat(outcome.server()).isNull();
      HandshakeEvent event = serverEvents.next();
      assertThat(event.succeeded()).isTrue();
      assertThat(event.protocol()).isEqualTo("TLSv1.2");
      assertThat(event.peerSubject()).isEqualTo("CN=billing");
    }
  }

  @Test
  void rejectedCertificate_carriesTheTypedReason() throws Exception {
    Recording serverEvents = new Recording();
    try (TlsServer server = serverBuilder().listeners(serverEvents).build()) {
      TlsClient mallory = Mtls.client().identity(IdentitySource.of(TestCa.create().client("mallory")))
          .trust(TrustSource.of(CA.certificate())).listeners().build();
      LoopbackHandshake.run(server.sslContext(), mallory.sslContext(), "TLSv1.3", "localhost");

      HandshakeEvent event = serverEvents.next();
      assertThat(event.succeeded()).isFalse();
      assertThat(event.failure()).isEqualTo(HandshakeFailure.CERTIFICATE_REJECTED);
      assertThat(event.reason()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
      assertThat(event.message()).startsWith("UNTRUSTED_ISSUER: ");
    }
  }

  @Test
  void noClientCertificate_isReportedThoughNoTrustManagerRuns() throws Exception {
    Recording serverEvents = new Recording();
    try (TlsServer server = serverBuilder().listeners(serverEvents).build()) {
      SSLEngine client = TestKeyStores.sslContext(null, CA.certificate()).createSSLEngine("localhost", 443);
      client.setUseClientMode(true);

      assertThatThrownBy(() -> EngineHandshake.run(client, server.newEngine())).isInstanceOf(SSLException.class);

      HandshakeEvent event = serverEvents.next();
      assertThat(event.failure()).isEqualTo(HandshakeFailure.NO_PEER_CERTIFICATE);
      assertThat(event.reason()).isNull();
      // JDK 17 says "Empty client certificate chain"; later JDKs prefix the alert name.
      assertThat(event.message()).endsWith("Empty client certificate chain");
    }
  }

  @Test
  void noCommonProtocol_isReported() throws Exception {
    Recording serverEvents = new Recording();
    try (TlsServer server = serverBuilder().protocols("TLSv1.3").listeners(serverEvents).build()) {
      SSLEngine client = TestKeyStores.sslContext(CLIENT_KEY, CA.certificate()).createSSLEngine("localhost", 443);
      client.setUseClientMode(true);
      client.setEnabledProtocols(new String[] {"TLSv1.2"});

      assertThatThrownBy(() -> EngineHandshake.run(client, server.newEngine())).isInstanceOf(SSLException.class);

      HandshakeEvent event = serverEvents.next();
      assertThat(event.failure()).as(event.message()).isEqualTo(HandshakeFailure.NO_COMMON_PROTOCOL);
    }
  }

  @Test
  void noCommonCipherSuite_isReported() throws Exception {
    Recording serverEvents = new Recording();
    try (TlsServer server = serverBuilder().protocols("TLSv1.2")
        .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384").listeners(serverEvents).build()) {
      SSLEngine client = TestKeyStores.sslContext(CLIENT_KEY, CA.certificate()).createSSLEngine("localhost", 443);
      client.setUseClientMode(true);
      client.setEnabledProtocols(new String[] {"TLSv1.2"});
      client.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});

      assertThatThrownBy(() -> EngineHandshake.run(client, server.newEngine())).isInstanceOf(SSLException.class);

      assertThat(serverEvents.next().failure()).isEqualTo(HandshakeFailure.NO_COMMON_CIPHER_SUITE);
    }
  }

  @Test
  void tls13ClientRefusedAfterFinishing_reportsTheRejection() throws Exception {
    Recording clientEvents = new Recording();
    TestCa other = TestCa.create();
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(other.client("stranger")))
        .trust(TrustSource.of(CA.certificate())).listeners(clientEvents).build()) {
      LoopbackHandshake.Outcome outcome = LoopbackHandshake.run(
          TestKeyStores.sslContext(SERVER_KEY, CA.certificate()),
          client.sslContext(), "TLSv1.3", "localhost");

      assertThat(outcome.client()).isNotNull();
      HandshakeEvent event = clientEvents.next();
      if (event.succeeded()) { // engines report FINISHED before the server's verdict arrives
        event = clientEvents.next();
      }
      // Over TCP the server may close before the client reads its alert: then the client sees
      // the connection break instead.
      assertThat(event.failure()).as(event.message())
          .isIn(HandshakeFailure.REJECTED_BY_PEER, HandshakeFailure.CONNECTION_FAILED);
    }
  }

  @Test
  void tls13EngineRefusedAfterFinishing_reportsSuccessThenRejection() throws Exception {
    Recording clientEvents = new Recording();
    TestCa other = TestCa.create();
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(other.client("stranger")))
        .trust(TrustSource.of(CA.certificate())).listeners(clientEvents).build()) {
      SSLEngine server = TestKeyStores.sslContext(SERVER_KEY, CA.certificate()).createSSLEngine();
      server.setUseClientMode(false);
      server.setNeedClientAuth(true);

      assertThatThrownBy(() -> EngineHandshake.run(client.newEngine("localhost", 443), server))
          .isInstanceOf(SSLException.class);

      assertThat(clientEvents.next().succeeded()).isTrue();
      assertThat(clientEvents.next().failure()).isEqualTo(HandshakeFailure.REJECTED_BY_PEER);
    }
  }

  @Test
  void throwingListener_neitherFailsHandshakesNorStopsDelivery() throws Exception {
    Recording after = new Recording();
    MtlsListener throwing = event -> {
      throw new IllegalStateException("listener bug");
    };
    try (TlsServer server = serverBuilder().listeners(throwing, after).build();
        TlsClient client = clientBuilder(CLIENT_KEY).listeners().build()) {
      EngineHandshake.run(client.newEngine("localhost", 443), server.newEngine());
      EngineHandshake.run(client.newEngine("localhost", 443), server.newEngine());

      assertThat(after.next().succeeded()).isTrue();
      assertThat(after.next().succeeded()).isTrue();
    }
  }

  @Test
  void blockingListener_neverStallsHandshakes_andCloseStopsItsThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    MtlsListener blocking = event -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    TlsServer server = serverBuilder().listeners(blocking).build();
    try (TlsClient client = clientBuilder(CLIENT_KEY).listeners().build()) {
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        EngineHandshake.run(client.newEngine("localhost", 443), server.newEngine());
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    } finally {
      release.countDown();
      server.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (eventThreadInListener() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(eventThreadInListener()).as("an event thread still running this test's listener").isFalse();
  }

  private static boolean eventThreadInListener() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("mtls-events-") && t.isAlive() && blockingListenerFrame(t));
  }

  private static boolean blockingListenerFrame(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().startsWith(EventsTest.class.getName())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void slf4jFormat_hasStableKeyValueFields() {
    HandshakeEvent success = new HandshakeEvent(Instant.EPOCH, "server", true, "10.0.0.9", "api.test",
        "TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=billing,O=Example", "CN=Root", BigInteger.valueOf(255),
        "AB:CD", "spiffe:spiffe://example.org/billing", "[0] good (crl http://ca.test/crl)",
        Duration.ofMillis(12), null, null, null);
    HandshakeEvent failure = new HandshakeEvent(Instant.EPOCH, "server", false, "10.0.0.9", null,
        null, null, null, null, null, null, null, null, Duration.ofMillis(3),
        HandshakeFailure.CERTIFICATE_REJECTED,
        FailureReason.EXPIRED, "EXPIRED: certificate \"CN=x\" expired");

    assertThat(Slf4jListener.format(success)).isEqualTo("event=handshake outcome=success role=server"
        + " peer_host=10.0.0.9 sni=api.test protocol=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256"
        + " principal=spiffe:spiffe://example.org/billing revocation=\"[0] good (crl http://ca.test/crl)\""
        + " subject=\"CN=billing,O=Example\" issuer=\"CN=Root\""
        + " serial=ff fingerprint=AB:CD duration_ms=12");
    assertThat(Slf4jListener.format(failure)).isEqualTo("event=handshake outcome=failure role=server"
        + " peer_host=10.0.0.9 duration_ms=3 failure=CERTIFICATE_REJECTED reason=EXPIRED"
        + " message=\"EXPIRED: certificate \\\"CN=x\\\" expired\"");
  }

  @Test
  void slf4jFormat_escapesTabsAndTerminalEscapesAsUnicode() {
    StringBuilder line = new StringBuilder("event=test");
    Slf4jListener.field(line, "subject", "CN=a\tb\u001b[31mred\u0085");

    assertThat(line.toString()).isEqualTo("event=test subject=\"CN=a\\u0009b\\u001b[31mred\\u0085\"");
  }

  @Test
  void slf4jFormat_escapesLineBreaksAPeerCouldPutInItsSubject() {
    HandshakeEvent event = new HandshakeEvent(Instant.EPOCH, "server", false, null, null, null, null,
        null, null, null, null, null, null, null, HandshakeFailure.OTHER, null,
        "bad\nevent=handshake outcome=success\r");

    assertThat(Slf4jListener.format(event)).isEqualTo("event=handshake outcome=failure role=server"
        + " failure=OTHER message=\"bad\\nevent=handshake outcome=success\\r\"");
  }

  @Test
  void slf4jFormat_accessEvents_haveStableKeyValueFields() {
    AccessEvent allowed = new AccessEvent(Instant.EPOCH, "spiffe:spiffe://example.org/billing", "AB:CD",
        "GET", "/api/invoices", "access.policy:4", true, "allowed by access.policy:4");
    AccessEvent denied = new AccessEvent(Instant.EPOCH, null, null, "DELETE", "/admin", null, false,
        "no verified client principal");

    assertThat(Slf4jListener.format(allowed)).isEqualTo("event=access decision=allow"
        + " principal=spiffe:spiffe://example.org/billing fingerprint=AB:CD method=GET path=/api/invoices"
        + " rule=access.policy:4 reason=\"allowed by access.policy:4\"");
    assertThat(Slf4jListener.format(denied)).isEqualTo("event=access decision=deny method=DELETE path=/admin"
        + " reason=\"no verified client principal\"");
  }

  @Test
  void slf4jFormat_accessEventsFromAProxy_sayViaAndTheCertificateFailure() {
    AccessEvent forwarded = new AccessEvent(Instant.EPOCH, "cn:alice", "AB:CD", "GET", "/api", "p:1", true,
        "allowed by p:1", "proxy:cn:envoy", null);
    AccessEvent rejected = new AccessEvent(Instant.EPOCH, null, "EF:01", "GET", "/api", null, false,
        "forwarded certificate rejected", "proxy:2001:db8::1", dev.mtls.core.verify.FailureReason.EXPIRED);

    assertThat(Slf4jListener.format(forwarded)).isEqualTo("event=access decision=allow principal=cn:alice"
        + " fingerprint=AB:CD via=proxy:cn:envoy method=GET path=/api rule=p:1 reason=\"allowed by p:1\"");
    assertThat(Slf4jListener.format(rejected)).isEqualTo("event=access decision=deny fingerprint=EF:01"
        + " via=proxy:2001:db8::1 method=GET path=/api certificate_failure=EXPIRED"
        + " reason=\"forwarded certificate rejected\"");
  }

  @Test
  void publish_deliversAccessEventsOnTheEventThread() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    MtlsListener listener = new MtlsListener() {
      @Override
      public void onHandshake(HandshakeEvent event) {}

      @Override
      public void onAccess(AccessEvent event) {
        seen.add(Thread.currentThread().getName() + " " + event.path());
      }
    };
    AccessEvent event = new AccessEvent(Instant.EPOCH, "cn:billing", null, "GET", "/x", null, false, "r");
    try (TlsServer server = serverBuilder().listeners(listener).build();
        TlsServer silent = serverBuilder().listeners().build()) {
      server.publish(event);
      silent.publish(event); // no listeners: discarded

      assertThat(seen.poll(10, TimeUnit.SECONDS)).matches("mtls-events-\\d+ /x");
    }
  }

  @Test
  void burst_isDeliveredWhole_inOrder_andCloseDeliversWhatIsQueued() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    MtlsListener listener = new MtlsListener() {
      @Override
      public void onHandshake(HandshakeEvent event) {}

      @Override
      public void onAccess(AccessEvent event) {
        seen.add(event.path());
      }
    };
    int count = 3000; // a burst far larger than one linger brings under load, less than the queue holds
    List<String> published = new ArrayList<>();
    long start;
    try (TlsServer server = serverBuilder().listeners(listener).build()) {
      for (int i = 0; i < count; i++) {
        String path = "/" + i;
        published.add(path);
        server.publish(new AccessEvent(Instant.EPOCH, "cn:billing", null, "GET", path, null, true, "r"));
      }
      start = System.nanoTime();
    }
    assertThat(seen).containsExactlyElementsOf(published);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("close() delivers the queue and returns, without waiting out its linger or its one-second limit")
        .isLessThan(Duration.ofMillis(900));
  }
}
