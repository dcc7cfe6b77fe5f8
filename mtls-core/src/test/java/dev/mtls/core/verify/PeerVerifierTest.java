package dev.mtls.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.testkit.TestCa;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.PKIXReason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerVerifierTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2030-06-01T12:00:00Z"), ZoneOffset.UTC);

  private final TestCa ca = TestCa.builder().clock(CLOCK).intermediates(1).build();

  private PeerVerifier.Builder verifier(PeerRole role) {
    return PeerVerifier.builder(role).trustAnchors(List.of(ca.certificate())).clock(CLOCK);
  }

  private PeerVerificationException rejection(PeerVerifier verifier, CertifiedKey key,
      GeneralName name) {
    return catchThrowableOfType(PeerVerificationException.class,
        () -> verifier.verify(key.chain(), name));
  }

  @Test
  void verify_validServerChain_returnsPathToAnchor() throws Exception {
    CertifiedKey server = ca.leaf(CertificateRole.SERVER).names("localhost").issue();

    VerifiedPath path = verifier(PeerRole.SERVER).build()
        .verify(server.chain(), GeneralName.dns("localhost"));

    assertThat(path.certificates()).containsExactly(
        server.certificate(), ca.intermediates().get(0).certificate(), ca.certificate());
    assertThat(path.trustAnchor()).isEqualTo(ca.certificate());
  }

  @Test
  void verify_validClientChain_isAccepted() throws Exception {
    CertifiedKey client = ca.client("alice");

    VerifiedPath path = verifier(PeerRole.CLIENT).build().verify(client.chain(), null);

    assertThat(path.leaf()).isEqualTo(client.certificate());
  }

  @Test
  void verify_intermediatesInAnyOrderWithExtras_buildsThePath() throws Exception {
    CertifiedKey server = ca.leaf(CertificateRole.SERVER).names("localhost").issue();
    TestCa other = TestCa.builder().clock(CLOCK).intermediates(1).build();

    VerifiedPath path = verifier(PeerRole.SERVER).build().verify(server.certificate(),
        List.of(other.intermediates().get(0).certificate(), ca.certificate(),
            ca.intermediates().get(0).certificate()), GeneralName.dns("localhost"));

    assertThat(path.certificates()).hasSize(3);
  }

  @Test
  void verify_emptyChain_isNoCertificate() {
    PeerVerificationException e = catchThrowableOfType(PeerVerificationException.class,
        () -> verifier(PeerRole.CLIENT).build().verify(List.of(), null));

    assertThat(e.reason()).isEqualTo(FailureReason.NO_CERTIFICATE);
    assertThat(e.certificateIndex()).isEqualTo(-1);
    assertThat(e).hasMessage(
        "NO_CERTIFICATE: the peer presented no certificate; expected a certificate chain");
  }

  @Test
  void verify_expiredLeaf_isExpiredAtIndexZeroWithJdkReason() {
    CertifiedKey expired = ca.broken(CertificateRole.CLIENT).expired();

    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(), expired, null);

    assertThat(e.reason()).isEqualTo(FailureReason.EXPIRED);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("EXPIRED: certificate [0] expired at "
        + expired.certificate().getNotAfter().toInstant() + " (valid from "
        + expired.certificate().getNotBefore().toInstant() + " to "
        + expired.certificate().getNotAfter().toInstant()
        + ", checked at 2030-06-01T12:00:00Z with a clock-skew allowance of PT1M)");
    assertThat(e.getCause()).isInstanceOf(CertPathValidatorException.class);
    assertThat(((CertPathValidatorException) e.getCause()).getReason())
        .isEqualTo(BasicReason.EXPIRED);
    assertThat(((CertPathValidatorException) e.getCause()).getIndex()).isZero();
  }

  @Test
  void verify_notYetValidLeaf_isNotYetValid() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).notYetValid(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.NOT_YET_VALID);
    assertThat(e.certificateIndex()).isZero();
    assertThat(((CertPathValidatorException) e.getCause()).getReason())
        .isEqualTo(BasicReason.NOT_YET_VALID);
  }

  @Test
  void verify_unknownIssuer_isUntrustedIssuer() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).unknownIssuer(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    assertThat(e.certificateIndex()).isZero();
    assertThat(((CertPathValidatorException) e.getCause()).getReason())
        .isEqualTo(PKIXReason.NO_TRUST_ANCHOR);
  }

  @Test
  void verify_selfSignedLeaf_isUntrustedIssuer() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).selfSigned(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("UNTRUSTED_ISSUER: no trust anchor or intermediate"
        + " issued 'CN=self-signed' (the issuer of certificate [0])");
  }

  @Test
  void verify_wrongExtendedKeyUsage_isWrongExtendedKeyUsage() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).wrongExtendedKeyUsage(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.WRONG_EXTENDED_KEY_USAGE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("WRONG_EXTENDED_KEY_USAGE: certificate [0] has extended"
        + " key usage [serverAuth (1.3.6.1.5.5.7.3.1)]; expected [clientAuth (1.3.6.1.5.5.7.3.2)]");
  }

  @Test
  void verify_serverCertificateForClientRole_isWrongExtendedKeyUsage() {
    CertifiedKey server = ca.leaf(CertificateRole.SERVER).names("localhost").issue();

    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(), server, null);

    assertThat(e.reason()).isEqualTo(FailureReason.WRONG_EXTENDED_KEY_USAGE);
  }

  @Test
  void verify_noExtendedKeyUsageUnderMtls_isRejected() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).noExtendedKeyUsage(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.WRONG_EXTENDED_KEY_USAGE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("WRONG_EXTENDED_KEY_USAGE: certificate [0] has no"
        + " extended key usage extension; expected [clientAuth (1.3.6.1.5.5.7.3.2)] (profile MTLS)");
  }

  @Test
  void verify_noExtendedKeyUsageUnderRfc5280_isAccepted() throws Exception {
    CertifiedKey key = ca.broken(CertificateRole.CLIENT).noExtendedKeyUsage();

    VerifiedPath path = verifier(PeerRole.CLIENT).profile(VerificationProfile.RFC5280).build()
        .verify(key.chain(), null);

    assertThat(path.leaf()).isEqualTo(key.certificate());
  }

  @Test
  void verify_caAsLeafUnderMtls_isMalformed() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).caAsLeaf(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED_CERTIFICATE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("MALFORMED_CERTIFICATE: certificate [0] is a CA"
        + " certificate (basic constraints cA TRUE) presented as the peer's own certificate;"
        + " expected an end-entity certificate");
  }

  @Test
  void verify_nameConstraintViolation_isNameConstraintViolation() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).nameConstraintViolation(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_CONSTRAINT_VIOLATION);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("NAME_CONSTRAINT_VIOLATION: name DNS:outside.test of"
        + " certificate [0] is outside the permitted subtrees [DNS:permitted.test] of CA"
        + " certificate [1]");
  }

  @Test
  void verify_pathLengthViolation_isPathTooLongAtTheConstrainedCa() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).pathLengthViolation(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.PATH_TOO_LONG);
    assertThat(e.certificateIndex()).isEqualTo(2);
    assertThat(((CertPathValidatorException) e.getCause()).getReason())
        .isEqualTo(PKIXReason.PATH_TOO_LONG);
  }

  @Test
  void verify_chainLongerThanMaximum_isPathTooLong() {
    CertifiedKey client = ca.client("alice");

    PeerVerificationException e = rejection(
        verifier(PeerRole.CLIENT).maxChainLength(2).build(), client, null);

    assertThat(e.reason()).isEqualTo(FailureReason.PATH_TOO_LONG);
    assertThat(e.certificateIndex()).isEqualTo(2);
  }

  @Test
  void verify_rsa1024Leaf_isWeakKey() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).rsa1024(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.WEAK_KEY);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith(
        "WEAK_KEY: certificate [0] has a 1024-bit RSA key; expected at least 2048 bits");
  }

  @Test
  void verify_sha1Signature_isWeakSignature() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).sha1Signature(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.WEAK_SIGNATURE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("WEAK_SIGNATURE: certificate [0] is signed with"
        + " SHA1withECDSA (1.2.840.10045.4.1); expected a SHA-2 based or EdDSA signature");
  }

  @Test
  void verify_missingAuthorityKeyIdentifier_isMalformed() {
    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        ca.broken(CertificateRole.CLIENT).missingAuthorityKeyIdentifier(), null);

    assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED_CERTIFICATE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("MALFORMED_CERTIFICATE: certificate [0] has no"
        + " authority key identifier");
  }

  @Test
  void verify_hostNotInSans_isNameMismatch() {
    CertifiedKey server = ca.leaf(CertificateRole.SERVER).names("localhost").issue();

    PeerVerificationException e = rejection(verifier(PeerRole.SERVER).build(), server,
        GeneralName.dns("example.com"));

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_MISMATCH);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("NAME_MISMATCH: certificate [0] does not name"
        + " DNS:example.com: its subject alternative names are [DNS:localhost] (the subject's"
        + " common name is never used)");
  }

  @Test
  void verifyName_nameInSans_passesWithoutCheckingTheChain() throws Exception {
    TestCa unrelated = TestCa.builder().clock(CLOCK).build();
    CertifiedKey server = unrelated.leaf(CertificateRole.SERVER).names("*.example.com", "10.0.0.1").issue();
    PeerVerifier verifier = verifier(PeerRole.SERVER).build();

    verifier.verifyName(server.certificate(), GeneralName.host("api.example.com"));
    verifier.verifyName(server.certificate(), GeneralName.host("10.0.0.1"));
  }

  @Test
  void verifyName_commonNameOnly_isNameMismatch() {
    CertifiedKey server = ca.leaf(CertificateRole.SERVER).commonName("localhost").issue();

    PeerVerificationException e = catchThrowableOfType(PeerVerificationException.class,
        () -> verifier(PeerRole.SERVER).build().verifyName(server.certificate(), GeneralName.dns("localhost")));

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_MISMATCH);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("NAME_MISMATCH: certificate [0] does not name DNS:localhost:"
        + " its subject alternative names are [] (the subject's common name is never used)")
        .endsWith("\nexpected: a SERVER certificate for DNS:localhost");
  }

  @Test
  void verifyName_otherHostOrWildcardTooDeep_isNameMismatch() {
    CertifiedKey server = ca.leaf(CertificateRole.SERVER).names("*.example.com").issue();
    PeerVerifier verifier = verifier(PeerRole.SERVER).build();

    assertThat(catchThrowableOfType(PeerVerificationException.class,
        () -> verifier.verifyName(server.certificate(), GeneralName.dns("a.b.example.com"))).reason())
        .isEqualTo(FailureReason.NAME_MISMATCH);
    assertThat(catchThrowableOfType(PeerVerificationException.class,
        () -> verifier.verifyName(server.certificate(), GeneralName.dns("example.com"))).reason())
        .isEqualTo(FailureReason.NAME_MISMATCH);
  }

  @Test
  void verify_clientNotOnAllowList_isNameMismatch() {
    CertifiedKey client = ca.leaf(CertificateRole.CLIENT)
        .spiffeId("spiffe://example.org/ns/default/sa/web").issue();

    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT)
        .allowedPeerNames(List.of(GeneralName.uri("spiffe://example.org/ns/default/sa/api")))
        .build(), client, null);

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_MISMATCH);
  }

  @Test
  void verify_clientOnAllowList_isAccepted() throws Exception {
    CertifiedKey client = ca.leaf(CertificateRole.CLIENT)
        .spiffeId("spiffe://example.org/ns/default/sa/api").issue();

    VerifiedPath path = verifier(PeerRole.CLIENT)
        .allowedPeerNames(List.of(GeneralName.uri("spiffe://example.org/ns/default/sa/api")))
        .build().verify(client.chain(), null);

    assertThat(path.leaf()).isEqualTo(client.certificate());
  }

  @Test
  void verify_message_describesEveryCertificateAndTheExpectation() {
    CertifiedKey expired = ca.broken(CertificateRole.CLIENT).expired();

    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(), expired, null);

    assertThat(e.getMessage()).contains("\npath (peer's certificate first):\n  [0] subject"
        + " 'CN=expired', SANs [], issuer '"
        + expired.certificate().getIssuerX500Principal().getName() + "', serial "
        + expired.certificate().getSerialNumber().toString(16) + ", valid "
        + expired.certificate().getNotBefore().toInstant() + " to "
        + expired.certificate().getNotAfter().toInstant() + ", "
        + Certificates.spkiPin(expired.certificate()) + "  <- failed\n  [1] ");
    assertThat(e.getMessage()).contains(Certificates.spkiPin(ca.certificate()) + " (trust anchor)");
    assertThat(e.getMessage()).endsWith("\nexpected: a CLIENT certificate, extended key usage"
        + " [clientAuth (1.3.6.1.5.5.7.3.2)], valid at 2030-06-01T12:00:00Z, on a path of at most"
        + " 8 certificates to one of the trust anchors ['"
        + ca.certificate().getSubjectX500Principal().getName() + "'] (profile MTLS)");
  }

  @Test
  void verify_pinOfIntermediate_isAccepted() throws Exception {
    CertifiedKey client = ca.client("alice");
    String pin = Certificates.spkiPin(ca.intermediates().get(0).certificate());

    VerifiedPath path = verifier(PeerRole.CLIENT).pins(List.of(pin)).build()
        .verify(client.chain(), null);

    assertThat(path.certificates()).hasSize(3);
  }

  @Test
  void verify_noPinMatches_isPinMismatchListingEveryPin() {
    CertifiedKey client = ca.client("alice");
    String configured = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    PeerVerificationException e = rejection(
        verifier(PeerRole.CLIENT).pins(List.of(configured)).build(), client, null);

    assertThat(e.reason()).isEqualTo(FailureReason.PIN_MISMATCH);
    assertThat(e.certificateIndex()).isEqualTo(-1);
    assertThat(e.getMessage()).startsWith("PIN_MISMATCH: certificate pinning failure: no"
        + " certificate of the path matches a configured pin\n  peer's pins:\n    [0] "
        + Certificates.spkiPin(client.certificate()) + ": CN=alice\n    [1] "
        + Certificates.spkiPin(ca.intermediates().get(0).certificate()) + ": "
        + ca.intermediates().get(0).certificate().getSubjectX500Principal().getName()
        + "\n    [2] " + Certificates.spkiPin(ca.certificate()) + ": "
        + ca.certificate().getSubjectX500Principal().getName()
        + "\n  configured pins:\n    " + configured + "\n");
  }

  @Test
  void verify_pinsInsteadOfChain_acceptsPinnedSelfSignedPeer() throws Exception {
    CertifiedKey selfSigned = ca.broken(CertificateRole.SERVER).selfSigned();

    VerifiedPath path = PeerVerifier.builder(PeerRole.SERVER).clock(CLOCK)
        .pins(List.of(Certificates.spkiPin(selfSigned.certificate()))).pinsInsteadOfChain()
        .build().verify(selfSigned.chain(), GeneralName.dns("localhost"));

    assertThat(path.certificates()).containsExactly(selfSigned.certificate());
  }

  @Test
  void verify_pinsInsteadOfChainWithOtherKey_isPinMismatch() {
    CertifiedKey selfSigned = ca.broken(CertificateRole.SERVER).selfSigned();

    PeerVerificationException e = rejection(PeerVerifier.builder(PeerRole.SERVER).clock(CLOCK)
        .pins(List.of("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
        .pinsInsteadOfChain().build(), selfSigned, null);

    assertThat(e.reason()).isEqualTo(FailureReason.PIN_MISMATCH);
  }

  @Test
  void trustAnchors_returnsTheConfiguredAnchors() {
    assertThat(verifier(PeerRole.CLIENT).build().trustAnchors()).containsExactly(ca.certificate());
  }

  @Test
  void verify_leafSignedByWrongKey_isWeakSignatureInvalid() throws Exception {
    CertifiedKey client = ca.client("alice");
    TestCa impostor = TestCa.builder().clock(CLOCK).build();
    CertifiedKey forged = dev.mtls.pki.CertificateBuilder.create().clock(CLOCK)
        .role(CertificateRole.CLIENT).commonName("alice")
        .issuedBy(new CertifiedKey(impostor.root().privateKey(),
            List.of(ca.intermediates().get(0).certificate())))
        .build();

    PeerVerificationException e = rejection(verifier(PeerRole.CLIENT).build(),
        new CertifiedKey(forged.privateKey(), List.of(forged.certificate(),
            ca.intermediates().get(0).certificate())), null);

    assertThat(client).isNotNull();
    assertThat(e.reason()).isEqualTo(FailureReason.WEAK_SIGNATURE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(((CertPathValidatorException) e.getCause()).getReason())
        .isEqualTo(BasicReason.INVALID_SIGNATURE);
  }

  @Test
  void verify_nullLeaf_isRefused() {
    assertThatThrownBy(() -> verifier(PeerRole.CLIENT).build().verify(null, List.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("leaf");
  }
}
