package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client chains verified outside a handshake: forwarded by a proxy or reported by a container. */
class VerifyClientTest {
  private static final TestCa CA = TestCa.create();
  private static final TestCa OTHER_CA = TestCa.create();
  private static final CertifiedKey ALICE = CA.client("alice");

  @TempDir Path dir;

  private static TlsServer server(Clock clock) {
    return Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).clock(clock).listeners()
        .build();
  }

  @Test
  void verifyClient_mapsThePrincipalAndKeepsTheResult() throws Exception {
    try (TlsServer server = server(Clock.systemUTC())) {
      VerifiedClient first = server.verifyClient(ALICE.chain());

      assertThat(first.principal().getName()).isEqualTo("cn:alice");
      assertThat(first.path().leaf()).isEqualTo(ALICE.certificate());
      assertThat(first.path().trustAnchor()).isEqualTo(CA.certificate());
      assertThat(server.verifyClient(ALICE.chain())).isSameAs(first);
    }
  }

  @Test
  void verifyClient_fromAnUntrustedCa_isUntrustedIssuer() {
    try (TlsServer server = server(Clock.systemUTC())) {
      assertThatThrownBy(() -> server.verifyClient(OTHER_CA.client("mallory").chain()))
          .isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.UNTRUSTED_ISSUER));
    }
  }

  @Test
  void verifyClient_ofAServerCertificate_isWrongExtendedKeyUsage() {
    try (TlsServer server = server(Clock.systemUTC())) {
      assertThatThrownBy(() -> server.verifyClient(CA.server("alice").chain()))
          .isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.WRONG_EXTENDED_KEY_USAGE));
    }
  }

  @Test
  void verifyClient_ofAnEmptyChain_isNoCertificate() {
    try (TlsServer server = server(Clock.systemUTC())) {
      assertThatThrownBy(() -> server.verifyClient(List.of()))
          .isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_CERTIFICATE));
    }
  }

  @Test
  void verifyClient_thatMapsToNoPrincipal_isPrincipalRejected() {
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).principals(PrincipalMappers.spiffe("example.org")).listeners()
        .build()) {
      assertThatThrownBy(() -> server.verifyClient(ALICE.chain()))
          .isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.PRINCIPAL_REJECTED));
    }
  }

  @Test
  void verifyClient_withoutMapper_saysHowToConfigureOne() {
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).listeners().build()) {
      assertThatThrownBy(() -> server.verifyClient(ALICE.chain()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("No principal mapper: configure one with principals(..)");
    }
  }

  @Test
  void verifyClient_afterTrustIsReloaded_refusesAChainOfTheOldCa() throws Exception {
    Path trust = dir.resolve("clients-ca.pem");
    Files.writeString(trust, Pem.writeCertificates(CA.certificate()));
    CertifiedKey newcomer = OTHER_CA.client("newcomer");
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.pemFile(trust)).principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners().build()) {
      assertThat(server.verifyClient(ALICE.chain()).principal().getName()).isEqualTo("cn:alice");

      Files.writeString(trust, Pem.writeCertificates(OTHER_CA.certificate()));
      assertThat(server.reload()).extracting(ReloadEvent::outcome).contains(ReloadEvent.Outcome.CHANGED);

      assertThatThrownBy(() -> server.verifyClient(ALICE.chain()))
          .isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.UNTRUSTED_ISSUER));
      assertThat(server.verifyClient(newcomer.chain()).principal().getName()).isEqualTo("cn:newcomer");
    }
  }

  @Test
  void verifyClient_afterResetSessions_verifiesAgain() throws Exception {
    try (TlsServer server = server(Clock.systemUTC())) {
      VerifiedClient first = server.verifyClient(ALICE.chain());

      server.resetSessions();

      VerifiedClient second = server.verifyClient(ALICE.chain());
      assertThat(second).isNotSameAs(first).isEqualTo(first);
      assertThat(server.verifyClient(ALICE.chain())).isSameAs(second);
    }
  }

  @Test
  void verifyClient_keepsAResultForAMinuteAtMost() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TlsServer server = server(clock)) {
      VerifiedClient first = server.verifyClient(ALICE.chain());
      clock.advance(Duration.ofSeconds(59));
      assertThat(server.verifyClient(ALICE.chain())).isSameAs(first);

      clock.advance(Duration.ofSeconds(1));

      assertThat(server.verifyClient(ALICE.chain())).isNotSameAs(first);
    }
  }

  @Test
  void verifyClient_keepsAResultNoLongerThanTheCertificateIsValid() throws Exception {
    Instant notAfter = ALICE.certificate().getNotAfter().toInstant();
    MutableClock clock = new MutableClock(notAfter.minusSeconds(10));
    try (TlsServer server = server(clock)) {
      server.verifyClient(ALICE.chain());

      clock.advance(Duration.ofMinutes(2)); // beyond notAfter and the one-minute clock-skew allowance

      assertThatThrownBy(() -> server.verifyClient(ALICE.chain()))
          .isInstanceOfSatisfying(PeerVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.EXPIRED));
    }
  }

  /** A clock a test moves forward. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration duration) {
      now.updateAndGet(at -> at.plus(duration));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("not needed");
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
