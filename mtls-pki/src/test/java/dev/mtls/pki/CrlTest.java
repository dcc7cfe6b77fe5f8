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
            + " was issued by 'CN=Other', not by the CRL issuer 'CN=Root'");
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
