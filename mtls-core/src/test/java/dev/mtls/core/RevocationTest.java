package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.revocation.RevocationPolicy.Source;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestRevocationServer;
import dev.mtls.testkit.TestRevocationServer.Fault;
import dev.mtls.testkit.TestTlsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Revocation over real handshakes: a server configuration checks its clients' certificates
 * against the test kit's OCSP responder and CRL server on loopback.
 */
class RevocationTest {
  private TestRevocationServer revocation;
  private TestCa ca;
  private final BlockingQueue<HandshakeEvent> events = new LinkedBlockingQueue<>();

  @TempDir Path dir;

  @BeforeEach
  void start() {
    revocation = TestRevocationServer.start();
    ca = TestCa.builder().revocationServer(revocation).build();
  }

  @AfterEach
  void stop() {
    revocation.close();
  }

  /** How one connection ended on the server: null if it succeeded, else the server's failure. */
  private String connect(TlsServer server, CertifiedKey clientKey) throws Exception {
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(clientKey))
        .trust(TrustSource.of(ca.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      try {
        Connections.exchange(client.socketFactory(), "localhost", tls.port());
      } catch (IOException e) {
        // The server's verdict is below.
      }
      TestTlsServer.Connection connection = tls.awaitConnection(Duration.ofSeconds(20));
      return connection.handshakeSucceeded() ? null : connection.failure();
    }
  }

  private TlsServer server(RevocationPolicy policy) {
    return Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate())).revocation(policy)
        .resumption(ResumptionPolicy.disabled()).listeners(events::add).build();
  }

  private HandshakeEvent lastEvent() throws InterruptedException {
    HandshakeEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a handshake event").isNotNull();
    return event;
  }

  @Test
  void ocspGood_isAcceptedAndTheEventSaysSo() throws Exception {
    try (TlsServer server = server(RevocationPolicy.hardFail())) {
      assertThat(connect(server, ca.client("billing"))).isNull();

      HandshakeEvent event = lastEvent();
      assertThat(event.succeeded()).isTrue();
      assertThat(event.revocation()).isEqualTo("[0] good (ocsp " + revocation.ocspUri(ca.certificate()) + ")");
    }
  }

  @Test
  void ocspRevoked_isRejectedWithReasonAndDate() throws Exception {
    CertifiedKey client = ca.client("billing");
    ca.revoke(client.certificate(), RevocationReason.KEY_COMPROMISE);
    try (TlsServer server = server(RevocationPolicy.softFail())) {
      String failure = connect(server, client);

      assertThat(failure).contains("REVOKED: certificate [0] 'CN=billing' (serial "
          + client.certificate().getSerialNumber().toString(16) + ") was revoked at ")
          .contains(", reason KEY_COMPROMISE, according to ocsp " + revocation.ocspUri(ca.certificate()));
      HandshakeEvent event = lastEvent();
      assertThat(event.reason()).isEqualTo(dev.mtls.core.verify.FailureReason.REVOKED);
      assertThat(event.message()).contains("KEY_COMPROMISE");
    }
  }

  @Test
  void revokedIntermediate_isRejectedAtIndexOne() throws Exception {
    TestCa deep = TestCa.builder().intermediates(1).revocationServer(revocation).build();
    deep.revoke(deep.intermediates().get(0).certificate(), RevocationReason.CA_COMPROMISE);
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(deep.server("localhost")))
        .trust(TrustSource.of(deep.certificate())).revocation(RevocationPolicy.hardFail())
        .listeners().build();
        TlsClient client = Mtls.client().identity(IdentitySource.of(deep.client("billing")))
            .trust(TrustSource.of(deep.certificate())).listeners().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      try {
        Connections.exchange(client.socketFactory(), "localhost", tls.port());
      } catch (IOException expected) {
        // refused
      }
      assertThat(tls.awaitConnection(Duration.ofSeconds(20)).failure())
          .contains("REVOKED: certificate [1] '" + deep.intermediates().get(0).certificate()
              .getSubjectX500Principal().getName() + "'")
          .contains("reason CA_COMPROMISE");
    }
  }

  @Test
  void endEntityScope_doesNotCheckTheIntermediate() throws Exception {
    TestCa deep = TestCa.builder().intermediates(1).revocationServer(revocation).build();
    deep.revoke(deep.intermediates().get(0).certificate(), RevocationReason.CA_COMPROMISE);
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(deep.server("localhost")))
        .trust(TrustSource.of(deep.certificate()))
        .revocation(RevocationPolicy.hardFail().scope(RevocationPolicy.Scope.END_ENTITY))
        .listeners().build();
        TlsClient client = Mtls.client().identity(IdentitySource.of(deep.client("billing")))
            .trust(TrustSource.of(deep.certificate())).listeners().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      Connections.exchange(client.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(20)).handshakeSucceeded()).isTrue();
    }
  }

  @Test
  void ocspUnknown_isRejectedEvenUnderSoftFail() throws Exception {
    revocation.ocspFault(Fault.UNKNOWN);
    try (TlsServer server = server(RevocationPolicy.softFail().sources(Source.OCSP))) {
      assertThat(connect(server, ca.client("billing")))
          .contains("REVOCATION_UNKNOWN: certificate [0] 'CN=billing'")
          .contains("is unknown to ocsp");
    }
  }

  /** Responder failures: the only kind soft fail forgives. */
  enum ResponderFailure {
    CONNECTION_REFUSED(Fault.CONNECTION_REFUSED, "Connection refused"),
    HTTP_500(Fault.HTTP_500, "HTTP 500"),
    MALFORMED(Fault.MALFORMED, "MALFORMED"),
    TRY_LATER(Fault.TRY_LATER, "tryLater"),
    UNAUTHORIZED(Fault.UNAUTHORIZED, "unauthorized"),
    WRONG_SIGNER(Fault.WRONG_SIGNER, "SIGNER_NOT_AUTHORIZED"),
    STALE(Fault.STALE, "STALE");

    final Fault fault;
    final String expected;

    ResponderFailure(Fault fault, String expected) {
      this.fault = fault;
      this.expected = expected;
    }
  }

  @ParameterizedTest
  @EnumSource(ResponderFailure.class)
  void responderFailure_softFailAccepts_hardFailRejects(ResponderFailure failure) throws Exception {
    revocation.ocspFault(failure.fault);
    CertifiedKey client = ca.client("billing");
    try (TlsServer soft = server(RevocationPolicy.softFail().sources(Source.OCSP))) {
      assertThat(connect(soft, client)).isNull();
      assertThat(lastEvent().revocation()).startsWith("[0] unavailable").contains(failure.expected);
    }
    try (TlsServer hard = server(RevocationPolicy.hardFail().sources(Source.OCSP))) {
      assertThat(connect(hard, client))
          .contains("REVOCATION_UNKNOWN: the revocation status of certificate [0] 'CN=billing'")
          .contains("could not be established and the policy is HARD_FAIL")
          .contains(failure.expected);
    }
  }

  @Test
  void slowResponder_softFailAcceptsWithinTheTimeout() throws Exception {
    revocation.delay(Duration.ofSeconds(5)).ocspFault(Fault.DELAY);
    try (TlsServer server = server(RevocationPolicy.softFail().sources(Source.OCSP)
        .requestTimeout(Duration.ofMillis(300)))) {
      long started = System.nanoTime();
      assertThat(connect(server, ca.client("billing"))).isNull();

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      assertThat(lastEvent().revocation()).contains("timed out");
    }
  }

  @Test
  void slowResponder_hardFailRejectsAtTheDeadline() throws Exception {
    revocation.delay(Duration.ofSeconds(30)).ocspFault(Fault.DELAY);
    try (TlsServer server = server(RevocationPolicy.hardFail().sources(Source.OCSP)
        .requestTimeout(Duration.ofSeconds(20)).deadline(Duration.ofMillis(300)))) {
      long started = System.nanoTime();
      assertThat(connect(server, ca.client("billing"))).contains("REVOCATION_UNKNOWN")
          .contains("the revocation deadline");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void delegatedResponder_isAccepted() throws Exception {
    revocation.delegatedResponder(true);
    CertifiedKey revoked = ca.client("gone");
    ca.revoke(revoked.certificate(), RevocationReason.SUPERSEDED);
    try (TlsServer server = server(RevocationPolicy.hardFail().sources(Source.OCSP))) {
      assertThat(connect(server, ca.client("billing"))).isNull();
      assertThat(connect(server, revoked)).contains("reason SUPERSEDED");
    }
  }

  @Test
  void answersAreCached_andAFailingResponderIsAskedOnce() throws Exception {
    try (TlsServer server = server(RevocationPolicy.hardFail().sources(Source.OCSP))) {
      CertifiedKey client = ca.client("billing");
      assertThat(connect(server, client)).isNull();
      assertThat(connect(server, client)).isNull();
      assertThat(revocation.ocspRequests()).isEqualTo(1);
    }
    revocation.ocspFault(Fault.HTTP_500);
    try (TlsServer server = server(RevocationPolicy.softFail().sources(Source.OCSP))) {
      int before = revocation.ocspRequests();
      assertThat(connect(server, ca.client("one"))).isNull();
      assertThat(connect(server, ca.client("two"))).isNull();
      assertThat(revocation.ocspRequests() - before).as("requests to a failing responder").isEqualTo(1);
    }
  }

  @Test
  void crlRevoked_isRejected_andGoodIsAccepted() throws Exception {
    CertifiedKey revoked = ca.client("gone");
    ca.revoke(revoked.certificate(), RevocationReason.PRIVILEGE_WITHDRAWN);
    try (TlsServer server = server(RevocationPolicy.hardFail().sources(Source.CRL))) {
      assertThat(connect(server, ca.client("billing"))).isNull();
      assertThat(lastEvent().revocation()).isEqualTo("[0] good (crl " + revocation.crlUri(ca.certificate()) + ")");
      assertThat(connect(server, revoked)).contains("reason PRIVILEGE_WITHDRAWN, according to crl "
          + revocation.crlUri(ca.certificate()));
      assertThat(revocation.crlRequests()).as("the CRL is fetched once and cached").isEqualTo(1);
    }
  }

  @Test
  void crlExpired_hardFailRejects() throws Exception {
    revocation.crlFault(Fault.STALE);
    try (TlsServer server = server(RevocationPolicy.hardFail().sources(Source.CRL))) {
      assertThat(connect(server, ca.client("billing"))).contains("REVOCATION_UNKNOWN")
          .contains("expired: its nextUpdate was");
    }
  }

  @Test
  void ocspDown_fallsBackToTheCrl() throws Exception {
    revocation.ocspFault(Fault.CONNECTION_REFUSED);
    CertifiedKey revoked = ca.client("gone");
    ca.revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE);
    try (TlsServer server = server(RevocationPolicy.hardFail())) {
      assertThat(connect(server, revoked)).contains("according to crl");
    }
  }

  @Test
  void close_stopsTheRevocationThreads() throws Exception {
    Path crlFile = dir.resolve("ca.crl");
    Files.writeString(crlFile, Pem.writeCrl(ca.crl()));
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    TlsServer server = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate()))
        .revocation(RevocationPolicy.hardFail().sources(Source.CRL).crlFiles(crlFile))
        .resumption(ResumptionPolicy.disabled()).listeners().build();
    java.util.List<Thread> started;
    try {
      // A CRL fetched from a distribution point schedules its refresh, which starts that thread.
      assertThat(connect(server, ca.client("billing"))).isNull();
      started = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t) && t.getName().startsWith("mtls-")
              && !t.getName().startsWith("mtls-test-")) // the test kit's servers, not the configuration's
          .toList();
      assertThat(started).extracting(Thread::getName)
          .anyMatch(n -> n.startsWith("mtls-revocation-")).anyMatch(n -> n.startsWith("mtls-crl-watch-"));
    } finally {
      server.close();
    }

    for (Thread thread : started) {
      thread.join(1000);
      assertThat(thread.isAlive()).as(thread.getName() + " alive after close()").isFalse();
    }
  }

  @Test
  void serverPolicyWithOnlyStaples_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> server(RevocationPolicy.hardFail()
        .sources(Source.STAPLED_OCSP)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("A server's revocation policy cannot rely on STAPLED_OCSP alone:");
  }

  @Test
  void unreadableCrlFile_failsTheBuildNamingIt() {
    Path missing = dir.resolve("missing.crl");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Mtls.server()
        .identity(IdentitySource.of(ca.server("localhost"))).trust(TrustSource.of(ca.certificate()))
        .revocation(RevocationPolicy.hardFail().crlFiles(missing)).listeners().build())
        .hasMessageContaining(missing.toString());
  }

  @Test
  void localCrlFile_reloadsAndResetsSessions() throws Exception {
    Path crlFile = dir.resolve("ca.crl");
    Files.writeString(crlFile, Pem.writeCrl(ca.crl()));
    CertifiedKey client = ca.client("billing");
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate()))
        .revocation(RevocationPolicy.hardFail().sources(Source.CRL).crlFiles(crlFile))
        .listeners().build();
        TlsClient resuming = Mtls.client().identity(IdentitySource.of(client))
            .trust(TrustSource.of(ca.certificate())).listeners().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      Connections.exchange(resuming.socketFactory(), "localhost", tls.port());
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isTrue();

      ca.revoke(client.certificate(), RevocationReason.KEY_COMPROMISE);
      RotationUnderLoadTest.replace(crlFile, Pem.writeCrl(ca.crl()));
      Thread.sleep(1000); // the watcher's debounce and reload

      try {
        Connections.exchange(resuming.socketFactory(), "localhost", tls.port());
      } catch (IOException expected) {
        // refused: a full handshake, not a resumption of the session from before the revocation
      }
      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).failure())
          .contains("REVOKED").contains("according to crl file " + crlFile);
    }
  }
}
