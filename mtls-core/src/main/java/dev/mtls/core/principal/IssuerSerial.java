package dev.mtls.core.principal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * The issuer name and serial number of a certificate: the pair that identifies one certificate
 * among all that a CA ever issued (RFC 5280 requires a CA to give each certificate a unique
 * serial). Binding a principal to it names exactly one certificate; a re-issued certificate,
 * even for the same key and subject, does not match.
 *
 * <p>Issuers compare as {@link X500Principal} does: by their canonical form, so
 * {@code CN=Issuing CA, O=Example} and {@code cn=issuing ca,o=example} are the same issuer.
 *
 * @param issuer the issuer's distinguished name
 * @param serialNumber the serial number, positive
 */
public record IssuerSerial(X500Principal issuer, BigInteger serialNumber) {

  /**
   * Checks both parts.
   *
   * @param issuer the issuer's distinguished name
   * @param serialNumber the serial number
   * @throws IllegalArgumentException if the serial number is not positive
   */
  public IssuerSerial {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialNumber, "serialNumber");
    if (serialNumber.signum() <= 0) {
      throw new IllegalArgumentException("A serial number is positive, was " + serialNumber);
    }
  }

  /**
   * Returns the issuer and serial number of a certificate.
   *
   * @param certificate a certificate
   * @return its issuer and serial number
   */
  public static IssuerSerial of(X509Certificate certificate) {
    return new IssuerSerial(certificate.getIssuerX500Principal(), certificate.getSerialNumber());
  }

  /**
   * Returns the issuer in RFC 2253 form and the serial number in lower-case hex, as in
   * {@code issuer 'CN=Issuing CA' serial 3f2a9c}.
   */
  @Override
  public String toString() {
    return "issuer '" + Chains.rfc2253(issuer) + "' serial " + serialNumber.toString(16);
  }
}
