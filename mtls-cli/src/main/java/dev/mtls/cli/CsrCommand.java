package dev.mtls.cli;

import dev.mtls.pki.CertificationRequest;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.nio.file.Path;
import java.security.KeyPair;
import javax.naming.ldap.Rdn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtls csr}: a key pair and a certificate signing request for it. */
@Command(name = "csr", mixinStandardHelpOptions = true,
    description = {
        "Make a key and a certificate signing request for subject CN=NAME: writes OUT/NAME.csr and",
        "OUT/NAME.key (PKCS#8, owner-only). A CA signs it with mtls issue ... --csr OUT/NAME.csr."},
    footer = {"", "Example:", "  mtls csr --name bob --dns bob.example.com --out req"})
final class CsrCommand extends CliCommand {
  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "The requested common name, and the name of the output files.")
  String name;

  @Mixin
  NameOptions names;

  @Option(names = "--key", paramLabel = "TYPE", defaultValue = "ec-p256",
      converter = KeyChoice.Converter.class, completionCandidates = KeyChoice.Candidates.class,
      description = "Key type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeyChoice key;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
  Path out;

  @Option(names = "--force", description = "Overwrite existing files.")
  boolean force;

  @Override
  public Integer call() {
    NameOptions.checkFileName(name);
    Path requestFile = out.resolve(name + ".csr");
    Path keyFile = out.resolve(name + ".key");
    OutputFiles.refuseExisting(force, requestFile, keyFile);
    KeyPair pair = key.type().generate();
    CertificationRequest request = CertificationRequest.create(
        "CN=" + Rdn.escapeValue(name), pair, names.names().toArray(GeneralName[]::new));
    OutputFiles.writeText(keyFile, Pem.writePrivateKey(pair.getPrivate()), true);
    OutputFiles.writeText(requestFile, Pem.writeCertificationRequest(request), false);
    out().println("created request " + request.subject().getName());
    out().println("  files    " + requestFile + ", " + keyFile);
    return ExitCodes.OK;
  }
}
