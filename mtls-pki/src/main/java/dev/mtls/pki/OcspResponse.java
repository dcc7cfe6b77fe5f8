package dev.mtls.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * An OCSP response (RFC 6960 section 4.2), read strictly: what a responder says about the
 * revocation status of certificates, signed by the certificate's issuer or by a responder the
 * issuer delegated to.
 *
 * <p>{@link #parse(byte[], String)} checks the encoding only; nothing in a parsed response can
 * be trusted until {@link #verify(X509Certificate, X509Certificate, Instant, Duration)} has
 * checked who signed it, that it is about the certificate in question and that it is current.
 *
 * <pre>{@code
 * OcspRequest request = OcspRequest.create(leaf, issuer, true);
 * byte[] body = post(responderUrl, request.encoded());   // Content-Type: application/ocsp-request
 * OcspResponse response = OcspResponse.parse(body, responderUrl);
 * OcspVerdict verdict = response.verify(
 *     leaf, issuer, Instant.now(), Duration.ofMinutes(5), request.nonce().orElseThrow());
 * if (verdict.status() == OcspCertificateStatus.REVOKED) { ... }
 * }</pre>
 *
 * <p>Only the basic response type ({@code id-pkix-ocsp-basic}) is supported: the one RFC 6960
 * requires of every responder and the only one in use. Instances are immutable.
 */
public final class OcspResponse {
  private final String source;
  private final byte[] encoded;
  private final OcspResponseStatus status;
  private final Basic basic;

  /** The content of a successful response. */
  record Basic(
      Optional<X500Principal> responderName,
      Optional<byte[]> responderKeyHash,
      Instant producedAt,
      List<OcspSingleResponse> singleResponses,
      Optional<byte[]> nonce,
      List<X509Certificate> certificates,
      AlgorithmIdentifier signatureAlgorithm,
      byte[] signature,
      byte[] signedData) {}

  OcspResponse(String source, byte[] encoded, OcspResponseStatus status, Basic basic) {
    this.source = source;
    this.encoded = encoded;
    this.status = status;
    this.basic = basic;
  }

  /**
   * Reads a DER-encoded response, as an HTTP responder returns it
   * ({@code Content-Type: application/ocsp-response}) or a TLS server staples it.
   *
   * @param der the response
   * @param source where the bytes came from (the responder URL, a file), for messages
   * @return the response, not yet verified
   * @throws OcspException with {@link OcspProblem#MALFORMED}, naming the source, if the bytes are
   *     not a DER-encoded OCSP response, the status is undefined, the response type is not basic,
   *     a time or revocation reason is malformed, an included certificate does not parse, or a
   *     critical extension other than the nonce is present
   */
  public static OcspResponse parse(byte[] der, String source) {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(source, "source");
    return OcspResponseParser.parse(der.clone(), source);
  }

  /**
   * Returns whether the responder answered, and if not, why.
   *
   * @return the response status; only a {@link OcspResponseStatus#SUCCESSFUL} response carries
   *     certificate statuses
   */
  public OcspResponseStatus status() {
    return status;
  }

  /**
   * Returns the DER encoding, for caching or stapling.
   *
   * @return a copy of the bytes this response was read from
   */
  public byte[] encoded() {
    return encoded.clone();
  }

  /**
   * Returns when the responder signed the response.
   *
   * @return the producedAt time
   * @throws IllegalStateException if the status is not successful
   */
  public Instant producedAt() {
    return basic().producedAt();
  }

  /**
   * Returns the responder's distinguished name, if the response identifies its signer by name.
   *
   * @return the name; empty if the signer is identified by key hash
   * @throws IllegalStateException if the status is not successful
   */
  public Optional<X500Principal> responderName() {
    return basic().responderName();
  }

  /**
   * Returns the SHA-1 hash of the signer's public key, if the response identifies its signer by
   * key.
   *
   * @return a copy of the hash; empty if the signer is identified by name
   * @throws IllegalStateException if the status is not successful
   */
  public Optional<byte[]> responderKeyHash() {
    return basic().responderKeyHash().map(byte[]::clone);
  }

  /**
   * Returns the certificates the responder included to help verify its signature, normally the
   * delegated responder's certificate.
   *
   * @return the certificates in response order; empty if none were included
   * @throws IllegalStateException if the status is not successful
   */
  public List<X509Certificate> certificates() {
    return basic().certificates();
  }

  /**
   * Returns the certificate statuses, not yet verified.
   *
   * @return the single responses in response order
   * @throws IllegalStateException if the status is not successful
   */
  public List<OcspSingleResponse> singleResponses() {
    return basic().singleResponses();
  }

  /**
   * Returns the nonce the responder echoed from the request.
   *
   * @return a copy of the nonce; empty if the response has none
   * @throws IllegalStateException if the status is not successful
   */
  public Optional<byte[]> nonce() {
    return basic().nonce().map(byte[]::clone);
  }

  /**
   * Verifies the response for a certificate, without a nonce: for stapled responses and requests
   * sent without one. A nonce in the response is ignored. See {@link #verify(X509Certificate,
   * X509Certificate, Instant, Duration, byte[])} for the checks.
   *
   * @param certificate the certificate whose status is wanted
   * @param issuer the certificate of the CA that issued it
   * @param now the current time
   * @param clockSkew how far the responder's clock may be off; zero or more
   * @return the verified status and who signed it
   * @throws OcspException if a check fails; {@link OcspException#problem()} says which
   * @throws IllegalArgumentException if the certificate's issuer name is not the issuer's
   *     subject, or the clock skew is negative
   */
  public OcspVerdict verify(
      X509Certificate certificate, X509Certificate issuer, Instant now, Duration clockSkew) {
    return OcspVerifier.verify(this, certificate, issuer, now, clockSkew, null);
  }

  /**
   * Verifies the response for a certificate and the nonce of the request it answers.
   *
   * <p>The checks, in order, each with its {@link OcspProblem}: the status is successful
   * ({@code ERROR_STATUS}); the signer named by the responder ID is the issuer, or a delegated
   * responder certificate included in the response that the issuer issued and signed, that has
   * extended key usage id-kp-OCSPSigning (and digitalSignature if it has key usage at all) and is
   * valid at {@code now} give or take the skew ({@code SIGNER_NOT_AUTHORIZED}); the signature
   * verifies with the signer's key ({@code SIGNATURE_INVALID}); a single response's certificate
   * ID matches the certificate's serial number, issuer name hash and issuer key hash
   * ({@code NO_SINGLE_RESPONSE}); an echoed nonce equals the expected one
   * ({@code NONCE_MISMATCH}); thisUpdate is not after now plus skew ({@code NOT_YET_VALID});
   * nextUpdate is not before now minus skew, and without nextUpdate, thisUpdate is within the
   * skew of now unless the nonce was echoed ({@code STALE}).
   *
   * <p>A response without a nonce is accepted, because many responders serve pre-signed
   * responses and ignore nonces; {@link OcspVerdict#nonceVerified()} is then false, for callers
   * that require it. The revocation status of a delegated responder's own certificate is not
   * checked (CAs mark such certificates with id-pkix-ocsp-nocheck and keep them short-lived).
   *
   * @param certificate the certificate whose status is wanted
   * @param issuer the certificate of the CA that issued it
   * @param now the current time
   * @param clockSkew how far the responder's clock may be off; zero or more
   * @param expectedNonce the nonce sent in the request
   * @return the verified status and who signed it
   * @throws OcspException if a check fails; {@link OcspException#problem()} says which
   * @throws IllegalArgumentException if the certificate's issuer name is not the issuer's
   *     subject, or the clock skew is negative
   */
  public OcspVerdict verify(X509Certificate certificate, X509Certificate issuer, Instant now,
      Duration clockSkew, byte[] expectedNonce) {
    Objects.requireNonNull(expectedNonce, "expectedNonce");
    return OcspVerifier.verify(this, certificate, issuer, now, clockSkew, expectedNonce.clone());
  }

  String source() {
    return source;
  }

  /** The content of a successful response, for the accessors and the verifier. */
  Basic basic() {
    if (basic == null) {
      throw new IllegalStateException(source + ": the response status is " + status
          + "; only a successful response has content");
    }
    return basic;
  }

  @Override
  public String toString() {
    return "OcspResponse[" + source + ", " + status
        + (basic != null ? ", " + basic.singleResponses().size() + " single responses" : "") + "]";
  }
}
