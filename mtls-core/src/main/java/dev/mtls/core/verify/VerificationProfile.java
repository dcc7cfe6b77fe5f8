package dev.mtls.core.verify;

/**
 * Which rules decide the points where RFC 5280 and the web PKI (CA/Browser Forum baseline
 * requirements) disagree. The default, {@link #MTLS}, is meant for private mutual-TLS PKIs.
 *
 * <p>All profiles share the strict core: version 3 CAs with critical basic constraints and a
 * subject key identifier, keyCertSign on CAs that have a key usage extension, path length
 * constraints, positive serial numbers of at most 20 octets, authority key identifiers on every
 * certificate that is not self-issued, no unknown critical extension, no weak key or signature,
 * name constraints of every CA (the trust anchor's included), and peer names from subject
 * alternative names only.
 */
public enum VerificationProfile {
  /**
   * Private mTLS PKIs (the default): RFC 5280 plus the strict checks that matter between
   * services. The peer's certificate must list the extended key usage of its role
   * ({@code anyExtendedKeyUsage} does not stand in for it), an extended key usage extension in a
   * CA constrains the certificates below it, a CA certificate is never accepted as the peer's
   * own, and version 1 peers are refused. Name constraints are enforced whether or not the
   * extension is marked critical (many private CAs leave it non-critical for old clients).
   */
  MTLS,
  /**
   * RFC 5280 as written: a leaf without an extended key usage extension is valid for any purpose,
   * {@code anyExtendedKeyUsage} stands for every purpose, a CA certificate may be the peer's own,
   * extended key usage in CAs is not interpreted, and a name constraints extension must be
   * critical. A trust anchor that is not self-issued must carry an authority key identifier.
   */
  RFC5280,
  /**
   * The web PKI's stricter rules (CA/Browser Forum), for servers on the public internet: as
   * {@link #MTLS}, plus no {@code anyExtendedKeyUsage} and no critical extended key usage in the
   * peer's certificate, no extended key usage in roots, a root's authority key identifier (if
   * any) only repeating its own key identifier, a subject alternative name extension that is
   * critical only when the subject is empty, and a common name that copies one of the subject
   * alternative names character for character.
   */
  WEB_PKI
}
