package dev.mtls.pki;

import static dev.mtls.pki.OcspVerifyTest.catchOcsp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.junit.jupiter.api.Test;

/** {@link OcspRequest} and {@link OcspCertificateId}: encoding, the GET form, strict parsing. */
class OcspRequestTest {
  private static final String SOURCE = "client 127.0.0.1";
  private static final CertifiedKey CA =
      CertificateBuilder.create().commonName("CA").role(CertificateRole.CA).build();
  private static final CertifiedKey OTHER_CA =
      CertificateBuilder.create().commonName("Other CA").role(CertificateRole.CA).build();
  private static final CertifiedKey LEAF = CertificateBuilder.create().commonName("leaf")
      .serialNumber(BigInteger.valueOf(0x1234)).issuedBy(CA).build();

  @Test
  void create_withNonce_roundTripsThroughParse() {
    OcspRequest request = OcspRequest.create(LEAF.certificate(), CA.certificate(), true);

    OcspRequest parsed = OcspRequest.parse(request.encoded(), SOURCE);

    assertThat(parsed.certificateIds()).containsExactly(
        OcspCertificateId.of(LEAF.certificate(), CA.certificate()));
    assertThat(request.nonce().orElseThrow()).hasSize(32);
    assertThat(parsed.nonce().orElseThrow()).isEqualTo(request.nonce().orElseThrow());
    assertThat(parsed.encoded()).isEqualTo(request.encoded());
  }

  @Test
  void create_twice_usesFreshNonces() {
    byte[] first = OcspRequest.create(LEAF.certificate(), CA.certificate(), true).nonce().orElseThrow();
    byte[] second = OcspRequest.create(LEAF.certificate(), CA.certificate(), true).nonce().orElseThrow();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void create_withoutNonce_hasNoNonce() {
    OcspRequest request = OcspRequest.create(LEAF.certificate(), CA.certificate(), false);

    assertThat(request.nonce()).isEmpty();
    assertThat(OcspRequest.parse(request.encoded(), SOURCE).nonce()).isEmpty();
  }

  @Test
  void create_issuerThatDidNotIssueTheCertificate_throwsIllegalArgument() {
    assertThatThrownBy(() -> OcspRequest.create(LEAF.certificate(), OTHER_CA.certificate(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Certificate 'CN=leaf' serial 1234 was issued by 'CN=CA', not by the issuer"
            + " given, " + CertificateInfo.describe(OTHER_CA.certificate()));
  }

  @Test
  void getUrl_appendsUrlEncodedBase64AfterOneSlash() {
    OcspRequest request = withPlusAndSlashInBase64();
    String base64 = Base64.getEncoder().encodeToString(request.encoded());

    String url = request.getUrl("http://ocsp.example.com/ca");

    assertThat(url).startsWith("http://ocsp.example.com/ca/").doesNotContain("+", "=");
    String segment = url.substring("http://ocsp.example.com/ca/".length());
    assertThat(segment).doesNotContain("/");
    assertThat(URLDecoder.decode(segment, StandardCharsets.US_ASCII)).isEqualTo(base64);
    assertThat(request.getUrl("http://ocsp.example.com/")).isEqualTo("http://ocsp.example.com/" + segment);
    assertThat(request.encoded().length).isLessThan(255);
  }

  @Test
  void parseGetPath_encodedOrBare_readsTheRequest() {
    OcspRequest request = withPlusAndSlashInBase64();
    String encoded = request.getUrl("http://x").substring("http://x/".length());
    String base64 = Base64.getEncoder().encodeToString(request.encoded());
    String lowerCaseEscapes = encoded.replace("%2B", "%2b").replace("%2F", "%2f").replace("%3D", "%3d");

    for (String segment : new String[] {encoded, lowerCaseEscapes, base64}) {
      OcspRequest parsed = OcspRequest.parseGetPath(segment, SOURCE);
      assertThat(parsed.encoded()).isEqualTo(request.encoded());
      assertThat(parsed.nonce().orElseThrow()).isEqualTo(request.nonce().orElseThrow());
    }
  }

  /** A request whose base64 has the characters that URL encoding changes: '+' and '/'. */
  private static OcspRequest withPlusAndSlashInBase64() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      OcspRequest request = OcspRequest.create(LEAF.certificate(), CA.certificate(), true);
      String base64 = Base64.getEncoder().encodeToString(request.encoded());
      if (base64.contains("+") && base64.contains("/")) {
        return request;
      }
    }
    throw new AssertionError("no random nonce gave '+' and '/' in 1000 attempts");
  }

  @Test
  void parseGetPath_notBase64_malformed() {
    OcspException e = catchOcsp(() -> OcspRequest.parseGetPath("MEk*", SOURCE));

    assertThat(e.problem()).isEqualTo(OcspProblem.MALFORMED);
    assertThat(e).hasMessage(SOURCE + ": GET path 'MEk*' is not base64 (Illegal base64 character"
        + " 2a); expected the URL-encoded base64 of a DER-encoded OCSP request");
  }

  @Test
  void parseGetPath_brokenPercentEscape_malformed() {
    OcspException e = catchOcsp(() -> OcspRequest.parseGetPath("MEk%2", SOURCE));

    assertThat(e).hasMessage(SOURCE + ": GET path 'MEk%2' has a broken percent escape at index 3;"
        + " expected %XX with two hex digits");
  }

  @Test
  void parse_empty_malformed() {
    OcspException e = catchOcsp(() -> OcspRequest.parse(new byte[0], SOURCE));

    assertThat(e.problem()).isEqualTo(OcspProblem.MALFORMED);
    assertThat(e).hasMessage(SOURCE + ": empty, expected a DER-encoded OCSP request");
  }

  @Test
  void parse_text_malformed() {
    OcspException e = catchOcsp(() -> OcspRequest.parse(
        "GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII), SOURCE));

    assertThat(e).hasMessage(SOURCE + ": not DER (first byte 0x47, looks like text), expected a"
        + " DER-encoded OCSP request");
  }

  @Test
  void parse_trailingBytes_malformed() {
    byte[] der = OcspRequest.create(LEAF.certificate(), CA.certificate(), false).encoded();
    byte[] longer = Arrays.copyOf(der, der.length + 2);

    OcspException e = catchOcsp(() -> OcspRequest.parse(longer, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": 2 bytes after the end of the first DER element, expected"
        + " a DER-encoded OCSP request alone");
  }

  @Test
  void parse_truncated_malformed() {
    byte[] der = OcspRequest.create(LEAF.certificate(), CA.certificate(), false).encoded();

    OcspException e = catchOcsp(() -> OcspRequest.parse(
        Arrays.copyOf(der, der.length - 1), SOURCE));

    assertThat(e).hasMessage(SOURCE + ": not valid DER (" + (der.length - 1) + " bytes, truncated"
        + " or corrupt), expected a DER-encoded OCSP request");
  }

  @Test
  void parse_certificate_malformedNamingWhatWasFound() throws Exception {
    byte[] der = LEAF.certificate().getEncoded();

    OcspException e = catchOcsp(() -> OcspRequest.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": malformed OCSP request (" + der.length + " bytes of DER (an"
        + " X.509 certificate)), expected a DER-encoded OCSP request");
  }

  @Test
  void parse_noCertificates_malformed() throws Exception {
    byte[] der = new OCSPRequest(new TBSRequest(null, new DERSequence(), (Extensions) null), null)
        .getEncoded(ASN1Encoding.DER);

    OcspException e = catchOcsp(() -> OcspRequest.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": the OCSP request lists no certificate; expected at least one");
  }

  @Test
  void parse_unknownCriticalExtension_malformed() throws Exception {
    OcspCertificateId id = OcspCertificateId.of(LEAF.certificate(), CA.certificate());
    Extension critical = new Extension(new ASN1ObjectIdentifier("1.2.3.4"), true,
        DERNull.INSTANCE.getEncoded());
    byte[] der = new OCSPRequest(new TBSRequest(null, new DERSequence(new Request(id.toAsn1(), null)),
        new Extensions(critical)), null).getEncoded(ASN1Encoding.DER);

    OcspException e = catchOcsp(() -> OcspRequest.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": critical extension 1.2.3.4 is not understood; a message with"
        + " a critical extension its reader does not process must be refused");
  }

  @Test
  void parse_everyTruncationAndByteFlip_malformedOrParsesNeverAnotherException() {
    byte[] der = OcspRequest.create(LEAF.certificate(), CA.certificate(), true).encoded();

    for (int i = 0; i < der.length; i++) {
      byte[] cut = Arrays.copyOf(der, i);
      assertThat(catchOcsp(() -> OcspRequest.parse(cut, SOURCE)).problem())
          .isEqualTo(OcspProblem.MALFORMED);
      byte[] flipped = der.clone();
      flipped[i] ^= (byte) 0x81;
      try {
        OcspRequest.parse(flipped, SOURCE);
      } catch (OcspException e) {
        assertThat(e.problem()).isEqualTo(OcspProblem.MALFORMED);
      }
    }
  }

  @Test
  void certificateId_sha1_hashesIssuerNameAndKey() throws Exception {
    OcspCertificateId id = OcspCertificateId.of(LEAF.certificate(), CA.certificate());
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");

    assertThat(id.hashAlgorithmOid()).isEqualTo("1.3.14.3.2.26");
    assertThat(id.serialNumber()).isEqualTo(BigInteger.valueOf(0x1234));
    assertThat(id.issuerNameHash())
        .isEqualTo(sha1.digest(CA.certificate().getSubjectX500Principal().getEncoded()));
    assertThat(id.issuerKeyHash()).hasSize(20);
    assertThat(id.matches(LEAF.certificate(), CA.certificate())).isTrue();
    assertThat(id.toString()).startsWith("serial 1234 (SHA-1, issuer name hash ");
  }

  @Test
  void certificateId_sha256_matchesWithItsOwnHash() {
    OcspCertificateId id = OcspCertificateId.sha256(LEAF.certificate(), CA.certificate());

    assertThat(id.hashAlgorithmOid()).isEqualTo("2.16.840.1.101.3.4.2.1");
    assertThat(id.issuerKeyHash()).hasSize(32);
    assertThat(id.matches(LEAF.certificate(), CA.certificate())).isTrue();
    assertThat(id).isNotEqualTo(OcspCertificateId.of(LEAF.certificate(), CA.certificate()));
  }

  @Test
  void certificateId_otherSerialIssuerOrHash_doesNotMatch() {
    OcspCertificateId id = OcspCertificateId.of(LEAF.certificate(), CA.certificate());
    CertifiedKey sibling = CertificateBuilder.create().issuedBy(CA).build();
    OcspCertificateId unknownHash = OcspCertificateId.of("1.2.3.4", id.issuerNameHash(),
        id.issuerKeyHash(), id.serialNumber());

    assertThat(id.matches(sibling.certificate(), CA.certificate())).isFalse();
    assertThat(id.matches(LEAF.certificate(), OTHER_CA.certificate())).isFalse();
    assertThat(unknownHash.matches(LEAF.certificate(), CA.certificate())).isFalse();
  }

  @Test
  void certificateId_ofParts_copiesAndComparesByContent() {
    OcspCertificateId id = OcspCertificateId.of(LEAF.certificate(), CA.certificate());
    byte[] nameHash = id.issuerNameHash();
    OcspCertificateId copy = OcspCertificateId.of(
        id.hashAlgorithmOid(), nameHash, id.issuerKeyHash(), id.serialNumber());
    nameHash[0]++;

    assertThat(copy).isEqualTo(id).hasSameHashCodeAs(id);
    assertThat(copy.issuerNameHash()).isNotEqualTo(nameHash);
    assertThatThrownBy(() -> OcspCertificateId.of("sha1", nameHash, nameHash, BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an object identifier: sha1");
  }
}
