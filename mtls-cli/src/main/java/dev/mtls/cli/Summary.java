package dev.mtls.cli;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.GeneralName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

/** The few lines a command prints about what it made. */
final class Summary {
  private Summary() {}

  static void created(PrintWriter out, String what, X509Certificate certificate, Path dir, boolean encrypted) {
    out.println("created " + what + " " + certificate.getSubjectX500Principal().getName());
    details(out, certificate);
    out.println("  files    " + dir.resolve(CaDirectory.CERTIFICATE) + ", " + dir.resolve(CaDirectory.KEY)
        + (encrypted ? " (encrypted)" : " (not encrypted)") + ", " + dir.resolve(CaDirectory.STATE));
  }

  static void details(PrintWriter out, X509Certificate certificate) {
    out.println("  serial   " + certificate.getSerialNumber().toString(16));
    List<GeneralName> names = CertificateInfo.of(certificate).subjectAlternativeNames();
    if (!names.isEmpty()) {
      out.println("  names    " + names.stream().map(GeneralName::toString).collect(Collectors.joining(", ")));
    }
    out.println("  valid    " + certificate.getNotBefore().toInstant() + " to "
        + certificate.getNotAfter().toInstant());
  }
}
