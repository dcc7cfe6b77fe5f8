package dev.mtls.core.verify;

/**
 * Why a peer's certificate chain was rejected. Every rejection carries exactly one reason, for
 * the first check that failed, so that logs, metrics and tests can tell failures apart without
 * parsing messages.
 */
public enum FailureReason {
  /** No path leads from the presented certificate to a trust anchor. */
  UNTRUSTED_ISSUER,
  /** A certificate in the path is past its notAfter (beyond the clock-skew allowance). */
  EXPIRED,
  /** A certificate in the path is before its notBefore (beyond the clock-skew allowance). */
  NOT_YET_VALID,
  /** A certificate in the path has been revoked. */
  REVOKED,
  /** Revocation status could not be established and the policy requires it. */
  REVOCATION_UNKNOWN,
  /** No certificate in the chain matches a configured SPKI pin. */
  PIN_MISMATCH,
  /** The peer's names do not match the expected host, or are not on the allow-list. */
  NAME_MISMATCH,
  /** A certificate's key usage does not allow what it is used for. */
  WRONG_KEY_USAGE,
  /** A certificate's extended key usage does not allow the peer's role. */
  WRONG_EXTENDED_KEY_USAGE,
  /** A name in the path falls outside a CA's name constraints. */
  NAME_CONSTRAINT_VIOLATION,
  /** A key is too weak (RSA under the minimum size, DSA, an unsupported curve). */
  WEAK_KEY,
  /** A signature uses a weak algorithm (SHA-1, MD5) or does not verify. */
  WEAK_SIGNATURE,
  /** A certificate breaks the certificate profile (malformed extension, CA as leaf, bad serial). */
  MALFORMED_CERTIFICATE,
  /** The path is longer than a CA's path length constraint or the configured maximum. */
  PATH_TOO_LONG,
  /** A certificate carries a critical extension this library does not understand. */
  UNKNOWN_CRITICAL_EXTENSION,
  /** The peer presented no certificate at all. */
  NO_CERTIFICATE,
  /**
   * The certificate is valid, but the configuration's principal mapping refused it or found no
   * principal for it (a server that maps clients to principals accepts only clients it can name).
   */
  PRINCIPAL_REJECTED
}
