package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CrlTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final CertifiedKey ROOT =
      CertificateBuilder.create().commonName("Root").role(CertificateRole.CA).build();
  private static final CertifiedKey OTHER =
      CertificateBuilder.create().commonName("Other").role(CertificateRole.CA).build();

  @Test
  void buildAppliesDefaults() {
    X509CRL crl = CrlBuilder.create().issuedBy(ROOT)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    CrlInfo info = CrlInfo.of(crl);

    assertThat(info.version()).isEqualTo(2);
    assertThat(info.issuer()).isEqualTo(ROOT.certificate().getSubjectX500Principal());
    assertThat(info.thisUpdate()).isEqualTo(NOW);
    assertThat(info.nextUpdate()).contains(NOW.plus(Duration.ofDays(7)));
    assertThat(info.crlNumber()).contains(BigInteger.ONE);
    assertThat(info.authorityKeyIdentifier().orElseThrow().keyIdentifier())
        .isEqualTo(CertificateInfo.of(ROOT.certificate()).subjectKeyIdentifier().orElseThrow());
    assertThat(info.deltaCrlIndicator()).isEmpty();
    assertThat(info.issuingDistributionPoint()).isEmpty();
    assertThat(info.entries()).isEmpty();
    assertThat(info.extensions()).containsExactly(
        new ExtensionInfo("2.5.29.35", "authorityKeyIdentifier", false),
        new ExtensionInfo("2.5.29.20", "cRLNumber", false));
    assertThat(info.unknownCriticalExtensions()).isEmpty();
    assertThat(info.isSignedBy(ROOT.certificate())).isTrue();
    info.verify(ROOT.certificate());
  }

  @Test
  void findReturnsRevokedEntriesWithReasonAndDate() {
    CertifiedKey leaf = CertificateBuilder.create().issuedBy(ROOT).build();
    Instant when = NOW.minus(Duration.ofHours(3));
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT).thisUpdate(NOW)
        .nextUpdate(NOW.plus(Duration.ofHours(1)))
        .crlNumber(BigInteger.valueOf(42))
        .revoke(BigInteger.valueOf(7), when, RevocationReason.KEY_COMPROMISE)
        .revoke(BigInteger.valueOf(8), when)
        .revoke(leaf.certificate())
        .build());

    assertThat(info.crlNumber()).contains(BigInteger.valueOf(42));
    assertThat(info.nextUpdate()).contains(NOW.plus(Duration.ofHours(1)));
    assertThat(info.find(BigInteger.valueOf(7))).contains(new RevokedEntry(BigInteger.valueOf(7),
        when, Optional.of(RevocationReason.KEY_COMPROMISE), Optional.empty(), List.of()));
    assertThat(info.find(BigInteger.valueOf(8)).orElseThrow().reason()).isEmpty();
    assertThat(info.find(leaf.certificate().getSerialNumber()).orElseThrow().revocationDate())
        .isEqualTo(NOW);
    assertThat(info.find(BigInteger.valueOf(9))).isEmpty();
    assertThat(info.find(OTHER.certificate().getSubjectX500Principal(), BigInteger.valueOf(7)))
        .isEmpty();
    assertThat(info.entries()).extracting(RevokedEntry::serialNumber).containsExactly(
        BigInteger.valueOf(7), BigInteger.valueOf(8), leaf.certificate().getSerialNumber());
  }

  @Test
  void everyReasonRoundTrips() {
    CrlBuilder builder = CrlBuilder.create().issuedBy(ROOT);
    for (RevocationReason reason : RevocationReason.values()) {
      builder.revoke(BigInteger.valueOf(100 + reason.code()), NOW, reason);
    }
    CrlInfo info = CrlInfo.of(builder.build());

    for (RevocationReason reason : RevocationReason.values()) {
      assertThat(info.find(BigInteger.valueOf(100 + reason.code())).orElseThrow().reason())
          .contains(reason);
    }
  }

  @Test
  void issuingDistributionPointAndDeltaIndicator() {
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT)
        .issuingDistributionPoint(URI.create("http://crl.example.org/root.crl"))
        .onlyContainsUserCerts()
        .deltaCrlIndicator(BigInteger.TEN)
        .build());

    assertThat(info.issuingDistributionPoint()).contains(new IssuingDistributionPoint(
        List.of(GeneralName.uri("http://crl.example.org/root.crl")), Optional.empty(), true, false,
        Set.of(), false, false));
    assertThat(info.isCritical("2.5.29.28")).isTrue();
    assertThat(info.deltaCrlIndicator()).contains(BigInteger.TEN);
    assertThat(info.isCritical("2.5.29.27")).isTrue();
    assertThat(info.unknownCriticalExtensions()).isEmpty();
  }

  @Test
  void nonConformingOptions() {
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT)
        .omitAuthorityKeyIdentifier()
        .omitCrlNumber()
        .addExtension("1.2.3.4", true, CertificateInfoTest.hex("0500"))
        .build());

    assertThat(info.authorityKeyIdentifier()).isEmpty();
    assertThat(info.crlNumber()).isEmpty();
    assertThat(info.unknownCriticalExtensions()).containsExactly("1.2.3.4");
  }

  @Test
  void crlNumberRefusesASecondValue() {
    CrlBuilder builder = CrlBuilder.create().crlNumber(BigInteger.TWO);

    assertThatThrownBy(() -> builder.crlNumber(BigInteger.TEN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("crlNumber was already set to 2");
  }

  @Test
  void crlNumberRefusesNegative() {
    assertThatThrownBy(() -> CrlBuilder.create().crlNumber(BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("crlNumber must be a non-negative number of at most 20 octets, was -1");
  }

  @Test
  void onlyContainsRefusesBoth() {
    assertThatThrownBy(() -> CrlBuilder.create().onlyContainsUserCerts().onlyContainsCaCerts())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("onlyContains was already set to onlyContainsUserCerts");
  }

  @Test
  void revokeRefusesTheSameSerialTwice() {
    CrlBuilder builder = CrlBuilder.create()
        .revoke(BigInteger.ONE, NOW, RevocationReason.SUPERSEDED);

    assertThatThrownBy(() -> builder.revoke(BigInteger.ONE, NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("serial 1 was already revoked at " + NOW + " for SUPERSEDED");
  }

  @Test
  void buildRefusesACertificateOfAnotherIssuer() {
    CertifiedKey foreign = CertificateBuilder.create().issuedBy(OTHER).build();
    CrlBuilder builder = CrlBuilder.create().issuedBy(ROOT).revoke(foreign.certificate());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Certificate serial " + foreign.certificate().getSerialNumber()
            + " was issued by 'CN=Other', not by the CRL issuer 'CN=Root'; call indirectCrl() to"
            + " list certificates of other issuers");
  }

  @Test
  void issuingDistributionPointWritesSeveralNamesSomeReasonsAndIndirect() {
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT)
        .issuingDistributionPoint(GeneralName.uri("http://crl.example.org/root.crl"),
            GeneralName.uri("ldap://ldap.example.org/cn=Root?certificateRevocationList"),
            GeneralName.directoryName("CN=Partition 1,CN=Root"))
        .onlySomeReasons(RevocationReason.KEY_COMPROMISE, RevocationReason.CA_COMPROMISE,
            RevocationReason.PRIVILEGE_WITHDRAWN, RevocationReason.AA_COMPROMISE)
        .indirectCrl()
        .build());

    assertThat(info.issuingDistributionPoint()).contains(new IssuingDistributionPoint(
        List.of(GeneralName.uri("http://crl.example.org/root.crl"),
            GeneralName.uri("ldap://ldap.example.org/cn=Root?certificateRevocationList"),
            GeneralName.directoryName("CN=Partition 1,CN=Root")),
        Optional.empty(), false, false,
        Set.of(RevocationReason.KEY_COMPROMISE, RevocationReason.CA_COMPROMISE,
            RevocationReason.PRIVILEGE_WITHDRAWN, RevocationReason.AA_COMPROMISE),
        true, false));
    assertThat(info.isCritical("2.5.29.28")).isTrue();
  }

  @Test
  void onlySomeReasonsAloneMakesAnIssuingDistributionPoint() {
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT)
        .onlySomeReasons(RevocationReason.SUPERSEDED).build());

    assertThat(info.issuingDistributionPoint()).contains(new IssuingDistributionPoint(List.of(),
        Optional.empty(), false, false, Set.of(RevocationReason.SUPERSEDED), false, false));
  }

  @Test
  void onlySomeReasonsRefusesReasonsWithoutAFlag() {
    assertThatThrownBy(() -> CrlBuilder.create()
        .onlySomeReasons(RevocationReason.KEY_COMPROMISE, RevocationReason.UNSPECIFIED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("onlySomeReasons cannot include UNSPECIFIED or REMOVE_FROM_CRL (ReasonFlags has"
            + " no bit for them), was [UNSPECIFIED, KEY_COMPROMISE]");
  }

  @Test
  void onlySomeReasonsRefusesNoReason() {
    assertThatThrownBy(() -> CrlBuilder.create().onlySomeReasons())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("onlySomeReasons needs at least one reason");
  }

  @Test
  void onlySomeReasonsRefusesASecondValue() {
    CrlBuilder builder = CrlBuilder.create().onlySomeReasons(RevocationReason.SUPERSEDED);

    assertThatThrownBy(() -> builder.onlySomeReasons(RevocationReason.KEY_COMPROMISE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("onlySomeReasons was already set to [SUPERSEDED]");
  }

  @Test
  void indirectCrlRefusesASecondCall() {
    CrlBuilder builder = CrlBuilder.create().indirectCrl();

    assertThatThrownBy(builder::indirectCrl)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("indirectCrl() was already called");
  }

  @Test
  void issuingDistributionPointRefusesASecondName() {
    CrlBuilder builder = CrlBuilder.create()
        .issuingDistributionPoint(URI.create("http://crl.example.org/a.crl"));

    assertThatThrownBy(() -> builder.issuingDistributionPoint(GeneralName.uri("http://crl.example.org/b.crl")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("issuingDistributionPoint was already set to [URI:http://crl.example.org/a.crl]");
  }

  @Test
  void issuingDistributionPointRefusesNoName() {
    assertThatThrownBy(() -> CrlBuilder.create().issuingDistributionPoint(new GeneralName[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("issuingDistributionPoint needs at least one name");
  }

  @Test
  void indirectCrlEntriesNameTheirIssuerAndLaterEntriesInheritIt() {
    X500Principal issuerA = new X500Principal("CN=Issuing CA A");
    X500Principal issuerB = new X500Principal("CN=Issuing CA B");
    Instant when = NOW.minus(Duration.ofHours(1));
    X509CRL crl = CrlBuilder.create().issuedBy(ROOT).thisUpdate(NOW).indirectCrl()
        .revoke(BigInteger.ONE, when, RevocationReason.KEY_COMPROMISE, issuerA)
        .revoke(BigInteger.TWO, when, RevocationReason.SUPERSEDED, issuerA)
        .revoke(BigInteger.valueOf(3), when)
        .revoke(BigInteger.ONE, when, RevocationReason.CA_COMPROMISE, issuerB)
        .build();
    CrlInfo info = CrlInfo.of(crl);

    assertThat(info.find(issuerA, BigInteger.ONE).orElseThrow().reason())
        .contains(RevocationReason.KEY_COMPROMISE);
    assertThat(info.find(issuerA, BigInteger.TWO).orElseThrow().reason())
        .contains(RevocationReason.SUPERSEDED);
    assertThat(info.find(BigInteger.valueOf(3))).isPresent();
    assertThat(info.find(issuerB, BigInteger.ONE).orElseThrow().reason())
        .contains(RevocationReason.CA_COMPROMISE);
    assertThat(info.find(BigInteger.ONE)).isEmpty();
    assertThat(info.find(issuerA, BigInteger.valueOf(3))).isEmpty();
    assertThat(info.entries()).extracting(RevokedEntry::certificateIssuer).containsExactly(
        List.of(GeneralName.directoryName("CN=Issuing CA A")),
        List.of(GeneralName.directoryName("CN=Issuing CA A")),
        List.of(GeneralName.directoryName("CN=Root")),
        List.of(GeneralName.directoryName("CN=Issuing CA B")));
    assertThat(info.unknownCriticalExtensions()).isEmpty();
    // The extension is written, critical, only where the issuer changes; the JDK agrees on who
    // issued each entry.
    assertThat(crl.getRevokedCertificates()).extracting(
            e -> e.getSerialNumber().intValue(),
            e -> e.getCriticalExtensionOIDs() != null
                && e.getCriticalExtensionOIDs().contains("2.5.29.29"),
            java.security.cert.X509CRLEntry::getCertificateIssuer)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1, true, issuerA),
            org.assertj.core.groups.Tuple.tuple(2, false, issuerA),
            org.assertj.core.groups.Tuple.tuple(3, true, null),
            org.assertj.core.groups.Tuple.tuple(1, true, issuerB));
  }

  @Test
  void indirectCrlRevokesACertificateOfAnotherIssuer() {
    CertifiedKey foreign = CertificateBuilder.create().issuedBy(OTHER).build();
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT).indirectCrl()
        .revoke(foreign.certificate()).build());

    assertThat(info.find(OTHER.certificate().getSubjectX500Principal(),
        foreign.certificate().getSerialNumber())).isPresent();
    assertThat(info.find(foreign.certificate().getSerialNumber())).isEmpty();
  }

  @Test
  void revokeRefusesTheSameSerialOfTheSameIssuerTwice() {
    X500Principal issuer = new X500Principal("CN=Issuing CA A");
    CrlBuilder builder = CrlBuilder.create().indirectCrl()
        .revoke(BigInteger.ONE, NOW, RevocationReason.SUPERSEDED, issuer)
        .revoke(BigInteger.ONE, NOW, RevocationReason.SUPERSEDED);

    assertThatThrownBy(() -> builder.revoke(BigInteger.ONE, NOW, RevocationReason.KEY_COMPROMISE,
        issuer))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("serial 1 of 'CN=Issuing CA A' was already revoked at " + NOW + " for SUPERSEDED");
  }

  @Test
  void buildRefusesACertificateRevokedBothByCertificateAndBySerial() {
    CertifiedKey leaf = CertificateBuilder.create().issuedBy(ROOT).build();
    CrlBuilder builder = CrlBuilder.create().issuedBy(ROOT).revoke(leaf.certificate())
        .revoke(leaf.certificate().getSerialNumber(), NOW);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("serial " + leaf.certificate().getSerialNumber() + " of 'CN=Root' is revoked twice");
  }

  @Test
  void buildRequiresAnIssuer() {
    assertThatThrownBy(() -> CrlBuilder.create().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A CRL needs an issuer: call issuedBy(..)");
  }

  @Test
  void verifyNamesTheCrlAndTheCertificateTried() {
    CrlInfo info = CrlInfo.of(CrlBuilder.create().issuedBy(ROOT).thisUpdate(NOW).build());

    assertThat(info.isSignedBy(OTHER.certificate())).isFalse();
    assertThatThrownBy(() -> info.verify(OTHER.certificate()))
        .isInstanceOf(PkiException.class)
        .hasMessage("CRL of 'CN=Root' at " + NOW + ": signature does not verify with the key of"
            + " Certificate 'CN=Other' serial " + OTHER.certificate().getSerialNumber().toString(16)
            + " (whose subject is not the CRL issuer); expected the certificate of the key that"
            + " signed the CRL")
        .hasCauseInstanceOf(java.security.SignatureException.class);
  }

  @Test
  void fromDerRoundTrips() throws Exception {
    X509CRL crl = CrlBuilder.create().issuedBy(ROOT).revoke(BigInteger.ONE, NOW).build();

    assertThat(CrlInfo.fromDer(crl.getEncoded(), "crl.der")).isEqualTo(crl);
  }

  @Test
  void fromDerRefusesEmptyInput() {
    assertThatThrownBy(() -> CrlInfo.fromDer(new byte[0], "http://crl.example.org/root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("http://crl.example.org/root.crl: empty, expected a DER-encoded X.509 CRL");
  }

  @Test
  void fromDerRefusesPem() {
    byte[] pem = "-----BEGIN X509 CRL-----\n".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> CrlInfo.fromDer(pem, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("root.crl: not DER (first byte 0x2d, looks like PEM text), expected a"
            + " DER-encoded X.509 CRL");
  }

  @Test
  void fromDerRefusesTruncatedInput() throws Exception {
    byte[] der = CrlBuilder.create().issuedBy(ROOT).build().getEncoded();
    byte[] truncated = java.util.Arrays.copyOf(der, der.length - 10);

    assertThatThrownBy(() -> CrlInfo.fromDer(truncated, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("root.crl: not a valid DER-encoded X.509 CRL (" + truncated.length + " bytes)")
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void theJdkRefusesAMalformedCrlNumber() {
    CrlBuilder builder = CrlBuilder.create().issuedBy(ROOT)
        .addExtension("2.5.29.20", false, CertificateInfoTest.hex("0c0131"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseInstanceOf(java.security.cert.CRLException.class);
  }
}
