package dev.mtls.cli;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtls ca intermediate}: an intermediate CA, issued by a root CA directory. */
@Command(name = "intermediate", mixinStandardHelpOptions = true,
    description = {
        "Create an intermediate CA issued by the root CA in ROOTDIR: DIR/ca.crt is the",
        "intermediate, DIR/chain.crt the intermediate followed by the root, DIR/ca.key and",
        "DIR/ca.json as for ca create. Leaves it issues carry the intermediate in their .crt file;",
        "peers trust the root's ca.crt. The password, if any, opens the root's key and encrypts",
        "the new key."},
    footer = {"", "Example:", "  mtls ca intermediate --ca ca --dir issuing --subject 'CN=Dev Issuing CA'"})
final class CaIntermediateCommand extends CliCommand {
  @Option(names = "--ca", required = true, paramLabel = "ROOTDIR", description = "The root CA directory.")
  Path rootDir;

  @Mixin
  CaOptions ca;

  @Option(names = "--subject", paramLabel = "DN", defaultValue = "CN=mtls development intermediate CA",
      description = "The intermediate's subject, RFC 2253 (default: ${DEFAULT-VALUE}).")
  String subject;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() {
    ca.validate();
    if (ca.dir.toAbsolutePath().normalize().equals(rootDir.toAbsolutePath().normalize())) {
      throw CliException.input("--dir " + ca.dir + " is the root CA's directory; give another one");
    }
    ca.refuseExistingCa();
    CaDirectory root = CaDirectory.open(rootDir, true, passwords, context());
    if (!root.isRoot()) {
      throw CliException.input(rootDir + " holds an intermediate CA; intermediates are issued by a root CA"
          + " here (their path length is limited to 0)");
    }
    char[] password = passwords.optional(context()).orElse(null);
    Instant now = Instant.now();
    CertificateBuilder builder = CertificateBuilder.create();
    CaOptions.subject(builder, subject);
    builder.role(CertificateRole.CA)
        .maxPathLength(0)
        .keyType(ca.key.type())
        .validity(Validity.notBefore(now), Validity.notAfter(now, ca.days, root.certificate()))
        .issuedBy(root.signer());
    root.addUrls(builder);
    CertifiedKey issued = builder.build();
    X509Certificate intermediate = issued.certificate();
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(intermediate);
    chain.add(root.certificate());
    CaState state = new CaState();
    state.subject = intermediate.getSubjectX500Principal().getName();
    state.issuer = intermediate.getIssuerX500Principal().getName();
    state.ocspUrl = ca.ocspUrl;
    state.crlUrl = ca.crlUrl;
    CaDirectory.create(ca.dir, new CertifiedKey(issued.privateKey(), chain), state, password, ca.force);
    root.record(intermediate, "ca");
    Summary.created(out(), "intermediate CA", intermediate, ca.dir, password != null);
    return ExitCodes.OK;
  }
}
