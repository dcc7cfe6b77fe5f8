package dev.mtls.pki;

/**
 * Well-known key purposes of the extended key usage extension (RFC 5280 section 4.2.1.12). In
 * mutual TLS the server's certificate should carry {@link #SERVER_AUTH} and the client's
 * {@link #CLIENT_AUTH}; a certificate meant for one role must not be accepted in the other.
 * Other purposes are identified by their object identifier.
 */
public enum ExtendedKeyUsage {
  /** id-kp-serverAuth: a TLS server. */
  SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
  /** id-kp-clientAuth: a TLS client. */
  CLIENT_AUTH("1.3.6.1.5.5.7.3.2"),
  /** id-kp-codeSigning. */
  CODE_SIGNING("1.3.6.1.5.5.7.3.3"),
  /** id-kp-emailProtection. */
  EMAIL_PROTECTION("1.3.6.1.5.5.7.3.4"),
  /** id-kp-timeStamping. */
  TIME_STAMPING("1.3.6.1.5.5.7.3.8"),
  /** id-kp-OCSPSigning: a delegated OCSP responder. */
  OCSP_SIGNING("1.3.6.1.5.5.7.3.9"),
  /** anyExtendedKeyUsage. */
  ANY("2.5.29.37.0");

  private final String oid;

  ExtendedKeyUsage(String oid) {
    this.oid = oid;
  }

  /**
   * Returns the object identifier of this purpose.
   *
   * @return a dotted OID such as {@code 1.3.6.1.5.5.7.3.1}
   */
  public String oid() {
    return oid;
  }
}
