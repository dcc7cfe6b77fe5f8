package dev.mtls.pki;

/**
 * The bits of the X.509 key usage extension (RFC 5280 section 4.2.1.3): which operations the
 * certified key may perform. A TLS leaf needs {@link #DIGITAL_SIGNATURE} (and, for RSA key
 * exchange in TLS 1.2, {@link #KEY_ENCIPHERMENT}); a CA needs {@link #KEY_CERT_SIGN} and, to sign
 * CRLs, {@link #CRL_SIGN}.
 */
public enum KeyUsage {
  /** Bit 0: verify signatures other than on certificates and CRLs (TLS handshakes). */
  DIGITAL_SIGNATURE,
  /** Bit 1: also called contentCommitment; signatures meant as non-repudiable. */
  NON_REPUDIATION,
  /** Bit 2: encrypt keys (RSA key transport). */
  KEY_ENCIPHERMENT,
  /** Bit 3: encrypt raw data. */
  DATA_ENCIPHERMENT,
  /** Bit 4: key agreement (static Diffie-Hellman). */
  KEY_AGREEMENT,
  /** Bit 5: verify signatures on certificates (CAs only). */
  KEY_CERT_SIGN,
  /** Bit 6: verify signatures on CRLs. */
  CRL_SIGN,
  /** Bit 7: with key agreement, encipher only. */
  ENCIPHER_ONLY,
  /** Bit 8: with key agreement, decipher only. */
  DECIPHER_ONLY;

  /**
   * Returns the bit number in the DER {@code KeyUsage} bit string, as
   * {@link java.security.cert.X509Certificate#getKeyUsage()} indexes it.
   *
   * @return the bit number, 0 to 8
   */
  public int bit() {
    return ordinal();
  }
}
