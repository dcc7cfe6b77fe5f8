package dev.mtls.core.verify;

/**
 * Which rules decide the points where RFC 5280 and the web PKI (CA/Browser Forum baseline
 * requirements) disagree. The default, {@link #MTLS}, is meant for private mutual-TLS PKIs.
 */
public enum VerificationProfile {
  /**
   * Private mTLS PKIs (the default): RFC 5280 plus the strict checks that matter between
   * services: the peer's certificate must carry the extended key usage of its role, a CA
   * certificate is never accepted as a leaf, and name constraints are enforced on trust anchors.
   */
  MTLS,
  /** RFC 5280 as written: a leaf without an extended key usage extension is valid for any purpose. */
  RFC5280,
  /** The web PKI's stricter rules (CA/Browser Forum), for servers on the public internet. */
  WEB_PKI
}
