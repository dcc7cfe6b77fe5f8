package dev.mtls.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Reads an OCSP response strictly for {@link OcspResponse#parse}: DER only, RFC 6960 fields only,
 * defined status codes and reasons, DER GeneralizedTime, no critical extension but the nonce.
 */
final class OcspResponseParser {
  private static final String EXPECTED = "a DER-encoded OCSP response";
  private static final Set<String> UNDERSTOOD =
      Set.of(OCSPObjectIdentifiers.id_pkix_ocsp_nonce.getId());

  private OcspResponseParser() {}

  /** Parses a response; {@code der} is kept, so it must be the caller's own copy. */
  static OcspResponse parse(byte[] der, String source) {
    ASN1Sequence outer = (ASN1Sequence) OcspDer.read(der, source, EXPECTED);
    if (outer.size() < 1 || outer.size() > 2 || !(outer.getObjectAt(0) instanceof ASN1Enumerated code)) {
      throw OcspDer.malformed(source + ": not an OCSP response (found " + DerShapes.describe(der)
          + "); expected SEQUENCE { responseStatus ENUMERATED, responseBytes [0] OPTIONAL }");
    }
    OcspResponseStatus status;
    try {
      status = OcspResponseStatus.ofCode(code.intValueExact());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": responseStatus " + code.getValue()
          + " is not defined; expected 0 to 3, 5 or 6", e);
    }
    if (status != OcspResponseStatus.SUCCESSFUL) {
      if (outer.size() == 2) {
        throw OcspDer.malformed(source + ": error status " + status + " with responseBytes;"
            + " RFC 6960 sends an error status alone");
      }
      return new OcspResponse(source, der, status, null);
    }
    if (outer.size() != 2 || !(outer.getObjectAt(1) instanceof ASN1TaggedObject tagged)
        || !tagged.hasTag(BERTags.CONTEXT_SPECIFIC, 0)) {
      throw OcspDer.malformed(source + ": status " + status + " without responseBytes [0];"
          + " expected the signed response");
    }
    ResponseBytes bytes;
    try {
      bytes = ResponseBytes.getInstance(tagged, true);
    } catch (RuntimeException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": malformed responseBytes; expected"
          + " SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }", e);
    }
    if (!bytes.getResponseType().equals(OCSPObjectIdentifiers.id_pkix_ocsp_basic)) {
      throw OcspDer.malformed(source + ": response type " + bytes.getResponseType().getId()
          + " is not supported; expected id-pkix-ocsp-basic ("
          + OCSPObjectIdentifiers.id_pkix_ocsp_basic.getId() + ")");
    }
    return new OcspResponse(source, der, status, basic(bytes.getResponse().getOctets(), source));
  }

  private static OcspResponse.Basic basic(byte[] der, String source) {
    ASN1Primitive value = OcspDer.read(der, source, "a DER-encoded BasicOCSPResponse");
    BasicOCSPResponse basic;
    ResponseData data;
    List<SingleResponse> singles = new ArrayList<>();
    try {
      basic = BasicOCSPResponse.getInstance(value);
      data = basic.getTbsResponseData();
      for (ASN1Encodable element : data.getResponses()) {
        singles.add(SingleResponse.getInstance(element));
      }
    } catch (RuntimeException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": malformed BasicOCSPResponse ("
          + e.getMessage() + "); expected the structure of RFC 6960 section 4.2.1", e);
    }
    OcspDer.requireSameEncoding(basic, der, source, "a BasicOCSPResponse");
    if (!data.getVersion().hasValue(0)) {
      throw OcspDer.malformed(source + ": response version " + data.getVersion().getValue()
          + " is not supported; expected v1 (0)");
    }
    if (basic.getSignature().getPadBits() != 0) {
      throw OcspDer.malformed(source + ": the signature BIT STRING has "
          + basic.getSignature().getPadBits() + " unused bits; expected whole octets");
    }
    Map<String, Extension> extensions = OcspDer.extensions(data.getResponseExtensions(), source);
    OcspDer.requireNoUnknownCritical(extensions, UNDERSTOOD, source);
    List<OcspSingleResponse> parsed = new ArrayList<>();
    for (SingleResponse single : singles) {
      parsed.add(single(single, source));
    }
    try {
      ResponderID responder = data.getResponderID();
      byte[] keyHash = responder.getKeyHash();
      if (keyHash != null && keyHash.length != 20) {
        throw OcspDer.malformed(source + ": responder key hash of " + keyHash.length
            + " bytes; expected a SHA-1 hash of 20 bytes");
      }
      return new OcspResponse.Basic(
          Optional.ofNullable(responder.getName()).map(OcspResponseParser::principal),
          Optional.ofNullable(keyHash),
          OcspDer.time(data.getProducedAt(), source, "producedAt"),
          List.copyOf(parsed),
          OcspDer.nonce(extensions),
          certificates(basic.getCerts(), source),
          basic.getSignatureAlgorithm(),
          basic.getSignature().getOctets(),
          data.getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": cannot re-encode responseData", e);
    }
  }

  private static X500Principal principal(X500Name name) {
    try {
      return new X500Principal(name.getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode the responder name " + name, e);
    }
  }

  private static OcspSingleResponse single(SingleResponse single, String source) {
    OcspCertificateId id = OcspCertificateId.fromAsn1(single.getCertID());
    String where = source + ": single response for serial " + id.serialNumber().toString(16);
    CertStatus certStatus = single.getCertStatus();
    OcspCertificateStatus status = switch (certStatus.getTagNo()) {
      case 0 -> OcspCertificateStatus.GOOD;
      case 1 -> OcspCertificateStatus.REVOKED;
      default -> OcspCertificateStatus.UNKNOWN;
    };
    Optional<Instant> revocationTime = Optional.empty();
    Optional<RevocationReason> reason = Optional.empty();
    if (status == OcspCertificateStatus.REVOKED) {
      RevokedInfo info = RevokedInfo.getInstance(certStatus.getStatus());
      revocationTime = Optional.of(OcspDer.time(info.getRevocationTime(), where, "revocationTime"));
      if (info.getRevocationReason() != null) {
        int code = info.getRevocationReason().getValue().intValue();
        try {
          reason = Optional.of(RevocationReason.ofCode(code));
        } catch (IllegalArgumentException e) {
          throw new OcspException(OcspProblem.MALFORMED, where + ": revocationReason "
              + info.getRevocationReason().getValue() + " is not a CRLReason; expected 0 to 10,"
              + " except 7", e);
        }
      }
    }
    Instant thisUpdate = OcspDer.time(single.getThisUpdate(), where, "thisUpdate");
    Optional<Instant> nextUpdate = Optional.ofNullable(single.getNextUpdate())
        .map(time -> OcspDer.time(time, where, "nextUpdate"));
    if (nextUpdate.isPresent() && nextUpdate.get().isBefore(thisUpdate)) {
      throw OcspDer.malformed(where + ": nextUpdate " + nextUpdate.get() + " is before thisUpdate "
          + thisUpdate);
    }
    OcspDer.requireNoUnknownCritical(
        OcspDer.extensions(single.getSingleExtensions(), where), Set.of(), where);
    return new OcspSingleResponse(id, status, revocationTime, reason, thisUpdate, nextUpdate);
  }

  private static List<X509Certificate> certificates(ASN1Sequence certs, String source) {
    if (certs == null) {
      return List.of();
    }
    List<X509Certificate> out = new ArrayList<>();
    for (ASN1Encodable element : certs) {
      try {
        out.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
            new ByteArrayInputStream(element.toASN1Primitive().getEncoded(ASN1Encoding.DER))));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw new OcspException(OcspProblem.MALFORMED, source + ": certificate " + (out.size() + 1)
            + " of the response is not a valid X.509 certificate", e);
      }
    }
    return List.copyOf(out);
  }
}
