package dev.mtls.core.revocation;

import static dev.mtls.core.revocation.CrlTestPki.CLOCK;
import static dev.mtls.core.revocation.CrlTestPki.NOW;
import static dev.mtls.core.revocation.CrlTestPki.check;
import static dev.mtls.core.revocation.CrlTestPki.crl;
import static dev.mtls.core.revocation.CrlTestPki.intermediate;
import static dev.mtls.core.revocation.CrlTestPki.leaf;
import static dev.mtls.core.revocation.CrlTestPki.policy;
import static dev.mtls.core.revocation.CrlTestPki.root;
import static dev.mtls.core.revocation.CrlTestPki.source;
import static dev.mtls.core.revocation.CrlTestPki.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.revocation.RevocationPolicy.Scope;
import dev.mtls.core.revocation.RevocationStatus.Status;
import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.CrlBuilder;
import dev.mtls.pki.KeyUsage;
import dev.mtls.pki.RevocationReason;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Whether a CRL may be used (RFC 5280 6.3.3 a, f, g): current, conforming, signed by the CA or
 * its CRL signing certificate; delta CRLs; the newest complete CRL; and intermediates.
 */
class CrlCheckerTest {
  private static final CertifiedKey CA = root("CA");
  private static final CertifiedKey LEAF = leaf(CA).build();
  private static final BigInteger SERIAL = LEAF.certificate().getSerialNumber();
  private static final Instant EARLIER = NOW.minus(Duration.ofDays(2));

  private static String crlProblem(X509CRL crl, String problem) {
    return "crl: no usable CRL: " + source(crl) + ": " + problem;
  }

  /** A separate CRL signing certificate: the CA's name, another key. */
  private static CertificateBuilder crlSigner() {
    return CertificateBuilder.create().clock(CLOCK).subject("CN=CA").extendedKeyUsage();
  }

  @Test
  void currentCrlOfTheIssuer_isGood() {
    X509CRL crl = crl(CA, 1).revoke(SERIAL.add(BigInteger.ONE), EARLIER).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(crl));
    assertThat(status.detail()).isNull();
  }

  @Test
  void currentCrlOfTheIssuer_revokes() {
    X509CRL crl = crl(CA, 1).revoke(SERIAL, EARLIER, RevocationReason.KEY_COMPROMISE).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(status.revokedAt()).contains(EARLIER);
  }

  @Test
  void staleCrl_stillRevokesForGood() {
    X509CRL crl = CrlBuilder.create().issuedBy(CA).thisUpdate(EARLIER).nextUpdate(NOW.minus(Duration.ofHours(1)))
        .crlNumber(BigInteger.ONE).revoke(SERIAL, EARLIER, RevocationReason.KEY_COMPROMISE).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(status.source()).isEqualTo(source(crl));
  }

  @Test
  void staleCrl_signedByAnotherKey_doesNotRevoke() {
    CertifiedKey impostor = root("CA"); // the CA's name, another key
    X509CRL crl = CrlBuilder.create().issuedBy(impostor).thisUpdate(EARLIER)
        .nextUpdate(NOW.minus(Duration.ofHours(1))).crlNumber(BigInteger.ONE)
        .revoke(SERIAL, EARLIER, RevocationReason.KEY_COMPROMISE).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).contains("expired: its nextUpdate was");
  }

  @Test
  void staleCrl_withACertificateOnHold_isUnavailable() {
    X509CRL crl = CrlBuilder.create().issuedBy(CA).thisUpdate(EARLIER).nextUpdate(NOW.minus(Duration.ofHours(1)))
        .crlNumber(BigInteger.ONE).revoke(SERIAL, EARLIER, RevocationReason.CERTIFICATE_HOLD).build();

    assertThat(status(policy(crl), LEAF, CA).status()).isEqualTo(Status.UNAVAILABLE);
  }

  @Test
  void staleCrl_isUnavailable() {
    Instant nextUpdate = NOW.minus(Duration.ofHours(1));
    X509CRL crl = CrlBuilder.create().issuedBy(CA).thisUpdate(EARLIER).nextUpdate(nextUpdate)
        .crlNumber(BigInteger.ONE).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "expired: its nextUpdate was " + nextUpdate
        + " (now " + NOW + ")"));
  }

  @Test
  void crlNotYetValid_isUnavailable() {
    Instant thisUpdate = NOW.plus(Duration.ofHours(1));
    X509CRL crl = CrlBuilder.create().issuedBy(CA).thisUpdate(thisUpdate)
        .crlNumber(BigInteger.ONE).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "is not valid until " + thisUpdate
        + " (now " + NOW + ")"));
  }

  @Test
  void unknownCriticalExtension_makesTheCrlUnusable() {
    X509CRL crl = crl(CA, 1).addExtension("1.2.3.4", true, new byte[] {5, 0}).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "has unknown critical extensions [1.2.3.4]"));
  }

  @Test
  void missingCrlNumber_makesTheCrlUnusable() {
    X509CRL crl = CrlBuilder.create().issuedBy(CA).thisUpdate(EARLIER).omitCrlNumber().build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: crl in memory from 'CN=CA': has no"
        + " CRL number (RFC 5280 5.2.3 requires one)");
  }

  @Test
  void crlSignedByAnotherKeyWithTheCasName_isRefused() {
    X509CRL crl = crl(root("CA"), 1).revoke(SERIAL, EARLIER).build();

    RevocationStatus status = status(policy(crl), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "is not signed by 'CN=CA' (no certificate"
        + " of that name with a matching key; a separate CRL signing key needs its certificate in"
        + " crlSigners)"));
  }

  @Test
  void separateCrlSigningCertificate_isAcceptedWhenConfigured() {
    CertifiedKey signer = crlSigner().keyUsage(KeyUsage.CRL_SIGN).issuedBy(CA).build();
    X509CRL crl = crl(signer, 1).revoke(SERIAL, EARLIER, RevocationReason.SUPERSEDED).build();

    RevocationStatus status = status(policy(crl).crlSigners(signer.certificate()), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.SUPERSEDED);
    assertThat(status.source()).isEqualTo(source(crl));
  }

  @Test
  void separateCrlSigningCertificate_withoutCrlSign_isRefused() {
    CertifiedKey signer = crlSigner().keyUsage(KeyUsage.DIGITAL_SIGNATURE).issuedBy(CA).build();
    X509CRL crl = crl(signer, 1).build();

    RevocationStatus status = status(policy(crl).crlSigners(signer.certificate()), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "is signed by the key of 'CN=CA' serial "
        + signer.certificate().getSerialNumber().toString(16) + ", whose key usage does not allow"
        + " cRLSign"));
  }

  @Test
  void separateCrlSigningCertificate_notIssuedByTheCa_isRefused() {
    CertifiedKey signer = crlSigner().keyUsage(KeyUsage.CRL_SIGN).issuedBy(root("CA")).build();
    X509CRL crl = crl(signer, 1).build();

    RevocationStatus status = status(policy(crl).crlSigners(signer.certificate()), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "is signed by the key of 'CN=CA' serial "
        + signer.certificate().getSerialNumber().toString(16) + ", which 'CN=CA' did not issue (a"
        + " separate CRL signing certificate must be issued by the CA whose CRLs it signs)"));
  }

  @Test
  void separateCrlSigningCertificate_expired_isRefused() {
    Instant notAfter = NOW.minus(Duration.ofDays(1));
    CertifiedKey signer = crlSigner().keyUsage(KeyUsage.CRL_SIGN)
        .validity(NOW.minus(Duration.ofDays(30)), notAfter).issuedBy(CA).build();
    X509CRL crl = crl(signer, 1).build();

    RevocationStatus status = status(policy(crl).crlSigners(signer.certificate()), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(crlProblem(crl, "is signed by the key of 'CN=CA' serial "
        + signer.certificate().getSerialNumber().toString(16) + ", which is not valid now (valid from "
        + NOW.minus(Duration.ofDays(30)) + " to " + notAfter + ", now " + NOW + ")"));
  }

  @Test
  void deltaCrl_revokesACertificateTheCompleteCrlDoesNotList() {
    X509CRL base = crl(CA, 5).build();
    X509CRL delta = crl(CA, 6).deltaCrlIndicator(BigInteger.valueOf(5))
        .revoke(SERIAL, EARLIER, RevocationReason.KEY_COMPROMISE).build();

    RevocationStatus status = status(policy(base, delta), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(status.source()).isEqualTo(source(delta));
  }

  @Test
  void certificateHold_inTheCompleteCrl_revokes() {
    X509CRL base = crl(CA, 5).revoke(SERIAL, EARLIER, RevocationReason.CERTIFICATE_HOLD).build();

    RevocationStatus status = status(policy(base), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.CERTIFICATE_HOLD);
  }

  @Test
  void deltaCrl_removeFromCrl_liftsTheCompleteCrlsCertificateHold() {
    X509CRL base = crl(CA, 5).revoke(SERIAL, EARLIER, RevocationReason.CERTIFICATE_HOLD).build();
    X509CRL delta = crl(CA, 6).deltaCrlIndicator(BigInteger.valueOf(5))
        .revoke(SERIAL, NOW.minus(Duration.ofHours(2)), RevocationReason.REMOVE_FROM_CRL).build();

    RevocationStatus status = status(policy(delta, base), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(base) + " + " + source(delta));
  }

  @Test
  void deltaCrl_forANewerCompleteCrl_isIgnored() {
    X509CRL base = crl(CA, 5).build();
    X509CRL delta = crl(CA, 7).deltaCrlIndicator(BigInteger.valueOf(6))
        .revoke(SERIAL, EARLIER, RevocationReason.KEY_COMPROMISE).build();

    RevocationStatus status = status(policy(base, delta), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(base));
  }

  @Test
  void deltaCrl_olderThanTheCompleteCrl_isIgnored() {
    X509CRL base = crl(CA, 7).revoke(SERIAL, EARLIER, RevocationReason.CERTIFICATE_HOLD).build();
    X509CRL delta = crl(CA, 6).deltaCrlIndicator(BigInteger.valueOf(5))
        .revoke(SERIAL, EARLIER, RevocationReason.REMOVE_FROM_CRL).build();

    RevocationStatus status = status(policy(base, delta), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.CERTIFICATE_HOLD);
    assertThat(status.source()).isEqualTo(source(base));
  }

  @Test
  void deltaCrl_ofAnotherScope_isIgnored() {
    X509CRL base = crl(CA, 5).build();
    X509CRL delta = crl(CA, 6).deltaCrlIndicator(BigInteger.valueOf(5)).onlyContainsCaCerts()
        .revoke(SERIAL, EARLIER).build();

    RevocationStatus status = status(policy(base, delta), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(base));
  }

  @Test
  void newerCompleteCrl_supersedesAnOlderOne_whateverTheOrder() {
    X509CRL older = crl(CA, 1).build();
    X509CRL newer = crl(CA, 2).revoke(SERIAL, EARLIER, RevocationReason.KEY_COMPROMISE).build();

    RevocationStatus status = status(policy(older, newer), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.source()).isEqualTo(source(newer));
  }

  @Test
  void newerCompleteCrl_releasesAnOlderOnesCertificateHold() {
    X509CRL older = crl(CA, 1).revoke(SERIAL, EARLIER, RevocationReason.CERTIFICATE_HOLD).build();
    X509CRL newer = crl(CA, 2).build();

    RevocationStatus status = status(policy(older, newer), LEAF, CA);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(newer));
  }

  @Test
  void wholeChain_rejectsAnIntermediateTheRootRevoked() {
    CertifiedKey root = root("Root");
    CertifiedKey intermediate = intermediate("Intermediate", root);
    CertifiedKey leaf = leaf(intermediate).build();
    X509CRL rootCrl = crl(root, 1).revoke(intermediate.certificate().getSerialNumber(), EARLIER,
        RevocationReason.CA_COMPROMISE).build();
    X509CRL intermediateCrl = crl(intermediate, 1).build();

    RevocationResult result = check(policy(rootCrl, intermediateCrl), leaf, intermediate, root);

    assertThat(result.accepted()).isFalse();
    assertThat(result.statuses()).extracting(RevocationStatus::index, RevocationStatus::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, Status.GOOD),
            org.assertj.core.groups.Tuple.tuple(1, Status.REVOKED));
    assertThat(result.rejection().orElseThrow().reason()).contains(RevocationReason.CA_COMPROMISE);
    assertThat(result.rejection().orElseThrow().source()).isEqualTo(source(rootCrl));
  }

  @Test
  void endEntityScope_ignoresARevokedIntermediate() {
    CertifiedKey root = root("Root");
    CertifiedKey intermediate = intermediate("Intermediate", root);
    CertifiedKey leaf = leaf(intermediate).build();
    X509CRL rootCrl = crl(root, 1).revoke(intermediate.certificate().getSerialNumber(), EARLIER,
        RevocationReason.CA_COMPROMISE).build();
    X509CRL intermediateCrl = crl(intermediate, 1).build();

    RevocationResult result = check(policy(rootCrl, intermediateCrl).scope(Scope.END_ENTITY),
        leaf, intermediate, root);

    assertThat(result.accepted()).isTrue();
    assertThat(result.describe()).isEqualTo("[0] good (" + source(intermediateCrl) + ")");
  }
}
