package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.revocation.RevocationChecker;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.revocation.RevocationPolicy.Source;
import dev.mtls.core.revocation.RevocationResult;
import dev.mtls.core.revocation.RevocationStatus;
import dev.mtls.core.revocation.RevocationStatus.Status;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.OcspCertificateId;
import dev.mtls.pki.OcspResponseBuilder;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestRevocationServer;
import dev.mtls.testkit.TestRevocationServer.Fault;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker's caches, failure memory, shared requests and deadline, against the test kit's
 * OCSP responder and CRL server on loopback, without handshakes.
 */
class RevocationCheckerTest {
  private TestRevocationServer revocation;
  private TestCa ca;
  private final MovableClock clock = new MovableClock();

  /** The system's time, moved forward on demand. */
  private static final class MovableClock extends Clock {
    private volatile Duration ahead = Duration.ZERO;

    void advance(Duration by) {
      ahead = ahead.plus(by);
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
      return Instant.now().plus(ahead);
    }
  }

  @BeforeEach
  void start() {
    revocation = TestRevocationServer.start();
    ca = TestCa.builder().revocationServer(revocation).build();
  }

  @AfterEach
  void stop() {
    revocation.close();
  }

  private RevocationChecker checker(RevocationPolicy policy) {
    return RevocationChecker.builder(policy).clock(clock).build();
  }

  private RevocationStatus check(RevocationChecker checker, CertifiedKey leaf, byte[]... staples) {
    RevocationResult result = checker.check(List.of(leaf.certificate(), ca.certificate()), List.of(staples));
    return result.statuses().get(0);
  }

  private byte[] goodStaple(X509Certificate certificate) {
    return staple(certificate, Duration.ofSeconds(1), null);
  }

  /** A staple current since some time ago: GOOD, or REVOKED for a reason. */
  private byte[] staple(X509Certificate certificate, Duration age, RevocationReason reason) {
    Instant now = ca.clock().instant();
    OcspCertificateId id = OcspCertificateId.of(certificate, ca.certificate());
    OcspResponseBuilder response = OcspResponseBuilder.create().clock(ca.clock()).signedBy(ca.issuer())
        .thisUpdate(now.minus(age)).nextUpdate(now.plus(Duration.ofHours(1)));
    return (reason == null ? response.good(id) : response.revoked(id, now.minus(Duration.ofDays(1)), reason))
        .build();
  }

  @Test
  void deadline_boundsASlowResponder_andTheMessageSaysSo() {
    revocation.delay(Duration.ofSeconds(30)).ocspFault(Fault.DELAY);
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.OCSP)
        .requestTimeout(Duration.ofSeconds(20)).deadline(Duration.ofMillis(300)))) {
      long started = System.nanoTime();
      RevocationStatus status = check(checker, ca.client("billing"));

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
      assertThat(status.detail()).contains("the revocation deadline");
    }
  }

  @Test
  void deadline_boundsAServerThatTricklesHeaders() {
    revocation.crlFault(Fault.TRICKLE);
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.CRL)
        .requestTimeout(Duration.ofSeconds(20)).deadline(Duration.ofMillis(300)))) {
      long started = System.nanoTime();
      RevocationStatus status = check(checker, ca.client("billing"));

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
      assertThat(status.detail()).contains("the revocation deadline");
    }
  }

  @Test
  void ocsp_usesGetWithoutNonce_andPostWithOne() {
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.OCSP))) {
      assertThat(check(checker, ca.client("billing")).status()).isEqualTo(Status.GOOD);
    }
    assertThat(revocation.ocspGetRequests()).isEqualTo(1);
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.OCSP).ocspNonce())) {
      assertThat(check(checker, ca.client("billing")).status()).isEqualTo(Status.GOOD);
    }
    assertThat(revocation.ocspRequests()).isEqualTo(2);
    assertThat(revocation.ocspGetRequests()).as("the request with a nonce is posted").isEqualTo(1);
  }

  @Test
  void staleCrl_isFetchedOncePerFailureMemory() {
    revocation.crlFault(Fault.STALE);
    try (RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.CRL)
        .failureMemory(Duration.ofMinutes(5)))) {
      for (int i = 0; i < 4; i++) {
        assertThat(check(checker, ca.client("billing")).detail()).contains("expired: its nextUpdate was");
      }
      assertThat(revocation.crlRequests()).isEqualTo(1);

      clock.advance(Duration.ofMinutes(6));
      check(checker, ca.client("billing"));
      check(checker, ca.client("billing"));
      assertThat(revocation.crlRequests()).isEqualTo(2);
    }
  }

  @Test
  void ocspRevoked_isKeptPastItsNextUpdate() {
    CertifiedKey client = ca.client("billing");
    ca.revoke(client.certificate(), RevocationReason.KEY_COMPROMISE);
    try (RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.OCSP))) {
      assertThat(check(checker, client).status()).isEqualTo(Status.REVOKED);
      revocation.ocspFault(Fault.CONNECTION_REFUSED);
      clock.advance(Duration.ofHours(2)); // the response's nextUpdate is an hour away

      RevocationStatus later = check(checker, client);

      assertThat(later.status()).isEqualTo(Status.REVOKED);
      assertThat(later.reason()).contains(RevocationReason.KEY_COMPROMISE);
    }
  }

  @Test
  void ocspRevoked_isNotOverriddenByAGoodStaple() {
    CertifiedKey client = ca.client("billing");
    byte[] good = goodStaple(client.certificate());
    ca.revoke(client.certificate(), RevocationReason.KEY_COMPROMISE);
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail()
        .sources(Source.STAPLED_OCSP, Source.OCSP))) {
      assertThat(check(checker, client).status()).isEqualTo(Status.REVOKED);

      RevocationStatus stapled = check(checker, client, good);

      assertThat(stapled.status()).isEqualTo(Status.REVOKED);
      assertThat(stapled.source()).isEqualTo("ocsp " + revocation.ocspUri(ca.certificate()));
    }
  }

  @Test
  void certificateHold_isLiftedOnlyByALaterGoodAnswer() {
    CertifiedKey client = ca.client("billing");
    X509Certificate certificate = client.certificate();
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.STAPLED_OCSP))) {
      assertThat(check(checker, client, staple(certificate, Duration.ofMinutes(10),
          RevocationReason.CERTIFICATE_HOLD)).status()).isEqualTo(Status.REVOKED);

      assertThat(check(checker, client, staple(certificate, Duration.ofMinutes(20), null)).status())
          .as("an older GOOD answer").isEqualTo(Status.REVOKED);
      assertThat(check(checker, client, staple(certificate, Duration.ofMinutes(1), null)).status())
          .as("a later GOOD answer").isEqualTo(Status.GOOD);
    }
  }

  @Test
  void revocationForGood_isNotLiftedByALaterGoodStaple() {
    CertifiedKey client = ca.client("billing");
    X509Certificate certificate = client.certificate();
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.STAPLED_OCSP))) {
      assertThat(check(checker, client, staple(certificate, Duration.ofMinutes(10),
          RevocationReason.KEY_COMPROMISE)).status()).isEqualTo(Status.REVOKED);

      RevocationStatus later = check(checker, client, staple(certificate, Duration.ofMinutes(1), null));

      assertThat(later.status()).isEqualTo(Status.REVOKED);
      assertThat(later.reason()).contains(RevocationReason.KEY_COMPROMISE);
    }
  }

  @Test
  void revocationForGood_outlivesTheCacheBound() {
    CertifiedKey revoked = ca.client("billing");
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.STAPLED_OCSP)
        .cacheSize(1))) {
      assertThat(check(checker, revoked, staple(revoked.certificate(), Duration.ofMinutes(10),
          RevocationReason.KEY_COMPROMISE)).status()).isEqualTo(Status.REVOKED);
      for (String name : List.of("reporting", "audit", "search")) { // fill the one-entry cache, more than once
        CertifiedKey other = ca.client(name);
        assertThat(check(checker, other, goodStaple(other.certificate())).status()).isEqualTo(Status.GOOD);
      }

      RevocationStatus replayed = check(checker, revoked, staple(revoked.certificate(), Duration.ofMinutes(1), null));

      assertThat(replayed.status()).as("a GOOD staple after the revocation").isEqualTo(Status.REVOKED);
      assertThat(replayed.reason()).contains(RevocationReason.KEY_COMPROMISE);
    }
  }

  @Test
  void finalRevocation_winsOverAGoodAnswerWithALaterThisUpdate() {
    CertifiedKey client = ca.client("billing");
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.STAPLED_OCSP))) {
      assertThat(check(checker, client, staple(client.certificate(), Duration.ofMinutes(1), null)).status())
          .isEqualTo(Status.GOOD);

      // Signed before the GOOD answer above, but a key compromise cannot be undone.
      RevocationStatus older = check(checker, client, staple(client.certificate(), Duration.ofMinutes(10),
          RevocationReason.KEY_COMPROMISE));
      RevocationStatus goodAgain = check(checker, client, staple(client.certificate(), Duration.ofMinutes(1), null));

      assertThat(older.status()).isEqualTo(Status.REVOKED);
      assertThat(goodAgain.status()).as("the GOOD staple once more").isEqualTo(Status.REVOKED);
    }
  }

  @Test
  void runtimeFailureOfASource_isUnavailable_notThrown() {
    TestCa stranger = TestCa.create();
    try (RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.OCSP))) {
      RevocationResult result = checker.check(List.of(ca.client("billing").certificate(),
          stranger.certificate()), List.of());

      assertThat(result.rejection()).isEmpty();
      assertThat(result.statuses().get(0).status()).isEqualTo(Status.UNAVAILABLE);
      assertThat(result.statuses().get(0).detail()).contains(" was issued by '"
          + ca.certificate().getSubjectX500Principal().getName() + "', not by the issuer given");
    }
  }

  @Test
  void goodStaple_isVerifiedOnce_andEmptyStaplesAreSkipped() {
    CertifiedKey client = ca.client("billing");
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(Source.STAPLED_OCSP))) {
      byte[] staple = goodStaple(client.certificate());
      assertThat(check(checker, client, staple).status()).isEqualTo(Status.GOOD);
      assertThat(check(checker, client, staple).status()).isEqualTo(Status.GOOD);
      assertThat(check(checker, client, new byte[0]).detail()).startsWith("no source applies");
    }
  }

  @Test
  void deadlineCutRequest_doesNotBlockTheResponderForOthers() {
    revocation.delay(Duration.ofSeconds(3)).ocspFault(Fault.DELAY);
    try (RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.OCSP)
        .deadline(Duration.ofMillis(300)))) {
      assertThat(check(checker, ca.client("one")).status()).isEqualTo(Status.UNAVAILABLE);
      revocation.ocspFault(Fault.NONE);

      assertThat(check(checker, ca.client("two")).status()).isEqualTo(Status.GOOD);
    }
  }

  @Test
  void oneCertificatesBadAnswer_doesNotBlockTheResponderForOthers() {
    revocation.ocspFault(Fault.WRONG_SIGNER);
    CertifiedKey one = ca.client("one");
    try (RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.OCSP))) {
      assertThat(check(checker, one).detail()).contains("SIGNER_NOT_AUTHORIZED");
      revocation.ocspFault(Fault.NONE);

      assertThat(check(checker, ca.client("two")).status()).isEqualTo(Status.GOOD);
      assertThat(check(checker, one).detail()).as("remembered for that certificate")
          .contains("failed recently");
      assertThat(revocation.ocspRequests()).isEqualTo(2);
    }
  }

  @Test
  void responderDown_isRememberedForEveryCertificate() {
    revocation.ocspFault(Fault.HTTP_500);
    try (RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.OCSP))) {
      check(checker, ca.client("one"));
      assertThat(check(checker, ca.client("two")).detail()).contains("HTTP 500").contains("failed recently");
      assertThat(revocation.ocspRequests()).isEqualTo(1);
    }
  }

  @Test
  void concurrentColdChecks_shareOneRequest() throws Exception {
    revocation.delay(Duration.ofMillis(500)).ocspFault(Fault.DELAY).crlFault(Fault.DELAY);
    CertifiedKey client = ca.client("billing");
    for (Source source : List.of(Source.OCSP, Source.CRL)) {
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try (RevocationChecker checker = checker(RevocationPolicy.hardFail().sources(source))) {
        List<Future<RevocationStatus>> checks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          checks.add(threads.submit(() -> check(checker, client)));
        }
        for (Future<RevocationStatus> check : checks) {
          assertThat(check.get(10, TimeUnit.SECONDS).status()).as(source.toString()).isEqualTo(Status.GOOD);
        }
      } finally {
        threads.shutdownNow();
      }
    }
    assertThat(revocation.ocspRequests()).isEqualTo(1);
    assertThat(revocation.crlRequests()).isEqualTo(1);
  }

  @Test
  void close_disconnectsTheRequestInFlight() throws Exception {
    revocation.delay(Duration.ofSeconds(30)).ocspFault(Fault.DELAY);
    RevocationChecker checker = checker(RevocationPolicy.softFail().sources(Source.OCSP)
        .requestTimeout(Duration.ofSeconds(20)).deadline(Duration.ofSeconds(20)));
    CompletableFuture<RevocationStatus> status = CompletableFuture.supplyAsync(() -> check(checker, ca.client("b")));
    Thread.sleep(300);
    long started = System.nanoTime();

    checker.close();

    assertThat(status.get(2, TimeUnit.SECONDS).status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void pinnedPeerWithoutIssuer_isRecordedAsNotChecked() {
    try (RevocationChecker checker = checker(RevocationPolicy.hardFail())) {
      RevocationResult result = checker.check(List.of(ca.certificate()), List.of());

      assertThat(result.rejection()).isEmpty();
      assertThat(result.statuses()).extracting(RevocationStatus::detail).containsExactly("not checked: no issuer");
    }
  }
}
