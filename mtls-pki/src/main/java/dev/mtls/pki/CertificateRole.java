package dev.mtls.pki;

/**
 * What a certificate is for. The role decides the defaults of {@link CertificateBuilder}: basic
 * constraints, key usage and extended key usage.
 */
public enum CertificateRole {
  /** A certificate authority: {@code cA=TRUE}, key usage keyCertSign and cRLSign, no EKU. */
  CA,
  /** A TLS server: EKU serverAuth, key usage digitalSignature (and keyEncipherment for RSA). */
  SERVER,
  /** A TLS client: EKU clientAuth, key usage digitalSignature (and keyEncipherment for RSA). */
  CLIENT,
  /** A peer that acts as both: EKU serverAuth and clientAuth. */
  SERVER_AND_CLIENT,
  /**
   * A delegated OCSP responder, which signs OCSP responses for the CA that issues it: EKU
   * id-kp-OCSPSigning, key usage digitalSignature, and the id-pkix-ocsp-nocheck extension, which
   * tells clients not to check the responder's own revocation status (RFC 6960 section
   * 4.2.2.2.1), so keep such certificates short-lived.
   */
  OCSP_RESPONDER
}
