package dev.mtls.pki;

import static dev.mtls.pki.TestCrls.certificateIssuer;
import static dev.mtls.pki.TestCrls.entry;
import static dev.mtls.pki.TestCrls.extension;
import static dev.mtls.pki.TestCrls.hex;
import static dev.mtls.pki.TestCrls.raw;
import static dev.mtls.pki.TestCrls.time;
import static dev.mtls.pki.TestCrls.tlv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** {@link CrlInfo#parse}: the same answers as the JDK, strict checks, signatures from the bytes. */
class CrlParseTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String CRL = "root.crl, CRL of 'CN=Root' at " + NOW;
  private static final CertifiedKey ROOT =
      CertificateBuilder.create().commonName("Root").role(CertificateRole.CA).build();
  private static final CertifiedKey OTHER =
      CertificateBuilder.create().commonName("Other").role(CertificateRole.CA).build();
  private static final X500Principal OTHER_NAME = OTHER.certificate().getSubjectX500Principal();

  private static byte[] encoded(X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (java.security.cert.CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sample() {
    return encoded(CrlBuilder.create().issuedBy(ROOT).thisUpdate(NOW)
        .crlNumber(BigInteger.valueOf(42))
        .issuingDistributionPoint(URI.create("http://crl.example.org/root.crl"))
        .revoke(BigInteger.valueOf(7), NOW.minusSeconds(60), RevocationReason.KEY_COMPROMISE)
        .revoke(BigInteger.valueOf(8), NOW.minusSeconds(30))
        .revoke(BigInteger.valueOf(9), NOW, RevocationReason.CERTIFICATE_HOLD)
        .build());
  }

  @Test
  void parse_readsWhatOfReads() {
    byte[] der = sample();
    CrlInfo parsed = CrlInfo.parse(der, "root.crl");
    CrlInfo viaJdk = CrlInfo.of(TestCrls.jdk(der));

    assertThat(parsed.version()).isEqualTo(viaJdk.version()).isEqualTo(2);
    assertThat(parsed.issuer()).isEqualTo(viaJdk.issuer());
    assertThat(parsed.thisUpdate()).isEqualTo(viaJdk.thisUpdate()).isEqualTo(NOW);
    assertThat(parsed.nextUpdate()).isEqualTo(viaJdk.nextUpdate())
        .contains(NOW.plus(Duration.ofDays(7)));
    assertThat(parsed.crlNumber()).isEqualTo(viaJdk.crlNumber()).contains(BigInteger.valueOf(42));
    assertThat(parsed.authorityKeyIdentifier()).isEqualTo(viaJdk.authorityKeyIdentifier());
    assertThat(parsed.issuingDistributionPoint()).isEqualTo(viaJdk.issuingDistributionPoint());
    assertThat(parsed.extensions()).isEqualTo(viaJdk.extensions());
    assertThat(parsed.unknownCriticalExtensions()).isEmpty();
    assertThat(parsed.entries()).isEqualTo(viaJdk.entries()).containsExactly(
        new RevokedEntry(BigInteger.valueOf(7), NOW.minusSeconds(60),
            Optional.of(RevocationReason.KEY_COMPROMISE), Optional.empty(), List.of()),
        new RevokedEntry(BigInteger.valueOf(8), NOW.minusSeconds(30),
            Optional.empty(), Optional.empty(), List.of()),
        new RevokedEntry(BigInteger.valueOf(9), NOW,
            Optional.of(RevocationReason.CERTIFICATE_HOLD), Optional.empty(), List.of()));
    assertThat(parsed).hasToString("CrlInfo[" + CRL + ", 3 entries]");
  }

  @Test
  void find_answersLikeTheJdk_forRevokedAndAbsentSerials() {
    Random random = new Random(1);
    RevocationReason[] reasons = RevocationReason.values();
    CrlBuilder builder = CrlBuilder.create().issuedBy(ROOT).thisUpdate(NOW);
    List<BigInteger> revoked = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.valueOf(127),
        BigInteger.valueOf(128), BigInteger.valueOf(255), BigInteger.valueOf(256),
        BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE),
        BigInteger.valueOf(-5)));
    for (int i = 0; i < 2000; i++) {
      revoked.add(new BigInteger(1 + random.nextInt(159), random));
    }
    revoked = revoked.stream().distinct().toList();
    for (int i = 0; i < revoked.size(); i++) {
      Instant when = NOW.minusSeconds(977L * i);
      if (i % 3 == 0) {
        builder.revoke(revoked.get(i), when);
      } else {
        builder.revoke(revoked.get(i), when, reasons[i % reasons.length]);
      }
    }
    byte[] der = encoded(builder.build());
    X509CRL jdk = TestCrls.jdk(der);
    CrlInfo info = CrlInfo.parse(der, "root.crl");

    for (BigInteger serial : revoked) {
      X509CRLEntry expected = jdk.getRevokedCertificate(serial);
      RevokedEntry actual = info.find(serial).orElseThrow();
      assertThat(actual.serialNumber()).isEqualTo(expected.getSerialNumber());
      assertThat(actual.revocationDate()).isEqualTo(expected.getRevocationDate().toInstant());
      assertThat(actual.reason().map(RevocationReason::code))
          .isEqualTo(Optional.ofNullable(expected.getRevocationReason()).map(Enum::ordinal));
    }
    for (int i = 0; i < 2000; i++) {
      BigInteger absent = new BigInteger(1 + random.nextInt(159), random);
      assertThat(info.find(absent).isPresent())
          .isEqualTo(jdk.getRevokedCertificate(absent) != null);
    }
    assertThat(info.find(BigInteger.valueOf(-6))).isEmpty();
    assertThat(info.find(OTHER_NAME, revoked.get(0))).isEmpty();
    assertThat(info.entries()).isEqualTo(CrlInfo.of(jdk).entries());
  }

  @Test
  void find_indirectCrl_looksUpByCertificateIssuer() {
    CertifiedKey otherLeaf = CertificateBuilder.create().issuedBy(OTHER)
        .serialNumber(BigInteger.TWO).build();
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> {
      entry(crl, 1, NOW);
      entry(crl, 2, NOW, certificateIssuer(OTHER));
      entry(crl, 3, NOW);
      entry(crl, 1, NOW.minusSeconds(1));
      entry(crl, 4, NOW, certificateIssuer(ROOT));
    });
    X509CRL jdk = TestCrls.jdk(der);
    CrlInfo info = CrlInfo.parse(der, "root.crl");
    List<GeneralName> other = List.of(GeneralName.directoryName("CN=Other"));

    assertThat(info.find(BigInteger.ONE).orElseThrow())
        .isEqualTo(new RevokedEntry(BigInteger.ONE, NOW, Optional.empty(), Optional.empty(),
            List.of()));
    assertThat(info.find(OTHER_NAME, BigInteger.ONE).orElseThrow()).isEqualTo(new RevokedEntry(
        BigInteger.ONE, NOW.minusSeconds(1), Optional.empty(), Optional.empty(), other));
    assertThat(info.find(BigInteger.TWO)).isEmpty();
    assertThat(info.find(OTHER_NAME, BigInteger.TWO).orElseThrow().certificateIssuer())
        .isEqualTo(other);
    assertThat(info.find(OTHER_NAME, BigInteger.valueOf(3))).isPresent();
    assertThat(info.find(BigInteger.valueOf(4)).orElseThrow().certificateIssuer())
        .containsExactly(GeneralName.directoryName("CN=Root"));
    assertThat(info.find(OTHER_NAME, BigInteger.valueOf(4))).isEmpty();
    assertThat(jdk.getRevokedCertificate(otherLeaf.certificate())).isNotNull();
    assertThat(info.find(otherLeaf.certificate().getIssuerX500Principal(),
        otherLeaf.certificate().getSerialNumber())).isPresent();
    List<X500Principal> jdkIssuers = new ArrayList<>();
    for (X509CRLEntry entry : jdk.getRevokedCertificates()) {
      if (entry.getSerialNumber().equals(BigInteger.valueOf(3))) {
        jdkIssuers.add(entry.getCertificateIssuer());
      }
    }
    assertThat(jdkIssuers).containsExactly(OTHER_NAME);
    assertThat(info.unknownCriticalExtensions()).isEmpty();
  }

  @Test
  void find_matchesIssuerNamesByTheirCanonicalForm() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 2, NOW, certificateIssuer(OTHER)));

    CrlInfo info = CrlInfo.parse(der, "root.crl");

    assertThat(info.find(new X500Principal("cn=  OTHER "), BigInteger.TWO)).isPresent();
    assertThat(info.find(new X500Principal("CN=Root"), BigInteger.TWO)).isEmpty();
  }

  @Test
  void find_oneSerialUnderManyIssuers_findsEach() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> {
      for (int i = 0; i < 1000; i++) {
        entry(crl, 9, NOW.minusSeconds(i), certificateIssuer("CN=CA " + i));
      }
    });

    CrlInfo info = CrlInfo.parse(der, "root.crl");

    for (int i = 0; i < 1000; i++) {
      assertThat(info.find(new X500Principal("CN=CA " + i), BigInteger.valueOf(9)).orElseThrow()
          .revocationDate()).isEqualTo(NOW.minusSeconds(i));
    }
    assertThat(info.find(BigInteger.valueOf(9))).isEmpty();
  }

  @Test
  void find_serialListedTwice_returnsTheFirstEntry() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> {
      entry(crl, 5, NOW, extension("2.5.29.21", false, "0a0101"));
      entry(crl, 5, NOW, extension("2.5.29.21", false, "0a0104"));
    });

    CrlInfo info = CrlInfo.parse(der, "root.crl");

    assertThat(info.find(BigInteger.valueOf(5)).orElseThrow().reason())
        .contains(RevocationReason.KEY_COMPROMISE);
    assertThat(info.entries()).hasSize(2);
  }

  @Test
  void find_decodesEveryEntryExtension() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 5, NOW,
        extension("2.5.29.21", true, "0a0109"),
        extension("2.5.29.24", false, "180f32303236303232383030303030305a")));
    X509CRLEntry jdk = TestCrls.jdk(der).getRevokedCertificate(BigInteger.valueOf(5));

    RevokedEntry entry = CrlInfo.parse(der, "root.crl").find(BigInteger.valueOf(5)).orElseThrow();

    assertThat(entry.reason()).contains(RevocationReason.PRIVILEGE_WITHDRAWN);
    assertThat(entry.reason().orElseThrow().code())
        .isEqualTo(jdk.getRevocationReason().ordinal());
    assertThat(entry.invalidityDate()).contains(Instant.parse("2026-02-28T00:00:00Z"));
  }

  @Test
  void parse_unknownCriticalEntryExtension_isReported() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 5, NOW,
        extension("1.2.3.4", true, "0500")));

    assertThat(CrlInfo.parse(der, "root.crl").unknownCriticalExtensions())
        .containsExactly("1.2.3.4");
  }

  @Test
  void parse_unknownReasonCode_namesTheCrlTheEntryAndTheExtension() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 0x1f, NOW,
        extension("2.5.29.21", false, "0a0107")));

    assertThatThrownBy(() -> CrlInfo.parse(der, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage(CRL + ", entry for serial 1f, extension reasonCode (2.5.29.21): unknown"
            + " CRLReason code 7 (expected 0 to 10, except 7)");
  }

  @Test
  void parse_reasonCodeNotEnumerated_isRefused() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 5, NOW,
        extension("2.5.29.21", false, "020101")));

    assertThatThrownBy(() -> CrlInfo.parse(der, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage(CRL + ", entry for serial 5, extension reasonCode (2.5.29.21): expected a"
            + " CRLReason (an ENUMERATED), found Integer 020101");
  }

  @Test
  void parse_invalidityDateNotGeneralized_isRefused() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 5, NOW,
        extension("2.5.29.24", false, "170d3236303232383030303030305a")));

    assertThatThrownBy(() -> CrlInfo.parse(der, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage(CRL + ", entry for serial 5, extension invalidityDate (2.5.29.24): expected a"
            + " GeneralizedTime, found UTCTime 170d3236303232383030303030305a");
  }

  @Test
  void parse_entryExtensionTwice_isRefused() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 5, NOW,
        extension("2.5.29.21", false, "0a0101"), extension("2.5.29.21", false, "0a0101")));

    assertThatThrownBy(() -> CrlInfo.parse(der, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage(CRL + ", entry for serial 5, extension reasonCode (2.5.29.21): appears more"
            + " than once (RFC 5280 allows each extension at most once)");
  }

  @Test
  void parse_emptyCertificateIssuer_isRefused() {
    byte[] der = TestCrls.sign(ROOT, NOW, crl -> entry(crl, 5, NOW,
        extension("2.5.29.29", true, "3000")));

    assertThatThrownBy(() -> CrlInfo.parse(der, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage(CRL + ", entry for serial 5, extension certificateIssuer (2.5.29.29): empty"
            + " GeneralNames (expected at least one name)");
  }

  @Test
  void parse_refusesEmptyInput() {
    assertThatThrownBy(() -> CrlInfo.parse(new byte[0], "http://crl.example.org/root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("http://crl.example.org/root.crl: empty, expected a DER-encoded X.509 CRL");
  }

  @Test
  void parse_refusesPem() {
    byte[] pem = "-----BEGIN X509 CRL-----\n".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> CrlInfo.parse(pem, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("root.crl: not DER (first byte 0x2d, looks like PEM text), expected a"
            + " DER-encoded X.509 CRL");
  }

  @Test
  void parse_refusesTruncatedInput() {
    byte[] der = sample();
    byte[] truncated = Arrays.copyOf(der, der.length - 10);

    assertThatThrownBy(() -> CrlInfo.parse(truncated, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("root.crl: malformed DER at byte 0: a CertificateList (a SEQUENCE) claims "
            + (der.length - 4) + " bytes, but only " + (truncated.length - 4)
            + " remain in the enclosing value");
  }

  @Test
  void parse_refusesTrailingBytes() {
    byte[] der = sample();
    byte[] padded = Arrays.copyOf(der, der.length + 2);

    assertThatThrownBy(() -> CrlInfo.parse(padded, "root.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("root.crl: malformed DER at byte " + der.length
            + ": 2 unexpected bytes (tag 0x00) after the CertificateList");
  }

  @Test
  void parse_refusesAnIndefiniteLength() {
    byte[] der = raw(time("260301120000Z"));
    der[1] = (byte) 0x80;

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("raw.crl: malformed DER at byte 0: a CertificateList (a SEQUENCE) has an"
            + " indefinite length, which DER does not allow");
  }

  @Test
  void parse_refusesALengthThatIsNotMinimal() {
    byte[] entry = tlv(0x30, hex("020105"), time("260301120000Z"));
    byte[] padded = new byte[entry.length + 1];
    padded[0] = 0x30;
    padded[1] = (byte) 0x81;
    System.arraycopy(entry, 1, padded, 2, entry.length - 1);
    byte[] der = raw(time("260301120000Z"), tlv(0x30, padded));

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessageEndingWith(": a revoked certificate entry has a length (18) that is not"
            + " minimally encoded");
  }

  @Test
  void parse_acceptsAMinimalCrl() {
    CrlInfo info = CrlInfo.parse(raw(time("260301120000Z")), "raw.crl");

    assertThat(info.issuer()).isEqualTo(new X500Principal("CN=Raw"));
    assertThat(info.thisUpdate()).isEqualTo(NOW);
    assertThat(info.nextUpdate()).isEmpty();
    assertThat(info.entries()).isEmpty();
    assertThat(info.extensions()).isEmpty();
    assertThat(info.find(BigInteger.ONE)).isEmpty();
  }

  @Test
  void parse_readsGeneralizedTimesAndAnEmptyEntryList() {
    CrlInfo info = CrlInfo.parse(raw(time("20260301120000Z"), time("20600101000000Z"),
        tlv(0x30)), "raw.crl");

    assertThat(info.thisUpdate()).isEqualTo(NOW);
    assertThat(info.nextUpdate()).contains(Instant.parse("2060-01-01T00:00:00Z"));
    assertThat(info.entries()).isEmpty();
  }

  @Test
  void parse_refusesFractionalSeconds() {
    byte[] der = raw(time("20260301120000.5Z"));

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("raw.crl: malformed DER at byte 35: expected thisUpdate as GeneralizedTime"
            + " YYYYMMDDHHMMSSZ (RFC 5280), found '20260301120000.5Z'");
  }

  @Test
  void parse_refusesATimeWithoutSeconds() {
    byte[] der = raw(time("2603011200Z"));

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("raw.crl: malformed DER at byte 35: expected thisUpdate as UTCTime"
            + " YYMMDDHHMMSSZ (RFC 5280), found '2603011200Z'");
  }

  @Test
  void parse_refusesARevocationDateThatDoesNotExist() {
    byte[] der = raw(time("260301120000Z"),
        tlv(0x30, tlv(0x30, hex("020105"), time("260230120000Z"))));

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessageEndingWith(": expected the revocation date of a revoked certificate as UTCTime"
            + " YYMMDDHHMMSSZ (RFC 5280), found '260230120000Z'");
  }

  @Test
  void parse_refusesASerialWithRedundantOctets() {
    byte[] der = raw(time("260301120000Z"),
        tlv(0x30, tlv(0x30, hex("02020005"), time("260301120000Z"))));

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessageStartingWith("raw.crl, CRL of 'CN=Raw' at " + NOW + ": malformed DER at byte")
        .hasMessageEndingWith(": the serial number of a revoked certificate is an INTEGER with"
            + " redundant leading octets");
  }

  @Test
  void parse_refusesAnEntryWithAnExtraField() {
    byte[] der = raw(time("260301120000Z"),
        tlv(0x30, tlv(0x30, hex("020105"), time("260301120000Z"), hex("020101"))));

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessageEndingWith(": expected the extensions of a revoked certificate entry (tag 0x30),"
            + " found tag 0x02");
  }

  @Test
  void parse_refusesAnUnsupportedVersion() {
    byte[] der = raw(time("260301120000Z"));
    der[6] = 2;

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("raw.crl: unsupported CRL version field 2 (expected 1, meaning version 2, or"
            + " no field, meaning version 1)");
  }

  @Test
  void parse_refusesDifferentInnerAndOuterAlgorithms() {
    byte[] der = raw(time("260301120000Z"));
    der[der.length - 5] = 3;

    assertThatThrownBy(() -> CrlInfo.parse(der, "raw.crl"))
        .isInstanceOf(PkiException.class)
        .hasMessage("raw.crl: the signature algorithm inside the signed part"
            + " (1.2.840.10045.4.3.2) differs from the outer one (1.2.840.10045.4.3.3)");
  }

  @Test
  void verify_checksTheSignatureFromTheBytes() {
    CrlInfo info = CrlInfo.parse(sample(), "root.crl");

    assertThat(info.isSignedBy(ROOT.certificate())).isTrue();
    info.verify(ROOT.certificate());
    assertThat(info.isSignedBy(OTHER.certificate())).isFalse();
    assertThatThrownBy(() -> info.verify(OTHER.certificate()))
        .isInstanceOf(PkiException.class)
        .hasMessage(CRL + ": signature does not verify with the key of Certificate 'CN=Other'"
            + " serial " + OTHER.certificate().getSerialNumber().toString(16) + " (whose subject"
            + " is not the CRL issuer); expected the certificate of the key that signed the CRL")
        .hasCauseInstanceOf(SignatureException.class);
  }

  @Test
  void verify_refusesATamperedEntry() {
    byte[] der = sample();
    byte[] date = "260301115900Z".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(der, date);
    der[at + 11] = '1';

    CrlInfo info = CrlInfo.parse(der, "root.crl");

    assertThat(info.find(BigInteger.valueOf(7)).orElseThrow().revocationDate())
        .isEqualTo(NOW.minusSeconds(59));
    assertThat(info.isSignedBy(ROOT.certificate())).isFalse();
    assertThatThrownBy(() -> TestCrls.jdk(der).verify(ROOT.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void verify_rsaAndEd25519Signatures() {
    for (KeyType type : List.of(KeyType.RSA_2048, KeyType.ED25519)) {
      CertifiedKey ca = CertificateBuilder.create().commonName(type.name()).keyType(type)
          .role(CertificateRole.CA).build();
      CrlInfo info = CrlInfo.parse(encoded(CrlBuilder.create().issuedBy(ca)
          .revoke(BigInteger.TEN, NOW).build()), type + ".crl");

      info.verify(ca.certificate());
      assertThat(info.isSignedBy(ROOT.certificate())).isFalse();
    }
  }

  @Test
  void verify_aKeyOfAnotherAlgorithm_keepsTheCause() {
    CertifiedKey rsa = CertificateBuilder.create().commonName("Root").keyType(KeyType.RSA_2048)
        .role(CertificateRole.CA).build();
    CrlInfo info = CrlInfo.parse(sample(), "root.crl");

    assertThatThrownBy(() -> info.verify(rsa.certificate()))
        .isInstanceOf(PkiException.class)
        .hasMessageStartingWith(CRL + ": signature does not verify with the key of Certificate"
            + " 'CN=Root'")
        .hasCauseInstanceOf(InvalidKeyException.class);
  }

  @Test
  void crl_isReadByTheJdkOnDemand() {
    byte[] der = sample();
    CrlInfo info = CrlInfo.parse(der, "root.crl");

    assertThat(info.crl()).isEqualTo(TestCrls.jdk(der)).isSameAs(info.crl());
  }

  @Test
  void parse_copiesItsInput() {
    byte[] der = sample();
    CrlInfo info = CrlInfo.parse(der, "root.crl");
    Arrays.fill(der, (byte) 0);

    assertThat(info.find(BigInteger.valueOf(7))).isPresent();
    assertThat(info.isSignedBy(ROOT.certificate())).isTrue();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not found");
  }
}
