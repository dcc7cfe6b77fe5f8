package dev.mtls.core.verify;

import dev.mtls.pki.CertificateInfo;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a {@link Failure} into a {@link PeerVerificationException} whose message says what was
 * presented (subject, SANs, issuer, serial, validity and SPKI pin of each certificate, and which
 * one failed) and what was expected, with a {@link CertPathValidatorException} cause carrying the
 * reason JSSE maps to a TLS alert.
 */
final class Diagnosis {
  private Diagnosis() {}

  static PeerVerificationException exception(Failure failure, List<PathCertificate> path,
      Supplier<String> expectationText) {
    String expectation = expectationText.get();
    StringBuilder message = new StringBuilder(failure.detail());
    message.append("\npath (peer's certificate first):");
    for (int i = 0; i < path.size(); i++) {
      message.append("\n  [").append(i).append("] ").append(describe(path.get(i)));
      if (i == failure.index()) {
        message.append("  <- failed");
      }
    }
    if (expectation != null && !expectation.isEmpty()) {
      message.append("\nexpected: ").append(expectation);
    }
    int index = failure.index() >= 0 && failure.index() < path.size() ? failure.index() : -1;
    return new PeerVerificationException(failure.reason(), failure.index(), message.toString(),
        cause(failure, path, index));
  }

  static String describe(PathCertificate entry) {
    X509Certificate certificate = entry.certificate();
    String sans = entry.info().map(CertificateInfo::subjectAlternativeNames)
        .map(Object::toString).orElse("(unreadable)");
    return "subject '" + certificate.getSubjectX500Principal().getName() + "', SANs " + sans
        + ", issuer '" + certificate.getIssuerX500Principal().getName() + "', serial "
        + certificate.getSerialNumber().toString(16) + ", valid " + entry.notBefore() + " to "
        + entry.notAfter() + ", " + entry.pin() + (entry.isTrustAnchor() ? " (trust anchor)" : "");
  }

  private static CertPathValidatorException cause(Failure failure, List<PathCertificate> path,
      int index) {
    CertPath certPath = null;
    try {
      certPath = CertificateFactory.getInstance("X.509")
          .generateCertPath(path.stream().map(PathCertificate::certificate).toList());
    } catch (GeneralSecurityException e) {
      index = -1;
    }
    return new CertPathValidatorException(failure.reason() + ": " + failure.detail(), null,
        certPath, certPath == null ? -1 : index, failure.jdkReason());
  }
}
