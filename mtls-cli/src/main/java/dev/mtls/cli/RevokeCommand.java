package dev.mtls.cli;

import dev.mtls.pki.Pem;
import dev.mtls.pki.RevocationReason;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtls revoke}: marks a certificate revoked in its CA's state. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = {
        "Revoke a certificate the CA in DIR issued. The CA's state records it; mtls ocsp-responder",
        "answers 'revoked' for it from then on, and the next mtls crl lists it."},
    footer = {"", "Example:", "  mtls revoke --ca ca --cert certs/carol.crt --reason keyCompromise"})
final class RevokeCommand extends CliCommand {
  @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA directory.")
  Path caDir;

  @Option(names = "--cert", required = true, paramLabel = "FILE",
      description = "The certificate to revoke (the first of the file).")
  Path certificateFile;

  @Option(names = "--reason", paramLabel = "REASON", defaultValue = "unspecified",
      completionCandidates = Reasons.Candidates.class,
      description = "An RFC 5280 reason: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String reason;

  @Override
  public Integer call() {
    RevocationReason revocationReason = Reasons.parse(reason);
    if (revocationReason == RevocationReason.REMOVE_FROM_CRL) {
      throw CliException.input("--reason removeFromCRL: only delta CRLs use it; give another reason");
    }
    X509Certificate certificate = Pem.readCertificates(certificateFile).get(0);
    CaDirectory ca = CaDirectory.open(caDir, false, null, context());
    BigInteger serial = certificate.getSerialNumber();
    String hex = serial.toString(16);
    if (!certificate.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
      throw CliException.input(certificateFile + ": issued by " + certificate.getIssuerX500Principal().getName()
          + ", not by the CA in " + caDir + " (" + ca.certificate().getSubjectX500Principal().getName() + ")");
    }
    CaState.Issued entry = ca.state().find(serial).orElseThrow(() -> CliException.input(certificateFile
        + ": serial " + hex + " is not in " + caDir.resolve(CaDirectory.STATE) + "; the CA did not issue it"));
    if (ca.issued(serial).filter(certificate::equals).isEmpty()) {
      throw CliException.input(certificateFile + ": serial " + hex + " was issued by the CA in " + caDir
          + ", but to another certificate");
    }
    if (entry.revoked != null) {
      throw CliException.input(certificateFile + ": serial " + hex + " is already revoked (" + entry.revoked.reason
          + " at " + entry.revoked.at + ")");
    }
    CaState.Revocation revocation = new CaState.Revocation();
    revocation.reason = Reasons.name(revocationReason);
    revocation.at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    entry.revoked = revocation;
    ca.saveState();
    out().println("revoked " + entry.subject + " serial " + hex + " (" + revocation.reason + ") at " + revocation.at);
    return ExitCodes.OK;
  }
}
