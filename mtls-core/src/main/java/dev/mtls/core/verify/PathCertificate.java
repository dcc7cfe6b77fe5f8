package dev.mtls.core.verify;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.PkiException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * One certificate as the pipeline sees it: the JDK's certificate, its strict parse (or the reason
 * it would not parse), its SPKI pin. Parsing happens once per verification, not once per path.
 */
final class PathCertificate {
  private final X509Certificate certificate;
  private final boolean trustAnchor;
  private CertificateInfo info;
  private PkiException malformed;
  private String pin;

  PathCertificate(X509Certificate certificate, boolean trustAnchor) {
    this.certificate = certificate;
    this.trustAnchor = trustAnchor;
  }

  /** A certificate with its parse and pin already computed, safe to share between threads. */
  static PathCertificate parsed(X509Certificate certificate, boolean trustAnchor) {
    PathCertificate parsed = new PathCertificate(certificate, trustAnchor);
    parsed.parse();
    parsed.pin();
    return parsed;
  }

  X509Certificate certificate() {
    return certificate;
  }

  boolean isTrustAnchor() {
    return trustAnchor;
  }

  /** The strict view, or empty if the certificate is malformed (see {@link #malformed()}). */
  Optional<CertificateInfo> info() {
    parse();
    return Optional.ofNullable(info);
  }

  /** Why the certificate does not parse, or null if it does. */
  PkiException malformed() {
    parse();
    return malformed;
  }

  private void parse() {
    if (info == null && malformed == null) {
      try {
        info = CertificateInfo.of(certificate);
      } catch (PkiException e) {
        malformed = e;
      }
    }
  }

  /** Subject equals issuer: a self-issued certificate (RFC 5280 section 3.3). */
  boolean isSelfIssued() {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }

  /** Whether the subject key identifier is present and equals the given key identifier. */
  boolean subjectKeyIdentifierIs(byte[] keyIdentifier) {
    return info().flatMap(CertificateInfo::subjectKeyIdentifier)
        .map(ski -> Arrays.equals(ski, keyIdentifier)).orElse(false);
  }

  /** The authority key identifier's key identifier, if this certificate has one. */
  Optional<byte[]> authorityKeyId() {
    return info().flatMap(CertificateInfo::authorityKeyIdentifier)
        .filter(aki -> aki.hasKeyIdentifier())
        .map(aki -> aki.keyIdentifier());
  }

  String pin() {
    if (pin == null) {
      pin = Certificates.spkiPin(certificate);
    }
    return pin;
  }

  Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathCertificate that && certificate.equals(that.certificate);
  }

  @Override
  public int hashCode() {
    return certificate.hashCode();
  }
}
