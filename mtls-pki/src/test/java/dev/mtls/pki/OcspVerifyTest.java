package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link OcspResponse#verify}: who may sign, for which certificate, when, with which nonce. */
class OcspVerifyTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final String SOURCE = "http://127.0.0.1/ocsp";

  private static final CertifiedKey CA = ca("CA", KeyType.EC_P256);
  private static final CertifiedKey OTHER_CA = ca("Other CA", KeyType.EC_P256);
  private static final CertifiedKey LEAF = leaf(CA);
  private static final CertifiedKey RESPONDER = CertificateBuilder.create().clock(CLOCK)
      .commonName("OCSP Responder").role(CertificateRole.OCSP_RESPONDER).issuedBy(CA).build();
  private static final OcspCertificateId LEAF_ID =
      OcspCertificateId.of(LEAF.certificate(), CA.certificate());

  private static CertifiedKey ca(String name, KeyType type) {
    return CertificateBuilder.create().clock(CLOCK).commonName(name).keyType(type)
        .role(CertificateRole.CA).build();
  }

  private static CertifiedKey leaf(CertifiedKey issuer) {
    return CertificateBuilder.create().clock(CLOCK).commonName("leaf")
        .serialNumber(BigInteger.valueOf(0x1234)).issuedBy(issuer).build();
  }

  private static OcspResponseBuilder response(CertifiedKey signer) {
    return OcspResponseBuilder.create().clock(CLOCK).signedBy(signer);
  }

  private static OcspVerdict verify(byte[] der) {
    return OcspResponse.parse(der, SOURCE).verify(LEAF.certificate(), CA.certificate(), NOW, SKEW);
  }

  private static OcspException failure(byte[] der) {
    return catchOcsp(() -> verify(der));
  }

  @Test
  void verify_signedByIssuer_returnsGoodWithTimes() {
    OcspVerdict verdict = verify(response(CA).good(LEAF_ID).build());

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
    assertThat(verdict.signer()).isEqualTo(CA.certificate());
    assertThat(verdict.delegated()).isFalse();
    assertThat(verdict.nonceVerified()).isFalse();
    assertThat(verdict.singleResponse()).isEqualTo(new OcspSingleResponse(LEAF_ID,
        OcspCertificateStatus.GOOD, Optional.empty(), Optional.empty(), NOW,
        Optional.of(NOW.plus(Duration.ofDays(1)))));
  }

  @Test
  void verify_revoked_returnsRevocationTimeAndReason() {
    Instant when = NOW.minus(Duration.ofDays(2));
    OcspVerdict verdict = verify(response(CA)
        .revoked(LEAF_ID, when, RevocationReason.KEY_COMPROMISE).build());

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.REVOKED);
    assertThat(verdict.singleResponse().revocationTime()).contains(when);
    assertThat(verdict.singleResponse().revocationReason()).contains(RevocationReason.KEY_COMPROMISE);
  }

  @Test
  void verify_unknown_returnsUnknown() {
    assertThat(verify(response(CA).unknown(LEAF_ID).build()).status())
        .isEqualTo(OcspCertificateStatus.UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048", "ED25519"})
  void verify_issuerOfEveryKeyType_verifies(KeyType type) {
    CertifiedKey ca = ca("CA " + type, type);
    CertifiedKey leaf = leaf(ca);
    byte[] der = response(ca)
        .good(OcspCertificateId.of(leaf.certificate(), ca.certificate())).build();

    OcspVerdict verdict = OcspResponse.parse(der, SOURCE)
        .verify(leaf.certificate(), ca.certificate(), NOW, SKEW);

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "RSA_2048", "ED25519"})
  void verify_delegatedResponderOfEveryKeyType_returnsResponderAsSigner(KeyType type) {
    CertifiedKey responder = CertificateBuilder.create().clock(CLOCK).keyType(type)
        .role(CertificateRole.OCSP_RESPONDER).issuedBy(CA).build();

    OcspVerdict verdict = verify(response(responder).good(LEAF_ID).build());

    assertThat(verdict.signer()).isEqualTo(responder.certificate());
    assertThat(verdict.delegated()).isTrue();
    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.GOOD);
  }

  @Test
  void verify_responderIdByName_verifies() {
    byte[] der = response(RESPONDER).responderIdByName().good(LEAF_ID).build();

    assertThat(OcspResponse.parse(der, SOURCE).responderName())
        .contains(RESPONDER.certificate().getSubjectX500Principal());
    assertThat(verify(der).signer()).isEqualTo(RESPONDER.certificate());
  }

  @Test
  void verify_sha256CertificateId_matches() {
    OcspCertificateId id = OcspCertificateId.sha256(LEAF.certificate(), CA.certificate());

    assertThat(verify(response(CA).good(id).build()).singleResponse().certificateId()).isEqualTo(id);
  }

  @Test
  void verify_responderWithoutOcspSigning_signerNotAuthorized() {
    CertifiedKey server = CertificateBuilder.create().clock(CLOCK).commonName("Not a responder")
        .serialNumber(BigInteger.valueOf(0xabc)).role(CertificateRole.SERVER).issuedBy(CA).build();

    OcspException e = failure(response(server).good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNER_NOT_AUTHORIZED);
    assertThat(e).hasMessage(SOURCE + ": responder Certificate 'CN=Not a responder' serial abc has"
        + " extended key usage [1.3.6.1.5.5.7.3.1]; expected id-kp-OCSPSigning (1.3.6.1.5.5.7.3.9);"
        + " a delegated responder must be certified for OCSP signing by the issuer of the"
        + " certificate checked (RFC 6960 section 4.2.2.2)");
  }

  @Test
  void verify_responderIssuedByAnotherCa_signerNotAuthorized() {
    CertifiedKey foreign = CertificateBuilder.create().clock(CLOCK).commonName("Foreign")
        .serialNumber(BigInteger.valueOf(0xf0)).role(CertificateRole.OCSP_RESPONDER)
        .issuedBy(OTHER_CA).build();

    OcspException e = failure(response(foreign).good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNER_NOT_AUTHORIZED);
    assertThat(e).hasMessageStartingWith(SOURCE + ": responder Certificate 'CN=Foreign' serial f0"
        + " was issued by 'CN=Other CA', not by the issuer 'CN=CA'; ");
  }

  @Test
  void verify_responderIssuedByImpostorWithIssuerName_signerNotAuthorized() {
    CertifiedKey impostor = ca("CA", KeyType.EC_P256);
    CertifiedKey responder = CertificateBuilder.create().clock(CLOCK).commonName("Impostor")
        .role(CertificateRole.OCSP_RESPONDER).issuedBy(impostor).build();

    OcspException e = failure(response(responder).good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNER_NOT_AUTHORIZED);
    assertThat(e.getMessage()).contains("names the issuer 'CN=CA' but its signature does not verify");
  }

  @Test
  void verify_expiredResponderCertificate_signerNotAuthorized() {
    CertifiedKey expired = CertificateBuilder.create().commonName("Expired")
        .validity(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)))
        .role(CertificateRole.OCSP_RESPONDER).issuedBy(CA).build();

    OcspException e = failure(response(expired).good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNER_NOT_AUTHORIZED);
    assertThat(e.getMessage()).contains("is valid from 2026-05-22T12:00:00Z to"
        + " 2026-05-31T12:00:00Z, not at 2026-06-01T12:00:00Z (clock skew PT5M)");
  }

  @Test
  void verify_delegatedResponderCertificateLeftOut_signerNotAuthorized() {
    OcspException e = failure(response(RESPONDER).omitCertificates().responderIdByName()
        .good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNER_NOT_AUTHORIZED);
    assertThat(e).hasMessage(SOURCE + ": signed by responder 'CN=OCSP Responder', which is neither"
        + " the issuer " + CertificateInfo.describe(CA.certificate()) + " nor one of the"
        + " certificates included in the response (none); expected a signature by the issuer or by"
        + " a delegated responder whose certificate is included");
  }

  @Test
  void verify_signedWithAnotherKey_signatureInvalid() {
    CertifiedKey wrongKey = new CertifiedKey(
        KeyType.EC_P256.generate(new SecureRandom()).getPrivate(), CA.chain());

    OcspException e = failure(response(wrongKey).good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNATURE_INVALID);
    assertThat(e).hasMessage(SOURCE + ": the SHA256WITHECDSA signature does not verify with the EC"
        + " key of the issuer " + CertificateInfo.describe(CA.certificate())
        + "; the response was altered or signed with another key");
  }

  @Test
  void verify_tamperedThisUpdate_signatureInvalid() {
    byte[] der = response(CA).good(LEAF_ID).build();
    byte[] time = "20260601120000Z".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(der, time, 0);
    int second = indexOf(der, time, at + 1);
    der[second + 3] = '5'; // thisUpdate of the single response: 2025 instead of 2026

    OcspException e = failure(der);

    assertThat(e.problem()).isEqualTo(OcspProblem.SIGNATURE_INVALID);
  }

  @Test
  void verify_anyFlippedBit_fails() {
    byte[] der = response(CA).omitCertificates().nonce(new byte[] {5})
        .revoked(LEAF_ID, NOW, RevocationReason.KEY_COMPROMISE).build();

    for (int i = 0; i < der.length; i++) {
      byte[] flipped = der.clone();
      flipped[i] ^= (byte) (1 << (i % 8));
      catchOcsp(() -> OcspResponse.parse(flipped, SOURCE)
          .verify(LEAF.certificate(), CA.certificate(), NOW, SKEW, new byte[] {5}));
    }
  }

  @Test
  void verify_responseForAnotherSerial_noSingleResponse() {
    OcspCertificateId other = OcspCertificateId.of(LEAF_ID.hashAlgorithmOid(),
        LEAF_ID.issuerNameHash(), LEAF_ID.issuerKeyHash(), BigInteger.valueOf(0x9999));

    OcspException e = failure(response(CA).good(other).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.NO_SINGLE_RESPONSE);
    assertThat(e).hasMessage(SOURCE + ": no single response for Certificate 'CN=leaf' serial 1234"
        + " of issuer 'CN=CA'; the response covers " + other);
  }

  @Test
  void verify_responseForSameSerialOfAnotherIssuer_noSingleResponse() {
    OcspCertificateId foreign = OcspCertificateId.of(leaf(OTHER_CA).certificate(), OTHER_CA.certificate());

    OcspException e = failure(response(CA).good(foreign).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.NO_SINGLE_RESPONSE);
    assertThat(e.getMessage()).endsWith(foreign + " (same serial, other issuer hashes)");
  }

  @Test
  void verify_nextUpdatePassed_stale() {
    OcspException e = failure(response(CA).thisUpdate(NOW.minus(Duration.ofDays(2)))
        .nextUpdate(NOW.minus(Duration.ofDays(1))).good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.STALE);
    assertThat(e).hasMessage(SOURCE + ": single response for serial 1234 has nextUpdate"
        + " 2026-05-31T12:00:00Z, before now (2026-06-01T12:00:00Z) minus the clock skew of PT5M;"
        + " expected a response whose nextUpdate is still ahead");
  }

  @Test
  void verify_nextUpdatePassedWithinSkew_verifies() {
    byte[] der = response(CA).thisUpdate(NOW.minus(Duration.ofDays(1)))
        .nextUpdate(NOW.minus(Duration.ofMinutes(4))).good(LEAF_ID).build();

    assertThat(verify(der).status()).isEqualTo(OcspCertificateStatus.GOOD);
  }

  @Test
  void verify_thisUpdateInTheFuture_notYetValid() {
    OcspException e = failure(response(CA).thisUpdate(NOW.plus(Duration.ofMinutes(6)))
        .good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.NOT_YET_VALID);
    assertThat(e).hasMessage(SOURCE + ": single response for serial 1234 has thisUpdate"
        + " 2026-06-01T12:06:00Z, after now (2026-06-01T12:00:00Z) plus the clock skew of PT5M;"
        + " expected a status known at or before now");
  }

  @Test
  void verify_thisUpdateAheadWithinSkew_verifies() {
    byte[] der = response(CA).thisUpdate(NOW.plus(Duration.ofMinutes(4))).good(LEAF_ID).build();

    assertThat(verify(der).singleResponse().thisUpdate()).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
  }

  @Test
  void verify_noNextUpdateAndOld_stale() {
    OcspException e = failure(response(CA).thisUpdate(NOW.minus(Duration.ofHours(1)))
        .omitNextUpdate().good(LEAF_ID).build());

    assertThat(e.problem()).isEqualTo(OcspProblem.STALE);
    assertThat(e.getMessage()).contains("has no nextUpdate and thisUpdate 2026-06-01T11:00:00Z is"
        + " older than the clock skew of PT5M");
  }

  @Test
  void verify_noNextUpdateButEchoedNonce_verifies() {
    byte[] nonce = {1, 2, 3, 4};
    byte[] der = response(CA).thisUpdate(NOW.minus(Duration.ofHours(1))).omitNextUpdate()
        .nonce(nonce).good(LEAF_ID).build();

    OcspVerdict verdict = OcspResponse.parse(der, SOURCE)
        .verify(LEAF.certificate(), CA.certificate(), NOW, SKEW, nonce);

    assertThat(verdict.nonceVerified()).isTrue();
    assertThat(verdict.singleResponse().nextUpdate()).isEmpty();
  }

  @Test
  void verify_nonceDiffers_nonceMismatch() {
    byte[] der = response(CA).nonce(new byte[] {1, 2}).good(LEAF_ID).build();

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE)
        .verify(LEAF.certificate(), CA.certificate(), NOW, SKEW, new byte[] {1, 3}));

    assertThat(e.problem()).isEqualTo(OcspProblem.NONCE_MISMATCH);
    assertThat(e).hasMessage(SOURCE + ": the response nonce 0102 differs from the request's 0103;"
        + " the response may be a replay");
  }

  @Test
  void verify_nonceExpectedButAbsent_verifiesWithoutNonceVerified() {
    byte[] der = response(CA).good(LEAF_ID).build();

    OcspVerdict verdict = OcspResponse.parse(der, SOURCE)
        .verify(LEAF.certificate(), CA.certificate(), NOW, SKEW, new byte[] {1});

    assertThat(verdict.nonceVerified()).isFalse();
  }

  @Test
  void verify_nonceMatchesRequest_nonceVerified() {
    OcspRequest request = OcspRequest.create(LEAF.certificate(), CA.certificate(), true);
    byte[] der = response(CA).nonce(request.nonce().orElseThrow())
        .good(request.certificateIds().get(0)).build();

    OcspVerdict verdict = OcspResponse.parse(der, SOURCE).verify(
        LEAF.certificate(), CA.certificate(), NOW, SKEW, request.nonce().orElseThrow());

    assertThat(verdict.nonceVerified()).isTrue();
  }

  @Test
  void verify_errorStatus_errorStatus() {
    OcspException e = failure(OcspResponseBuilder.error(OcspResponseStatus.TRY_LATER));

    assertThat(e.problem()).isEqualTo(OcspProblem.ERROR_STATUS);
    assertThat(e).hasMessage(SOURCE + ": the responder answered tryLater (3); expected successful"
        + " (0) with a signed response");
  }

  @Test
  void verify_issuerThatDidNotIssueTheCertificate_throwsIllegalArgument() {
    OcspResponse response = OcspResponse.parse(response(CA).good(LEAF_ID).build(), SOURCE);

    assertThatThrownBy(() -> response.verify(LEAF.certificate(), OTHER_CA.certificate(), NOW, SKEW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Certificate 'CN=leaf' serial 1234 was issued by 'CN=CA', not by the issuer"
            + " given, " + CertificateInfo.describe(OTHER_CA.certificate()));
  }

  @Test
  void verify_negativeSkew_throwsIllegalArgument() {
    OcspResponse response = OcspResponse.parse(response(CA).good(LEAF_ID).build(), SOURCE);

    assertThatThrownBy(() -> response.verify(
            LEAF.certificate(), CA.certificate(), NOW, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clockSkew must be zero or more, was PT-1S");
  }

  @Test
  void verify_oneOfSeveralSingleResponses_findsTheCertificate() {
    CertifiedKey second = CertificateBuilder.create().clock(CLOCK).issuedBy(CA).build();
    OcspCertificateId secondId = OcspCertificateId.of(second.certificate(), CA.certificate());
    byte[] der = response(CA).good(LEAF_ID)
        .revoked(secondId, NOW.minus(Duration.ofHours(1))).build();

    OcspVerdict verdict = OcspResponse.parse(der, SOURCE)
        .verify(second.certificate(), CA.certificate(), NOW, SKEW);

    assertThat(verdict.status()).isEqualTo(OcspCertificateStatus.REVOKED);
    assertThat(verdict.singleResponse().revocationReason()).isEmpty();
    assertThat(OcspResponse.parse(der, SOURCE).singleResponses()).hasSize(2);
  }

  static OcspException catchOcsp(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(OcspException.class);
    return (OcspException) thrown;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    for (int i = from; i <= haystack.length - needle.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
