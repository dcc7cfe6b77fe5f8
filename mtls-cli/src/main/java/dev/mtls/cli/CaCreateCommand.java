package dev.mtls.cli;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtls ca create}: a self-signed root CA in a directory. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {
        "Create a root CA: DIR/ca.crt, DIR/ca.key (PKCS#8, owner-only; encrypted when a password",
        "is given) and DIR/ca.json, the CA's state: issued serials, revocations, CRL number, and",
        "the OCSP and CRL URLs written into what it issues."},
    footer = {"", "Example:", "  mtls ca create --dir ca --subject 'CN=Dev Root,O=Example'"})
final class CaCreateCommand extends CliCommand {
  @Mixin
  CaOptions ca;

  @Option(names = "--subject", paramLabel = "DN", defaultValue = "CN=mtls development CA",
      description = "The CA's subject, RFC 2253 (default: ${DEFAULT-VALUE}).")
  String subject;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() {
    ca.validate();
    ca.refuseExistingCa();
    char[] password = passwords.optional(context()).orElse(null);
    Instant now = Instant.now();
    CertificateBuilder builder = CertificateBuilder.create();
    CaOptions.subject(builder, subject);
    CertifiedKey root = builder
        .role(CertificateRole.CA)
        .keyType(ca.key.type())
        .validity(Validity.notBefore(now), CaOptions.notAfter(now, ca.days))
        .build();
    CaState state = new CaState();
    state.subject = root.certificate().getSubjectX500Principal().getName();
    state.issuer = state.subject;
    state.ocspUrl = ca.ocspUrl;
    state.crlUrl = ca.crlUrl;
    CaDirectory.create(ca.dir, root, state, password, ca.force);
    Summary.created(out(), "root CA", root.certificate(), ca.dir, password != null);
    return ExitCodes.OK;
  }
}
