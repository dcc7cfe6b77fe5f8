package dev.mtls.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathBuilderTest {
  private static final Clock CLOCK = PeerVerifierTest.CLOCK;
  private static final Instant NOW = CLOCK.instant();

  private final CertifiedKey root = CertificateBuilder.create().clock(CLOCK)
      .role(CertificateRole.CA).commonName("Root").build();

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private CertifiedKey intermediate(KeyPair key, Instant notBefore, Instant notAfter) {
    return CertificateBuilder.create().clock(CLOCK).role(CertificateRole.CA)
        .commonName("Intermediate").keyPair(key).validity(notBefore, notAfter)
        .issuedBy(root).build();
  }

  private CertifiedKey leaf(CertifiedKey issuer) {
    return CertificateBuilder.create().clock(CLOCK).role(CertificateRole.SERVER)
        .commonName("api").subjectAlternativeNames(GeneralName.dns("api.test"))
        .issuedBy(issuer).build();
  }

  private PeerVerifier verifier() {
    return PeerVerifier.builder(PeerRole.SERVER).trustAnchors(List.of(root.certificate()))
        .clock(CLOCK).build();
  }

  @Test
  void verify_expiredAndValidTwinIntermediates_takesTheValidPath() throws Exception {
    KeyPair key = ecKey();
    CertifiedKey expired = intermediate(key, NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
    CertifiedKey valid = intermediate(key, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    CertifiedKey leaf = leaf(expired);

    VerifiedPath path = verifier().verify(leaf.certificate(),
        List.of(expired.certificate(), valid.certificate()), GeneralName.dns("api.test"));

    assertThat(path.certificates())
        .containsExactly(leaf.certificate(), valid.certificate(), root.certificate());
  }

  @Test
  void verify_onlyExpiredIntermediate_isExpiredAtIndexOne() throws Exception {
    CertifiedKey expired = intermediate(ecKey(), NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
    CertifiedKey leaf = leaf(expired);

    PeerVerificationException e = catchThrowableOfType(PeerVerificationException.class,
        () -> verifier().verify(leaf.chain(), GeneralName.dns("api.test")));

    assertThat(e.reason()).isEqualTo(FailureReason.EXPIRED);
    assertThat(e.certificateIndex()).isEqualTo(1);
  }

  @Test
  void verify_manyLookalikeIssuers_failsFastOnTheirSignatures() throws Exception {
    List<X509Certificate> pool = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      pool.add(intermediate(ecKey(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)))
          .certificate());
    }
    CertifiedKey stranger = intermediate(ecKey(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    CertifiedKey leaf = CertificateBuilder.create().clock(CLOCK).role(CertificateRole.SERVER)
        .commonName("api").subjectAlternativeNames(GeneralName.dns("api.test"))
        .omitAuthorityKeyIdentifier().issuedBy(stranger).build();
    long start = System.nanoTime();

    PeerVerificationException e = catchThrowableOfType(PeerVerificationException.class,
        () -> verifier().verify(leaf.certificate(), pool, GeneralName.dns("api.test")));

    assertThat(e.reason()).isEqualTo(FailureReason.WEAK_SIGNATURE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }
}
