package dev.mtls.cli;

import dev.mtls.pki.CrlBuilder;
import dev.mtls.pki.Pem;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtls crl}: the CA's current CRL. */
@Command(name = "crl", mixinStandardHelpOptions = true,
    description = {
        "Write the CA's CRL (PEM) listing every certificate it revoked, with the next CRL number.",
        "The file is regenerated in place: no --force needed."},
    footer = {"", "Example:", "  mtls crl --ca ca --out ca/crl.pem"})
final class CrlCommand extends CliCommand {
  @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA directory.")
  Path caDir;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the CRL.")
  Path out;

  @Option(names = "--days", paramLabel = "N", defaultValue = "7",
      description = "Days until the CRL's nextUpdate (default: ${DEFAULT-VALUE}).")
  int days;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() {
    Validity.checkDays(days);
    CaDirectory ca = CaDirectory.open(caDir, true, passwords, context());
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long number = ca.state().crlNumber + 1;
    CrlBuilder builder = CrlBuilder.create()
        .issuedBy(ca.signer())
        .thisUpdate(now)
        .nextUpdate(now.plus(Duration.ofDays(days)))
        .crlNumber(BigInteger.valueOf(number));
    int revoked = 0;
    for (CaState.Issued issued : ca.state().certificates) {
      if (issued.revoked != null) {
        builder.revoke(new BigInteger(issued.serial, 16), Instant.parse(issued.revoked.at),
            Reasons.parse(issued.revoked.reason));
        revoked++;
      }
    }
    X509CRL crl = builder.build();
    OutputFiles.writeText(out, Pem.writeCrl(crl), false);
    ca.state().crlNumber = number;
    ca.saveState();
    out().println("wrote CRL number " + number + " of " + ca.certificate().getSubjectX500Principal().getName()
        + " listing " + revoked + " revoked certificate" + (revoked == 1 ? "" : "s") + " to " + out);
    out().println("  next update " + crl.getNextUpdate().toInstant());
    return ExitCodes.OK;
  }
}
