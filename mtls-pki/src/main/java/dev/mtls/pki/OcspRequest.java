package dev.mtls.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * An OCSP request (RFC 6960 section 4.1): "is this certificate revoked?", sent by a relying
 * party to the responder named in the certificate's authority information access extension.
 *
 * <p>A client makes one with {@link #create(X509Certificate, X509Certificate, boolean)} and sends
 * it either as the body of an HTTP POST ({@code Content-Type: application/ocsp-request}) or,
 * when it is small enough to be cached by HTTP intermediaries, as an HTTP GET to
 * {@link #getUrl(String)}. A responder reads one with {@link #parse(byte[], String)} or
 * {@link #parseGetPath(String, String)} and answers with an {@link OcspResponseBuilder}.
 *
 * <p>Requests are not signed: no public responder asks for it. Parsing accepts a signed request
 * but does not check the signature. Instances are immutable.
 */
public final class OcspRequest {
  /** The request extensions this class processes: the nonce. */
  private static final Set<String> UNDERSTOOD = Set.of(OCSPObjectIdentifiers.id_pkix_ocsp_nonce.getId());
  private static final int NONCE_BYTES = 32;
  private static final String EXPECTED = "a DER-encoded OCSP request";

  private final List<OcspCertificateId> certificateIds;
  private final byte[] nonce;
  private final byte[] encoded;

  private OcspRequest(List<OcspCertificateId> certificateIds, byte[] nonce, byte[] encoded) {
    this.certificateIds = List.copyOf(certificateIds);
    this.nonce = nonce;
    this.encoded = encoded;
  }

  /**
   * Makes a request for one certificate, identified by SHA-1 hashes as RFC 5019 requires.
   *
   * <p>A nonce (32 random bytes in the non-critical id-pkix-ocsp-nonce extension, RFC 8954)
   * binds the response to this request, so an attacker cannot replay an old "good" response.
   * Many large responders serve pre-signed responses and ignore nonces, and a request with a
   * nonce defeats HTTP caching of GET requests; {@link OcspResponse#verify} reports whether the
   * nonce came back.
   *
   * @param certificate the certificate to ask about
   * @param issuer the certificate of the CA that issued it
   * @param nonce whether to include a nonce
   * @return the request
   * @throws IllegalArgumentException if the certificate's issuer name is not the issuer's subject
   */
  public static OcspRequest create(X509Certificate certificate, X509Certificate issuer, boolean nonce) {
    OcspCertificateId id = OcspCertificateId.of(certificate, issuer);
    byte[] value = null;
    Extensions extensions = null;
    if (nonce) {
      value = new byte[NONCE_BYTES];
      new SecureRandom().nextBytes(value);
      extensions = new Extensions(OcspDer.nonceExtension(value));
    }
    TBSRequest tbs = new TBSRequest(
        null, new DERSequence(new Request(id.toAsn1(), null)), extensions);
    try {
      byte[] der = new OCSPRequest(tbs, null).getEncoded(ASN1Encoding.DER);
      return new OcspRequest(List.of(id), value, der);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode an OCSP request for " + id, e);
    }
  }

  /**
   * Reads a DER-encoded request, as a responder receives it in the body of an HTTP POST.
   *
   * @param der the request
   * @param source where the bytes came from (a client address, a path), for messages
   * @return the request
   * @throws OcspException with {@link OcspProblem#MALFORMED}, naming the source, if the bytes are
   *     not a DER-encoded OCSP request, list no certificate, or carry a critical extension other
   *     than the nonce
   */
  public static OcspRequest parse(byte[] der, String source) {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(source, "source");
    byte[] copy = der.clone();
    ASN1Primitive value = OcspDer.read(copy, source, EXPECTED);
    OCSPRequest request;
    TBSRequest tbs;
    List<Request> singles = new ArrayList<>();
    try {
      request = OCSPRequest.getInstance(value);
      tbs = request.getTbsRequest();
      for (ASN1Encodable element : tbs.getRequestList()) {
        singles.add(Request.getInstance(element));
      }
    } catch (RuntimeException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": malformed OCSP request ("
          + DerShapes.describe(copy) + "), expected " + EXPECTED, e);
    }
    OcspDer.requireSameEncoding(request, copy, source, "an OCSP request");
    if (!tbs.getVersion().hasValue(0)) {
      throw OcspDer.malformed(source + ": OCSP request version " + tbs.getVersion().getValue()
          + " is not supported; expected v1 (0)");
    }
    if (singles.isEmpty()) {
      throw OcspDer.malformed(source + ": the OCSP request lists no certificate; expected at least one");
    }
    List<OcspCertificateId> ids = new ArrayList<>();
    for (Request single : singles) {
      OcspCertificateId id = OcspCertificateId.fromAsn1(single.getReqCert());
      String where = source + ", request for serial " + id.serialNumber().toString(16);
      OcspDer.requireNoUnknownCritical(
          OcspDer.extensions(single.getSingleRequestExtensions(), where), Set.of(), where);
      ids.add(id);
    }
    Map<String, Extension> extensions = OcspDer.extensions(tbs.getRequestExtensions(), source);
    OcspDer.requireNoUnknownCritical(extensions, UNDERSTOOD, source);
    byte[] nonce = OcspDer.nonce(extensions).orElse(null);
    return new OcspRequest(ids, nonce, copy);
  }

  /**
   * Reads a request from the last part of an HTTP GET path (RFC 6960 appendix A.1): the base64
   * encoding of the DER request, URL-encoded. Percent escapes are decoded; a {@code +} is kept
   * as a base64 character (clients that do not URL-encode send it bare), so both the raw and an
   * already decoded path work.
   *
   * @param pathSegment the part of the request path after the responder's own path and its
   *     {@code /}
   * @param source where the request came from, for messages
   * @return the request
   * @throws OcspException with {@link OcspProblem#MALFORMED}, naming the source, if the segment
   *     is not URL-encoded base64 of an OCSP request
   */
  public static OcspRequest parseGetPath(String pathSegment, String source) {
    Objects.requireNonNull(pathSegment, "pathSegment");
    Objects.requireNonNull(source, "source");
    if (pathSegment.length() > Pem.MAX_INPUT_BYTES) {
      throw OcspDer.malformed(source + ": found a path of " + pathSegment.length()
          + " characters; expected at most " + Pem.MAX_INPUT_BYTES);
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(percentDecode(pathSegment, source));
    } catch (IllegalArgumentException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": GET path '" + abbreviate(pathSegment)
          + "' is not base64 (" + e.getMessage() + "); expected the URL-encoded base64 of "
          + EXPECTED, e);
    }
    return parse(der, source);
  }

  private static byte[] percentDecode(String text, String source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw OcspDer.malformed(source + ": GET path '" + abbreviate(text) + "' has a broken"
              + " percent escape at index " + i + "; expected %XX with two hex digits");
        }
        out.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
        i += 2;
      } else if (c > 0x7f) {
        throw OcspDer.malformed(source + ": GET path '" + abbreviate(text) + "' has the non-ASCII"
            + " character U+" + String.format("%04X", (int) c) + " at index " + i
            + "; expected URL-encoded base64");
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  /**
   * Returns the DER encoding, the body of an HTTP POST.
   *
   * @return a copy of the encoding
   */
  public byte[] encoded() {
    return encoded.clone();
  }

  /**
   * Returns the URL of an HTTP GET for this request (RFC 6960 appendix A.1): the responder URL,
   * a {@code /} unless it already ends with one, and the URL-encoded base64 of the request.
   * RFC 5019 suggests GET only for requests under 255 bytes, so that caches keep them; a request
   * for one certificate qualifies, with or without a nonce.
   *
   * @param responderUrl the responder's URL, as in the certificate's authority information access
   * @return the URL to GET
   */
  public String getUrl(String responderUrl) {
    Objects.requireNonNull(responderUrl, "responderUrl");
    String base64 = Base64.getEncoder().encodeToString(encoded);
    return responderUrl + (responderUrl.endsWith("/") ? "" : "/")
        + URLEncoder.encode(base64, StandardCharsets.US_ASCII);
  }

  /**
   * Returns the certificates asked about, in request order.
   *
   * @return the identifiers; never empty
   */
  public List<OcspCertificateId> certificateIds() {
    return certificateIds;
  }

  /**
   * Returns the nonce a responder should echo in its response.
   *
   * @return a copy of the nonce; empty if the request has none
   */
  public Optional<byte[]> nonce() {
    return Optional.ofNullable(nonce).map(byte[]::clone);
  }

  @Override
  public String toString() {
    return "OcspRequest[" + certificateIds + (nonce != null ? ", nonce" : "") + "]";
  }
}
