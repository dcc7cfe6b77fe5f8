package dev.mtls.pki;

/**
 * Why an OCSP response cannot be used, as carried by {@link OcspException}. The kinds let a
 * revocation checker decide between failing the handshake and treating the status as unknown:
 * a responder that is down or answers {@code tryLater} is an availability problem that a
 * soft-fail policy tolerates, while a forged or misdirected response is an attack or a
 * misconfiguration that it should not.
 */
public enum OcspProblem {
  /**
   * The bytes are not an OCSP message as RFC 6960 defines it: not DER, truncated, trailing data,
   * an unknown response type or status, a malformed time, a critical extension that is not
   * understood.
   */
  MALFORMED,
  /**
   * The responder answered with an error status ({@code malformedRequest}, {@code internalError},
   * {@code tryLater}, {@code sigRequired} or {@code unauthorized}) instead of a signed response;
   * {@link OcspResponse#status()} says which.
   */
  ERROR_STATUS,
  /** The signature does not verify with the key of the certificate the responder ID names. */
  SIGNATURE_INVALID,
  /**
   * The response is signed by a key that may not speak for the certificate's issuer: neither
   * the issuer itself nor a delegated responder certificate, included in the response, issued
   * and signed by the issuer, with extended key usage id-kp-OCSPSigning and valid now.
   */
  SIGNER_NOT_AUTHORIZED,
  /** The response has no single response for the certificate asked about. */
  NO_SINGLE_RESPONSE,
  /** The single response's thisUpdate is later than now plus the allowed clock skew. */
  NOT_YET_VALID,
  /**
   * The single response is out of date: its nextUpdate is earlier than now minus the allowed
   * clock skew, or it has no nextUpdate and is older than the clock skew without echoing the
   * request's nonce.
   */
  STALE,
  /** The response's nonce differs from the one sent in the request: possibly a replay. */
  NONCE_MISMATCH
}
