package dev.mtls.pki;

import static dev.mtls.pki.OcspVerifyTest.catchOcsp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link OcspResponseBuilder} and {@link OcspResponse#parse}: what is written is read back. */
class OcspResponseTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SOURCE = "resp.der";
  private static final CertifiedKey CA =
      CertificateBuilder.create().commonName("CA").role(CertificateRole.CA).build();
  private static final CertifiedKey RESPONDER = CertificateBuilder.create().commonName("Responder")
      .role(CertificateRole.OCSP_RESPONDER).issuedBy(CA).build();
  private static final CertifiedKey LEAF = CertificateBuilder.create().commonName("leaf")
      .serialNumber(BigInteger.valueOf(0x1234)).issuedBy(CA).build();
  private static final OcspCertificateId ID =
      OcspCertificateId.of(LEAF.certificate(), CA.certificate());

  private static OcspResponseBuilder builder() {
    return OcspResponseBuilder.create().clock(CLOCK).signedBy(CA);
  }

  @Test
  void build_defaults_conformingResponse() {
    OcspResponse response = OcspResponse.parse(builder().good(ID).build(), SOURCE);

    assertThat(response.status()).isEqualTo(OcspResponseStatus.SUCCESSFUL);
    assertThat(response.producedAt()).isEqualTo(NOW);
    assertThat(response.responderName()).isEmpty();
    assertThat(response.responderKeyHash()).isPresent();
    assertThat(response.certificates()).containsExactly(CA.certificate());
    assertThat(response.nonce()).isEmpty();
    assertThat(response.singleResponses()).containsExactly(new OcspSingleResponse(ID,
        OcspCertificateStatus.GOOD, Optional.empty(), Optional.empty(), NOW,
        Optional.of(NOW.plus(Duration.ofDays(1)))));
    assertThat(response).hasToString("OcspResponse[resp.der, successful (0), 1 single responses]");
  }

  @Test
  void build_everyStatusAndSetting_roundTrips() {
    Instant revoked = Instant.parse("2026-05-30T08:15:30Z");
    OcspCertificateId second = OcspCertificateId.of("1.3.14.3.2.26", ID.issuerNameHash(),
        ID.issuerKeyHash(), BigInteger.TWO);
    OcspCertificateId third = OcspCertificateId.of("1.3.14.3.2.26", ID.issuerNameHash(),
        ID.issuerKeyHash(), BigInteger.TEN);
    byte[] der = OcspResponseBuilder.create().signedBy(RESPONDER)
        .revoked(ID, revoked, RevocationReason.CERTIFICATE_HOLD)
        .unknown(second)
        .revoked(third, revoked)
        .thisUpdate(NOW.minusMillis(1500))
        .nextUpdate(NOW.plus(Duration.ofHours(4)))
        .producedAt(NOW)
        .nonce(new byte[] {9, 8, 7})
        .responderIdByName()
        .build();

    OcspResponse response = OcspResponse.parse(der, SOURCE);

    Instant thisUpdate = Instant.parse("2026-06-01T11:59:58Z");
    Optional<Instant> nextUpdate = Optional.of(NOW.plus(Duration.ofHours(4)));
    assertThat(response.singleResponses()).containsExactly(
        new OcspSingleResponse(ID, OcspCertificateStatus.REVOKED, Optional.of(revoked),
            Optional.of(RevocationReason.CERTIFICATE_HOLD), thisUpdate, nextUpdate),
        new OcspSingleResponse(second, OcspCertificateStatus.UNKNOWN, Optional.empty(),
            Optional.empty(), thisUpdate, nextUpdate),
        new OcspSingleResponse(third, OcspCertificateStatus.REVOKED, Optional.of(revoked),
            Optional.empty(), thisUpdate, nextUpdate));
    assertThat(response.nonce().orElseThrow()).containsExactly(9, 8, 7);
    assertThat(response.responderName()).contains(RESPONDER.certificate().getSubjectX500Principal());
    assertThat(response.responderKeyHash()).isEmpty();
    assertThat(response.certificates()).containsExactly(RESPONDER.certificate());
    assertThat(response.encoded()).isEqualTo(der);
  }

  @Test
  void build_omitNextUpdateAndCertificates_leavesThemOut() {
    OcspResponse response = OcspResponse.parse(
        builder().omitNextUpdate().omitCertificates().good(ID).build(), SOURCE);

    assertThat(response.singleResponses().get(0).nextUpdate()).isEmpty();
    assertThat(response.certificates()).isEmpty();
  }

  @Test
  void build_delegatedByIntermediate_includesChainWithoutRoot() {
    CertifiedKey intermediate = CertificateBuilder.create().commonName("Intermediate")
        .role(CertificateRole.CA).issuedBy(CA).build();
    CertifiedKey responder = CertificateBuilder.create().role(CertificateRole.OCSP_RESPONDER)
        .issuedBy(intermediate).build();

    OcspResponse response = OcspResponse.parse(
        OcspResponseBuilder.create().signedBy(responder).good(ID).build(), SOURCE);

    assertThat(response.certificates())
        .containsExactly(responder.certificate(), intermediate.certificate());
  }

  @Test
  void build_sameCertificateTwice_throwsIllegalState() {
    OcspResponseBuilder builder = builder().good(ID);

    assertThatThrownBy(() -> builder.revoked(ID, NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(ID + " was already given status GOOD");
  }

  @Test
  void build_settersTwiceOrConflicting_throwIllegalState() {
    assertThatThrownBy(() -> builder().signedBy(RESPONDER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("signedBy was already set to CertifiedKey[CN=CA, chain of 1]");
    assertThatThrownBy(() -> builder().nextUpdate(NOW).omitNextUpdate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("omitNextUpdate() conflicts with nextUpdate 2026-06-01T12:00:00Z");
    assertThatThrownBy(() -> builder().omitNextUpdate().nextUpdate(NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("nextUpdate 2026-06-01T12:00:00Z conflicts with omitNextUpdate()");
    assertThatThrownBy(() -> builder().nonce(new byte[] {1, 2}).nonce(new byte[] {3}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("nonce was already set to 0102");
  }

  @Test
  void build_incomplete_throwsIllegalState() {
    assertThatThrownBy(() -> OcspResponseBuilder.create().good(ID).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A response needs a signer: call signedBy(..)");
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A response needs at least one certificate status: call good(..), revoked(..)"
            + " or unknown(..)");
    assertThatThrownBy(() -> builder().nextUpdate(NOW.minusSeconds(1)).good(ID).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("nextUpdate 2026-06-01T11:59:59Z is before thisUpdate 2026-06-01T12:00:00Z");
  }

  @ParameterizedTest
  @EnumSource(value = OcspResponseStatus.class, names = "SUCCESSFUL", mode = EnumSource.Mode.EXCLUDE)
  void error_everyErrorStatus_roundTrips(OcspResponseStatus status) {
    byte[] der = OcspResponseBuilder.error(status);

    OcspResponse response = OcspResponse.parse(der, SOURCE);

    assertThat(der).containsExactly(0x30, 0x03, 0x0a, 0x01, status.code());
    assertThat(response.status()).isEqualTo(status);
    assertThat(OcspResponseStatus.ofCode(status.code())).isEqualTo(status);
    assertThatThrownBy(response::singleResponses)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(SOURCE + ": the response status is " + status + "; only a successful response"
            + " has content");
  }

  @Test
  void error_successful_throwsIllegalArgument() {
    assertThatThrownBy(() -> OcspResponseBuilder.error(OcspResponseStatus.SUCCESSFUL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status successful (0) needs signed content: use create() instead of error(..)");
  }

  @Test
  void parse_undefinedStatus_malformed() {
    OcspException e = catchOcsp(() -> OcspResponse.parse(new byte[] {0x30, 0x03, 0x0a, 0x01, 4}, SOURCE));

    assertThat(e.problem()).isEqualTo(OcspProblem.MALFORMED);
    assertThat(e).hasMessage(SOURCE + ": responseStatus 4 is not defined; expected 0 to 3, 5 or 6");
  }

  @Test
  void parse_htmlErrorPage_malformed() {
    OcspException e = catchOcsp(() -> OcspResponse.parse(
        "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.US_ASCII), SOURCE));

    assertThat(e).hasMessage(SOURCE + ": not DER (first byte 0x3c, looks like text), expected a"
        + " DER-encoded OCSP response");
  }

  @Test
  void parse_request_malformed() {
    byte[] der = OcspRequest.create(LEAF.certificate(), CA.certificate(), false).encoded();

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": not an OCSP response (found " + der.length + " bytes of DER"
        + " (an unrecognised structure)); expected SEQUENCE { responseStatus ENUMERATED,"
        + " responseBytes [0] OPTIONAL }");
  }

  @Test
  void parse_errorStatusWithResponseBytes_malformed() throws Exception {
    byte[] der = new OCSPResponse(new OCSPResponseStatus(3), new ResponseBytes(
        new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1.1"), new DEROctetString(new byte[] {0x30, 0})))
        .getEncoded(ASN1Encoding.DER);

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": error status tryLater (3) with responseBytes; RFC 6960"
        + " sends an error status alone");
  }

  @Test
  void parse_unsupportedResponseType_malformed() throws Exception {
    byte[] der = new OCSPResponse(new OCSPResponseStatus(0), new ResponseBytes(
        new ASN1ObjectIdentifier("1.2.3.4"), new DEROctetString(new byte[] {0x30, 0})))
        .getEncoded(ASN1Encoding.DER);

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": response type 1.2.3.4 is not supported; expected"
        + " id-pkix-ocsp-basic (1.3.6.1.5.5.7.48.1.1)");
  }

  @Test
  void parse_trailingGarbageInBasicResponse_malformed() throws Exception {
    byte[] basic = basicOf(builder().good(ID).build());
    byte[] longer = Arrays.copyOf(basic, basic.length + 1);
    byte[] der = new OCSPResponse(new OCSPResponseStatus(0), new ResponseBytes(
        new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1.1"), new DEROctetString(longer)))
        .getEncoded(ASN1Encoding.DER);

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": 1 bytes after the end of the first DER element, expected a"
        + " DER-encoded BasicOCSPResponse alone");
  }

  @Test
  void parse_extraFieldInBasicResponse_malformed() throws Exception {
    OcspException e = catchOcsp(() -> OcspResponse.parse(withBasic(fields -> fields.add(
        new ASN1Integer(7))), SOURCE));

    assertThat(e).hasMessage(SOURCE + ": malformed BasicOCSPResponse (Bad sequence size: 5); expected"
        + " the structure of RFC 6960 section 4.2.1");
  }

  @Test
  void parse_goodStatusWithContent_malformed() throws Exception {
    byte[] der = withBasic(fields -> {
      ResponseData data = ResponseData.getInstance(fields.get(0));
      SingleResponse single = SingleResponse.getInstance(data.getResponses().getObjectAt(0));
      SingleResponse odd = new SingleResponse(single.getCertID(),
          new CertStatus(0, new DEROctetString(new byte[] {1})), single.getThisUpdate(),
          single.getNextUpdate(), (Extensions) null);
      fields.set(0, new ResponseData(data.getResponderID(), data.getProducedAt(),
          new DERSequence(odd), data.getResponseExtensions()));
    });

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": malformed BasicOCSPResponse (malformed NULL encoding"
        + " encountered); expected the structure of RFC 6960 section 4.2.1");
  }

  @Test
  void parse_timeWithUtcOffset_malformed() throws Exception {
    byte[] der = withBasic(fields -> {
      ResponseData data = ResponseData.getInstance(fields.get(0));
      fields.set(0, new ResponseData(data.getResponderID(),
          new ASN1GeneralizedTime("20260601140000+0200"), data.getResponses(),
          data.getResponseExtensions()));
    });

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": producedAt '20260601140000+0200' is not a DER"
        + " GeneralizedTime; expected YYYYMMDDHHMMSS[.fff]Z in UTC");
  }

  @Test
  void parse_revocationReasonSeven_malformed() throws Exception {
    byte[] der = withBasic(fields -> {
      ResponseData data = ResponseData.getInstance(fields.get(0));
      SingleResponse single = SingleResponse.getInstance(data.getResponses().getObjectAt(0));
      SingleResponse revoked = new SingleResponse(single.getCertID(),
          new CertStatus(new RevokedInfo(single.getThisUpdate(), CRLReason.lookup(7))),
          single.getThisUpdate(), single.getNextUpdate(), (Extensions) null);
      fields.set(0, new ResponseData(data.getResponderID(), data.getProducedAt(),
          new DERSequence(revoked), data.getResponseExtensions()));
    });

    OcspException e = catchOcsp(() -> OcspResponse.parse(der, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": single response for serial 1234: revocationReason 7 is not"
        + " a CRLReason; expected 0 to 10, except 7");
  }

  /** A response whose BasicOCSPResponse fields are edited, without caring for the signature. */
  private static byte[] withBasic(Consumer<List<ASN1Encodable>> edit) throws Exception {
    List<ASN1Encodable> fields = new ArrayList<>();
    ASN1Sequence.getInstance(basicOf(builder().good(ID).build())).forEach(fields::add);
    edit.accept(fields);
    return new OCSPResponse(new OCSPResponseStatus(0), new ResponseBytes(
        new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1.1"),
        new DEROctetString(new DERSequence(fields.toArray(new ASN1Encodable[0]))
            .getEncoded(ASN1Encoding.DER))))
        .getEncoded(ASN1Encoding.DER);
  }

  @Test
  void parse_everyTruncation_malformedNeverAnotherException() {
    byte[] der = builder().revoked(ID, NOW, RevocationReason.SUPERSEDED).nonce(new byte[] {1}).build();

    for (int length = 0; length < der.length; length++) {
      byte[] cut = Arrays.copyOf(der, length);
      assertThat(catchOcsp(() -> OcspResponse.parse(cut, SOURCE)).problem())
          .isEqualTo(OcspProblem.MALFORMED);
    }
  }

  @Test
  void parse_everySingleByteFlip_malformedOrParsesNeverAnotherException() {
    byte[] der = builder().revoked(ID, NOW, RevocationReason.SUPERSEDED).nonce(new byte[] {1}).build();
    int parsed = 0;

    for (int i = 0; i < der.length; i++) {
      byte[] flipped = der.clone();
      flipped[i] ^= 0x01;
      try {
        OcspResponse.parse(flipped, SOURCE);
        parsed++;
      } catch (OcspException e) {
        assertThat(e.problem()).isEqualTo(OcspProblem.MALFORMED);
      }
    }
    assertThat(parsed).isGreaterThan(0);
  }

  @Test
  void parse_berIndefiniteLength_malformed() {
    byte[] ber = {0x30, (byte) 0x80, 0x0a, 0x01, 0x03, 0x00, 0x00};

    OcspException e = catchOcsp(() -> OcspResponse.parse(ber, SOURCE));

    assertThat(e).hasMessage(SOURCE + ": not DER (BER, or a non-canonical encoding), expected a"
        + " DER-encoded OCSP response");
  }

  @Test
  void build_fractionalSeconds_writesWholeSecondsAsOpenSslDoes() {
    byte[] der = OcspResponseBuilder.create().signedBy(CA).thisUpdate(NOW.plusMillis(999))
        .producedAt(NOW.plusMillis(1)).good(ID).build();

    OcspResponse response = OcspResponse.parse(der, SOURCE);

    assertThat(response.producedAt()).isEqualTo(NOW);
    assertThat(response.singleResponses().get(0).thisUpdate()).isEqualTo(NOW);
    assertThat(HexFormat.of().formatHex(der)).contains(
        HexFormat.of().formatHex("20260601120000Z".getBytes(StandardCharsets.US_ASCII)));
  }

  static byte[] basicOf(byte[] response) throws Exception {
    return ResponseBytes.getInstance(OCSPResponse.getInstance(response).getResponseBytes())
        .getResponse().getOctets();
  }
}
