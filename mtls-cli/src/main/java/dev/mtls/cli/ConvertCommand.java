package dev.mtls.cli;

import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.Pkcs12;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls convert}: between PEM and PKCS#12. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {
        "Convert between PEM and PKCS#12. --to p12 gathers the certificates and the private key of",
        "the inputs: with a key, an identity file (the key's certificate first, then the others);",
        "without one, a trust store. --to pem writes the certificates, then any CRLs and the",
        "private key (unencrypted PKCS#8; the file is then owner-only), of PEM, DER or PKCS#12",
        "inputs. The password protects the PKCS#12 file written or opens the one read."},
    footer = {"", "Examples:",
        "  MTLS_PASSWORD=changeit mtls convert --to p12 certs/alice.crt certs/alice.key --out alice.p12",
        "  mtls convert --to pem --password-file pw.txt alice.p12 --out alice.pem",
        "  mtls convert --to p12 --password-file pw.txt ca/ca.crt --out truststore.p12"})
final class ConvertCommand extends CliCommand {
  /** The output format. */
  enum Format {
    P12, PEM;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Option(names = "--to", required = true, paramLabel = "p12|pem", description = "The output format.")
  Format to;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "The input files.")
  List<Path> inputs;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
  Path out;

  @Option(names = "--force", description = "Overwrite an existing output file.")
  boolean force;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() {
    OutputFiles.refuseExisting(force, out);
    List<X509Certificate> certificates = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    PrivateKey key = null;
    Path keyFile = null;
    for (Path input : inputs) {
      Material material = Material.read(input, passwords, context());
      for (X509Certificate certificate : material.certificates) {
        if (!certificates.contains(certificate)) {
          certificates.add(certificate);
        }
      }
      crls.addAll(material.crls);
      if (material.privateKey != null) {
        if (key != null) {
          throw CliException.input(input + ": a second private key (the first is in " + keyFile
              + "); a file holds one identity");
        }
        key = material.privateKey;
        keyFile = input;
      }
    }
    if (to == Format.P12) {
      return writePkcs12(certificates, key, keyFile);
    }
    StringBuilder pem = new StringBuilder();
    if (!certificates.isEmpty()) {
      pem.append(Pem.writeCertificates(certificates));
    }
    crls.forEach(crl -> pem.append(Pem.writeCrl(crl)));
    if (key != null) {
      pem.append(Pem.writePrivateKey(key));
    }
    if (pem.length() == 0) {
      throw CliException.input("nothing to convert: the inputs hold no certificate, CRL or private key");
    }
    OutputFiles.writeText(out, pem.toString(), key != null);
    out().println("wrote " + out + ": " + certificates.size() + " certificate(s)" + (crls.isEmpty() ? "" : ", "
        + crls.size() + " CRL(s)") + (key == null ? "" : ", the private key (owner-only file)"));
    return ExitCodes.OK;
  }

  private int writePkcs12(List<X509Certificate> certificates, PrivateKey key, Path keyFile) {
    if (certificates.isEmpty()) {
      throw CliException.input("no certificate in the inputs; a PKCS#12 file needs at least one");
    }
    char[] password = passwords.required(context(), "for the PKCS#12 file " + out);
    if (key == null) {
      OutputFiles.write(out, Pkcs12.writeTrust(certificates, password), false);
      out().println("wrote trust store " + out + " with " + certificates.size() + " certificate(s)");
      return ExitCodes.OK;
    }
    X509Certificate own = null;
    for (X509Certificate certificate : certificates) {
      if (Certificates.keyMatches(key, certificate)) {
        own = certificate;
        break;
      }
    }
    if (own == null) {
      throw CliException.input(keyFile + ": the private key belongs to none of the certificates given");
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(own);
    for (X509Certificate certificate : certificates) {
      if (!certificate.equals(own)) {
        chain.add(certificate);
      }
    }
    OutputFiles.write(out, Pkcs12.writeIdentity(new CertifiedKey(key, chain), password), true);
    out().println("wrote identity " + out + " for " + own.getSubjectX500Principal().getName() + " with "
        + chain.size() + " certificate(s) (owner-only file)");
    return ExitCodes.OK;
  }
}
