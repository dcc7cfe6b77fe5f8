package dev.mtls.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import dev.mtls.pki.NameConstraints;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateProfileTest {
  private static final Clock CLOCK = PeerVerifierTest.CLOCK;

  private static CertificateBuilder leafBuilder(CertifiedKey issuer) {
    return CertificateBuilder.create().clock(CLOCK).role(CertificateRole.SERVER)
        .commonName("api").subjectAlternativeNames(GeneralName.dns("api.test")).issuedBy(issuer);
  }

  private static CertifiedKey root(NameConstraints constraints) {
    CertificateBuilder builder = CertificateBuilder.create().clock(CLOCK)
        .role(CertificateRole.CA).commonName("Root");
    return (constraints == null ? builder : builder.nameConstraints(constraints)).build();
  }

  private static PeerVerificationException rejection(PeerVerifier.Builder builder,
      CertifiedKey leaf, String host) {
    return catchThrowableOfType(PeerVerificationException.class,
        () -> builder.clock(CLOCK).build().verify(leaf.chain(), GeneralName.dns(host)));
  }

  private static PeerVerifier.Builder trusting(CertifiedKey root) {
    return PeerVerifier.builder(PeerRole.SERVER).trustAnchors(List.of(root.certificate()));
  }

  @Test
  void verify_nameConstraintsOnTrustAnchor_areEnforced() {
    CertifiedKey root = root(NameConstraints.permitting(GeneralName.dns("internal.test")));
    CertifiedKey leaf = leafBuilder(root).build();

    PeerVerificationException e = rejection(trusting(root), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_CONSTRAINT_VIOLATION);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("NAME_CONSTRAINT_VIOLATION: name DNS:api.test of"
        + " certificate [0] is outside the permitted subtrees [DNS:internal.test] of CA"
        + " certificate [1]");
  }

  @Test
  void verify_nameWithinTrustAnchorConstraints_isAccepted() throws Exception {
    CertifiedKey root = root(NameConstraints.permitting(GeneralName.dns("test")));
    CertifiedKey leaf = leafBuilder(root).build();

    VerifiedPath path = trusting(root).clock(CLOCK).build()
        .verify(leaf.chain(), GeneralName.dns("api.test"));

    assertThat(path.certificates()).hasSize(2);
  }

  @Test
  void verify_excludedIpRange_isViolation() {
    CertifiedKey root = root(NameConstraints.excluding(GeneralName.ipRange("10.0.0.0/8")));
    CertifiedKey leaf = leafBuilder(root)
        .subjectAlternativeNames(GeneralName.dns("api.test"), GeneralName.ip("10.1.2.3")).build();

    PeerVerificationException e = rejection(trusting(root), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_CONSTRAINT_VIOLATION);
    assertThat(e.getMessage()).startsWith("NAME_CONSTRAINT_VIOLATION: name IP:10.1.2.3 of"
        + " certificate [0] falls into the excluded subtree IP:10.0.0.0/8 of CA certificate [1]");
  }

  @Test
  void verify_wildcardCoveringExcludedName_isViolation() {
    CertifiedKey root = root(NameConstraints.excluding(GeneralName.dns("admin.example.com")));
    CertifiedKey leaf = leafBuilder(root)
        .subjectAlternativeNames(GeneralName.dns("*.example.com")).build();

    PeerVerificationException e = rejection(trusting(root), leaf, "www.example.com");

    assertThat(e.reason()).isEqualTo(FailureReason.NAME_CONSTRAINT_VIOLATION);
  }

  @Test
  void verify_unknownCriticalExtension_isRejected() {
    CertifiedKey root = root(null);
    CertifiedKey leaf = leafBuilder(root)
        .addExtension("1.3.6.1.4.1.55738.666.1", true, new byte[] {0x05, 0x00}).build();

    PeerVerificationException e = rejection(trusting(root), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.UNKNOWN_CRITICAL_EXTENSION);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("UNKNOWN_CRITICAL_EXTENSION: certificate [0] has"
        + " critical extensions this library does not process: [1.3.6.1.4.1.55738.666.1];"
        + " expected none (RFC 5280 section 4.2)");
  }

  @Test
  void verify_dsaKey_isWeakKey() throws Exception {
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(2048);
    CertifiedKey root = root(null);
    CertifiedKey leaf = leafBuilder(root).keyPair(dsa.generateKeyPair()).build();

    PeerVerificationException e = rejection(trusting(root), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.WEAK_KEY);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("WEAK_KEY: certificate [0] has a DSA key; expected"
        + " RSA, EC (P-256, P-384, P-521) or EdDSA");
  }

  @Test
  void verify_leafWithoutRequiredKeyUsage_isWrongKeyUsage() {
    CertifiedKey root = root(null);
    CertifiedKey leaf = leafBuilder(root).keyUsage(KeyUsage.KEY_ENCIPHERMENT).build();

    PeerVerificationException e = rejection(
        trusting(root).requiredKeyUsage(KeyUsage.DIGITAL_SIGNATURE), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.WRONG_KEY_USAGE);
    assertThat(e.certificateIndex()).isZero();
    assertThat(e.getMessage()).startsWith("WRONG_KEY_USAGE: certificate [0] has key usage"
        + " [KEY_ENCIPHERMENT]; expected [DIGITAL_SIGNATURE]");
  }

  @Test
  void verify_caWithoutKeyCertSign_isWrongKeyUsageAtTheCa() {
    CertifiedKey root = root(null);
    CertifiedKey intermediate = CertificateBuilder.create().clock(CLOCK).role(CertificateRole.CA)
        .commonName("Intermediate").keyUsage(KeyUsage.CRL_SIGN).issuedBy(root).build();
    CertifiedKey leaf = leafBuilder(intermediate).build();

    PeerVerificationException e = rejection(trusting(root), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.WRONG_KEY_USAGE);
    assertThat(e.certificateIndex()).isEqualTo(1);
  }

  @Test
  void verify_version1Intermediate_isMalformed() {
    CertifiedKey root = root(null);
    CertifiedKey intermediate = CertificateBuilder.create().clock(CLOCK).role(CertificateRole.CA)
        .commonName("Old Intermediate").version1().issuedBy(root).build();
    CertifiedKey leaf = leafBuilder(intermediate).omitAuthorityKeyIdentifier().build();

    PeerVerificationException e = rejection(trusting(root), leaf, "api.test");

    assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED_CERTIFICATE);
    assertThat(e.certificateIndex()).isEqualTo(1);
    assertThat(e.getMessage()).startsWith("MALFORMED_CERTIFICATE: certificate [1] is a version 1"
        + " CA certificate; expected version 3 with basic constraints");
  }
}
