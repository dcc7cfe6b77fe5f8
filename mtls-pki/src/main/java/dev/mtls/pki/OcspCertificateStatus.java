package dev.mtls.pki;

/**
 * What an OCSP responder says about one certificate (RFC 6960 section 2.2).
 */
public enum OcspCertificateStatus {
  /**
   * Not revoked, as far as the responder knows. This does not mean the certificate was ever
   * issued, nor that it is within its validity period.
   */
  GOOD,
  /** Revoked, permanently or on hold, at the revocation time given. */
  REVOKED,
  /** The responder does not know the certificate, typically because it serves another issuer. */
  UNKNOWN
}
