package dev.mtls.core.revocation;

import static dev.mtls.core.revocation.CrlTestPki.NOW;
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
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyUsage;
import dev.mtls.pki.RevocationReason;
import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509CRL;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which CRLs speak for a certificate (RFC 5280 6.3.3 b and d): the issuing distribution point's
 * user/CA scope and name, indirect CRLs, and the reasons CRLs cover.
 */
class CrlScopeTest {
  private static final String A = "ldap://ldap.example.org/cn=CA,part=a";
  private static final String B = "ldap://ldap.example.org/cn=CA,part=b";
  private static final CertifiedKey ROOT = root("Root");
  private static final CertifiedKey CA = intermediate("CA", ROOT);
  /** The CRL issuer of indirect CRLs: a certificate the root issued, for CRL signing only. */
  private static final CertifiedKey CRL_ISSUER = CertificateBuilder.create().clock(CrlTestPki.CLOCK)
      .commonName("CRL Issuer").keyUsage(KeyUsage.CRL_SIGN).extendedKeyUsage().issuedBy(ROOT).build();

  private static DistributionPoint point(String uri, RevocationReason... reasons) {
    return new DistributionPoint(List.of(GeneralName.uri(uri)), Optional.empty(), Set.of(reasons),
        List.of());
  }

  private static RevocationPolicy leafOnly(X509CRL... crls) {
    return policy(crls).scope(Scope.END_ENTITY);
  }

  @Test
  void onlyUserCerts_coversALeaf() {
    CertifiedKey leaf = leaf(CA).build();
    X509CRL crl = crl(CA, 1).onlyContainsUserCerts().revoke(leaf.certificate()).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.source()).isEqualTo(source(crl));
  }

  @Test
  void onlyUserCerts_doesNotCoverACaCertificate() {
    X509CRL crl = crl(ROOT, 1).onlyContainsUserCerts().revoke(CA.certificate()).build();

    RevocationStatus status = status(policy(crl), CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: " + source(crl) + ": is out of scope:"
        + " its issuing distribution point covers end-entity certificates only"
        + " (onlyContainsUserCerts), and the certificate is a CA");
  }

  @Test
  void onlyCaCerts_coversACaCertificate() {
    X509CRL crl = crl(ROOT, 1).onlyContainsCaCerts().revoke(CA.certificate()).build();

    RevocationStatus status = status(policy(crl), CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.source()).isEqualTo(source(crl));
  }

  @Test
  void onlyCaCerts_doesNotCoverALeaf() {
    CertifiedKey leaf = leaf(CA).build();
    X509CRL crl = crl(CA, 1).onlyContainsCaCerts().revoke(leaf.certificate()).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: " + source(crl) + ": is out of scope:"
        + " its issuing distribution point covers CA certificates only (onlyContainsCACerts), and"
        + " the certificate is not a CA");
  }

  @Test
  void idpNamingOneOfTheCertificatesDistributionPoints_isUsed() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(URI.create(A)).build();
    X509CRL crl = crl(CA, 1).issuingDistributionPoint(GeneralName.uri(B), GeneralName.uri(A)).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(crl));
  }

  @Test
  void idpNamingAnotherDistributionPoint_isOutOfScope() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(URI.create(A)).build();
    X509CRL crl = crl(CA, 1).issuingDistributionPoint(URI.create(B)).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: " + source(crl) + ": is out of scope:"
        + " its issuing distribution point [URI:" + B + "] is not one of the certificate's CRL"
        + " distribution points [URI:" + A + "]");
  }

  @Test
  void idpName_doesNotCoverACertificateWithoutDistributionPoints() {
    CertifiedKey leaf = leaf(CA).build();
    X509CRL crl = crl(CA, 1).issuingDistributionPoint(URI.create(B)).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: " + source(crl) + ": is out of scope:"
        + " its issuing distribution point [URI:" + B + "] covers only certificates that name it,"
        + " and the certificate has no CRL distribution points");
  }

  @Test
  void relativeDistributionPointName_isTheCrlIssuersNameWithTheRdn() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(new DistributionPoint(List.of(),
        Optional.of("CN=Partition 1"), Set.of(), List.of())).build();
    X509CRL partition1 = crl(CA, 1)
        .issuingDistributionPoint(GeneralName.directoryName("CN=Partition 1,CN=CA")).build();
    X509CRL partition2 = crl(CA, 2)
        .issuingDistributionPoint(GeneralName.directoryName("CN=Partition 2,CN=CA")).build();

    RevocationStatus good = status(leafOnly(partition1), leaf, CA, ROOT);
    RevocationStatus other = status(leafOnly(partition2), leaf, CA, ROOT);

    assertThat(good.status()).isEqualTo(Status.GOOD);
    assertThat(other.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(other.detail()).isEqualTo("crl: no usable CRL: " + source(partition2) + ": is out of"
        + " scope: its issuing distribution point [DIRECTORY_NAME:CN=Partition 2,CN=CA] is not one"
        + " of the certificate's CRL distribution points [DIRECTORY_NAME:CN=Partition 1,CN=CA]");
  }

  private static DistributionPoint indirectPoint() {
    return new DistributionPoint(List.of(GeneralName.uri(A)), Optional.empty(), Set.of(),
        List.of(GeneralName.directoryName("CN=CRL Issuer")));
  }

  @Test
  void indirectCrl_revokesACertificateOfAnotherIssuer() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(indirectPoint()).build();
    BigInteger serial = leaf.certificate().getSerialNumber();
    // The leaf's entry omits the certificate issuer extension: it inherits the entry's before.
    X509CRL crl = crl(CRL_ISSUER, 1).issuingDistributionPoint(URI.create(A)).indirectCrl()
        .revoke(serial.add(BigInteger.ONE), NOW, RevocationReason.SUPERSEDED,
            CA.certificate().getSubjectX500Principal())
        .revoke(serial, NOW, RevocationReason.KEY_COMPROMISE, CA.certificate().getSubjectX500Principal())
        .build();

    RevocationStatus status = status(leafOnly(crl).crlSigners(CRL_ISSUER.certificate()), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(status.source()).isEqualTo("crl in memory from 'CN=CRL Issuer' number 1");
  }

  @Test
  void indirectCrl_listingTheSerialUnderAnotherIssuer_isGood() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(indirectPoint()).build();
    X509CRL crl = crl(CRL_ISSUER, 1).issuingDistributionPoint(URI.create(A)).indirectCrl()
        .revoke(leaf.certificate().getSerialNumber(), NOW, RevocationReason.KEY_COMPROMISE,
            new javax.security.auth.x500.X500Principal("CN=Other CA"))
        .build();

    RevocationStatus status = status(leafOnly(crl).crlSigners(CRL_ISSUER.certificate()), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo("crl in memory from 'CN=CRL Issuer' number 1");
  }

  @Test
  void indirectCrl_forACertificateThatDoesNotNameItsIssuer_isNotConsulted() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(URI.create(A)).build();
    X509CRL crl = crl(CRL_ISSUER, 1).issuingDistributionPoint(URI.create(A)).indirectCrl()
        .revoke(leaf.certificate()).build();

    RevocationStatus status = status(leafOnly(crl).crlSigners(CRL_ISSUER.certificate()), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no CRL for issuer 'CN=CA'");
  }

  @Test
  void crlOfTheNamedCrlIssuer_withoutIndirectCrl_isOutOfScope() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(indirectPoint()).build();
    X509CRL crl = crl(CRL_ISSUER, 1).issuingDistributionPoint(URI.create(A)).build();

    RevocationStatus status = status(leafOnly(crl).crlSigners(CRL_ISSUER.certificate()), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: " + source(crl) + ": is out of scope:"
        + " a CRL distribution point of the certificate names its issuer as cRLIssuer, but its"
        + " issuing distribution point does not say indirectCRL");
  }

  @Test
  void indirectCrl_signedByACrlIssuerOutsideThePath_isRefused() {
    CertifiedKey stranger = CertificateBuilder.create().clock(CrlTestPki.CLOCK).commonName("CRL Issuer")
        .keyUsage(KeyUsage.CRL_SIGN).extendedKeyUsage().issuedBy(root("Elsewhere")).build();
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(indirectPoint()).build();
    X509CRL crl = crl(stranger, 1).issuingDistributionPoint(URI.create(A)).indirectCrl().build();

    RevocationStatus status = status(leafOnly(crl).crlSigners(stranger.certificate()), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo("crl: no usable CRL: " + source(crl) + ": is signed by the"
        + " key of 'CN=CRL Issuer' serial " + stranger.certificate().getSerialNumber().toString(16)
        + ", which no CA of the verified path issued");
  }

  @Test
  void onlySomeReasons_aloneIsUnavailable() {
    CertifiedKey leaf = leaf(CA).build();
    X509CRL crl = crl(CA, 1).onlySomeReasons(RevocationReason.KEY_COMPROMISE,
        RevocationReason.CA_COMPROMISE).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(source(crl) + ": the CRLs consulted cover only some"
        + " reasons; no CRL covers [AFFILIATION_CHANGED, SUPERSEDED, CESSATION_OF_OPERATION,"
        + " CERTIFICATE_HOLD, PRIVILEGE_WITHDRAWN, AA_COMPROMISE]");
  }

  @Test
  void onlySomeReasons_twoCrlsCoveringEveryReason_isGood() {
    CertifiedKey leaf = leaf(CA).build();
    X509CRL keys = crl(CA, 1).onlySomeReasons(RevocationReason.KEY_COMPROMISE,
        RevocationReason.CA_COMPROMISE).build();
    X509CRL rest = crl(CA, 2).onlySomeReasons(RevocationReason.AFFILIATION_CHANGED,
        RevocationReason.SUPERSEDED, RevocationReason.CESSATION_OF_OPERATION,
        RevocationReason.CERTIFICATE_HOLD, RevocationReason.PRIVILEGE_WITHDRAWN,
        RevocationReason.AA_COMPROMISE).build();

    RevocationStatus status = status(leafOnly(keys, rest), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(keys) + " + " + source(rest));
  }

  @Test
  void onlySomeReasons_theSecondCrlRevokes() {
    CertifiedKey leaf = leaf(CA).build();
    X509CRL keys = crl(CA, 1).onlySomeReasons(RevocationReason.KEY_COMPROMISE).build();
    X509CRL rest = crl(CA, 2).onlySomeReasons(RevocationReason.SUPERSEDED)
        .revoke(leaf.certificate().getSerialNumber(), NOW, RevocationReason.SUPERSEDED).build();

    RevocationStatus status = status(leafOnly(keys, rest), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.REVOKED);
    assertThat(status.reason()).contains(RevocationReason.SUPERSEDED);
    assertThat(status.source()).isEqualTo(source(rest));
  }

  @Test
  void distributionPointReasons_limitWhatItsCrlCovers() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(point(A, RevocationReason.KEY_COMPROMISE))
        .build();
    X509CRL crl = crl(CA, 1).issuingDistributionPoint(URI.create(A)).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(source(crl) + ": the CRLs consulted cover only some"
        + " reasons; no CRL covers [CA_COMPROMISE, AFFILIATION_CHANGED, SUPERSEDED,"
        + " CESSATION_OF_OPERATION, CERTIFICATE_HOLD, PRIVILEGE_WITHDRAWN, AA_COMPROMISE]");
  }

  @Test
  void coveredReasons_areTheIdpReasonsWithinTheDistributionPointReasons() {
    CertifiedKey leaf = leaf(CA).crlDistributionPoint(point(A, RevocationReason.KEY_COMPROMISE,
        RevocationReason.CA_COMPROMISE)).build();
    X509CRL crl = crl(CA, 1).issuingDistributionPoint(URI.create(A))
        .onlySomeReasons(RevocationReason.CA_COMPROMISE, RevocationReason.SUPERSEDED).build();

    RevocationStatus status = status(leafOnly(crl), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(status.detail()).isEqualTo(source(crl) + ": the CRLs consulted cover only some"
        + " reasons; no CRL covers [KEY_COMPROMISE, AFFILIATION_CHANGED, SUPERSEDED,"
        + " CESSATION_OF_OPERATION, CERTIFICATE_HOLD, PRIVILEGE_WITHDRAWN, AA_COMPROMISE]");
  }

  @Test
  void distributionPointsTogetherCoveringEveryReason_areGood() {
    CertifiedKey leaf = leaf(CA)
        .crlDistributionPoint(point(A, RevocationReason.KEY_COMPROMISE, RevocationReason.CA_COMPROMISE))
        .crlDistributionPoint(point(B, RevocationReason.AFFILIATION_CHANGED, RevocationReason.SUPERSEDED,
            RevocationReason.CESSATION_OF_OPERATION, RevocationReason.CERTIFICATE_HOLD,
            RevocationReason.PRIVILEGE_WITHDRAWN, RevocationReason.AA_COMPROMISE))
        .build();
    X509CRL a = crl(CA, 1).issuingDistributionPoint(URI.create(A)).build();
    X509CRL b = crl(CA, 2).issuingDistributionPoint(URI.create(B)).build();

    RevocationStatus status = status(leafOnly(a, b), leaf, CA, ROOT);

    assertThat(status.status()).isEqualTo(Status.GOOD);
    assertThat(status.source()).isEqualTo(source(a) + " + " + source(b));
  }
}
