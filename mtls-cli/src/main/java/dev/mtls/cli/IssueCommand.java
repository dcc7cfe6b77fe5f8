package dev.mtls.cli;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertificationRequest;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import dev.mtls.pki.Pkcs12;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls issue server|client}: a leaf certificate from a CA directory. */
@Command(name = "issue", mixinStandardHelpOptions = true,
    description = {
        "Issue a server or client certificate with subject CN=NAME from the CA in DIR.",
        "A server certificate gets NAME as a DNS name unless --dns or --ip are given; a client",
        "certificate gets only the names given. Writes OUT/NAME.crt (the certificate, then any",
        "intermediates, never the root), OUT/NAME.key (PKCS#8, owner-only) and, with --p12,",
        "OUT/NAME.p12 (password from --password-file, --password-stdin or MTLS_PASSWORD).",
        "With --csr, signs the request's key instead; the CA decides subject and extensions."},
    footer = {"", "Examples:",
        "  mtls issue server --ca ca --name api --dns api.example.com --ip 127.0.0.1 --out certs",
        "  mtls issue client --ca ca --name alice --uri spiffe://example.org/alice --p12 --out certs",
        "  mtls issue client --ca ca --csr bob.csr --name bob --out certs"})
final class IssueCommand extends CliCommand {
  /** What the certificate is for. */
  enum Profile {
    SERVER(CertificateRole.SERVER), CLIENT(CertificateRole.CLIENT);

    private final CertificateRole role;

    Profile(CertificateRole role) {
      this.role = role;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Parameters(index = "0", paramLabel = "server|client", description = "What the certificate is for.")
  Profile profile;

  @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA directory.")
  Path caDir;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "The common name, and the name of the output files.")
  String name;

  @Mixin
  NameOptions names;

  @Option(names = "--days", paramLabel = "N", defaultValue = "90",
      description = "Validity in days (default: ${DEFAULT-VALUE}); never beyond the CA's own.")
  int days;

  @Option(names = "--key", paramLabel = "TYPE",
      converter = KeyChoice.Converter.class, completionCandidates = KeyChoice.Candidates.class,
      description = "Key type: ${COMPLETION-CANDIDATES} (default: ec-p256).")
  KeyChoice key;

  @Option(names = "--csr", paramLabel = "FILE", description = "Sign this certificate request's key.")
  Path csr;

  @Option(names = "--p12", description = "Also write OUT/NAME.p12 (needs a password).")
  boolean p12;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
  Path out;

  @Option(names = "--force", description = "Overwrite existing files.")
  boolean force;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() {
    NameOptions.checkFileName(name);
    Validity.checkDays(days);
    if (csr != null && key != null) {
      throw CliException.input("--key and --csr do not go together: the request holds the key");
    }
    if (csr != null && p12) {
      throw CliException.input("--p12 and --csr do not go together: the private key is the requester's");
    }
    List<GeneralName> sans = new ArrayList<>(names.names());
    if (profile == Profile.SERVER && !names.hasHostNames()) {
      try {
        sans.add(0, GeneralName.dns(name));
      } catch (IllegalArgumentException e) {
        throw CliException.input("--name '" + name + "' is not a DNS name, so a server certificate cannot"
            + " carry it: give --dns or --ip", e);
      }
    }
    Path certificateFile = out.resolve(name + ".crt");
    Path keyFile = out.resolve(name + ".key");
    Path p12File = out.resolve(name + ".p12");
    List<Path> outputs = new ArrayList<>(List.of(certificateFile));
    if (csr == null) {
      outputs.add(keyFile);
    }
    if (p12) {
      outputs.add(p12File);
    }
    OutputFiles.refuseExisting(force, outputs.toArray(Path[]::new));
    CertificationRequest request = csr == null ? null : Pem.readCertificationRequest(csr);
    if (request != null) {
      request.verify();
    }
    char[] p12Password = p12 ? passwords.required(context(), "for the PKCS#12 file " + p12File) : null;
    CaDirectory ca = CaDirectory.open(caDir, true, passwords, context());

    Instant now = Instant.now();
    CertificateBuilder builder = CertificateBuilder.create()
        .commonName(name)
        .role(profile.role)
        .validity(Validity.notBefore(now), Validity.notAfter(now, days, ca.certificate()))
        .issuedBy(ca.signer());
    if (!sans.isEmpty()) {
      builder.subjectAlternativeNames(sans.toArray(GeneralName[]::new));
    }
    ca.addUrls(builder);
    X509Certificate certificate;
    PrivateKey privateKey = null;
    if (request != null) {
      certificate = builder.publicKey(request.publicKey()).buildCertificate();
    } else {
      CertifiedKey made = builder.keyType((key == null ? KeyChoice.EC_P256 : key).type()).build();
      certificate = made.certificate();
      privateKey = made.privateKey();
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(ca.chainWithoutRoot());

    OutputFiles.writeText(certificateFile, Pem.writeCertificates(chain), false);
    List<String> written = new ArrayList<>(List.of(certificateFile.toString()));
    if (privateKey != null) {
      OutputFiles.writeText(keyFile, Pem.writePrivateKey(privateKey), true);
      written.add(keyFile.toString());
    }
    if (p12) {
      OutputFiles.write(p12File, Pkcs12.writeIdentity(new CertifiedKey(privateKey, chain), p12Password), true);
      written.add(p12File.toString());
    }
    ca.record(certificate, profile.toString());
    out().println("issued " + profile + " certificate " + certificate.getSubjectX500Principal().getName()
        + " from " + ca.certificate().getSubjectX500Principal().getName());
    Summary.details(out(), certificate);
    out().println("  files    " + String.join(", ", written));
    return ExitCodes.OK;
  }
}
