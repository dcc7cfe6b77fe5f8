package dev.mtls.pki;

/**
 * Why a certificate was revoked: the {@code CRLReason} codes of RFC 5280 section 5.3.1. The same
 * reasons, minus {@link #UNSPECIFIED} and {@link #REMOVE_FROM_CRL}, are the bits of the
 * {@code ReasonFlags} of a distribution point.
 */
public enum RevocationReason {
  /** Code 0: no reason given. RFC 5280 prefers leaving the reason code out. */
  UNSPECIFIED(0),
  /** Code 1: the certified private key is known or suspected to be compromised. */
  KEY_COMPROMISE(1),
  /** Code 2: the key of the CA that issued the certificate is compromised. */
  CA_COMPROMISE(2),
  /** Code 3: the subject's name or other information changed. */
  AFFILIATION_CHANGED(3),
  /** Code 4: the certificate was replaced by a new one. */
  SUPERSEDED(4),
  /** Code 5: the certificate is no longer needed. */
  CESSATION_OF_OPERATION(5),
  /** Code 6: the certificate is temporarily on hold; the only reversible reason. */
  CERTIFICATE_HOLD(6),
  /** Code 8: in a delta CRL, a certificate on hold is no longer revoked. */
  REMOVE_FROM_CRL(8),
  /** Code 9: a privilege the certificate asserted was withdrawn. */
  PRIVILEGE_WITHDRAWN(9),
  /** Code 10: the key of an attribute authority is compromised. */
  AA_COMPROMISE(10);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /**
   * Returns the {@code CRLReason} code of RFC 5280.
   *
   * @return the code, 0 to 10 (7 is not used)
   */
  public int code() {
    return code;
  }

  /**
   * Looks up a reason by its {@code CRLReason} code.
   *
   * @param code the code, 0 to 10 except 7
   * @return the reason
   * @throws IllegalArgumentException if no reason has this code
   */
  public static RevocationReason ofCode(int code) {
    for (RevocationReason reason : values()) {
      if (reason.code == code) {
        return reason;
      }
    }
    throw new IllegalArgumentException(
        "Not a CRLReason code: " + code + " (expected 0 to 10, except 7)");
  }
}
