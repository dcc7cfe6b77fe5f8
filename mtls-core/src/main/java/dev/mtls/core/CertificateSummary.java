package dev.mtls.core;

import dev.mtls.pki.Certificates;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * What events say about a certificate: enough to tell which one it is and when it expires, never
 * the certificate itself.
 *
 * @param subject the subject (RFC 2253)
 * @param issuer the issuer (RFC 2253)
 * @param serial the serial number
 * @param fingerprint the SHA-256 fingerprint of the encoding, as colon-separated upper-case hex
 * @param notAfter the end of the validity period
 */
public record CertificateSummary(
    String subject, String issuer, BigInteger serial, String fingerprint, Instant notAfter) {

  /**
   * Validates the fields.
   *
   * @param subject the subject
   * @param issuer the issuer
   * @param serial the serial number
   * @param fingerprint the fingerprint
   * @param notAfter the end of validity
   */
  public CertificateSummary {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /**
   * Summarises a certificate.
   *
   * @param certificate the certificate
   * @return its summary
   */
  public static CertificateSummary of(X509Certificate certificate) {
    return new CertificateSummary(certificate.getSubjectX500Principal().getName(),
        certificate.getIssuerX500Principal().getName(), certificate.getSerialNumber(),
        Certificates.sha256Fingerprint(certificate), certificate.getNotAfter().toInstant());
  }

  /**
   * Returns a short form for logs: {@code subject serial=.. fingerprint=.. notAfter=..}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return "'" + subject + "' serial=" + serial.toString(16) + " fingerprint=" + fingerprint
        + " notAfter=" + notAfter;
  }
}
