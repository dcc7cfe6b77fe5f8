package dev.mtls.cli;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.PkiException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CA directory: {@code ca.crt} (the CA's certificate), {@code ca.key} (its PKCS#8 private key,
 * encrypted when created with a password), {@code ca.json} (its {@link CaState state}),
 * {@code chain.crt} for an intermediate (the intermediate followed by its issuers up to the root),
 * and {@code issued/} (a copy of every certificate it issued, named by serial).
 */
final class CaDirectory {
  static final String CERTIFICATE = "ca.crt";
  static final String KEY = "ca.key";
  static final String STATE = "ca.json";
  static final String CHAIN = "chain.crt";
  static final String ISSUED = "issued";

  private final Path directory;
  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final CaState state;

  private CaDirectory(Path directory, List<X509Certificate> chain, PrivateKey key, CaState state) {
    this.directory = directory;
    this.chain = List.copyOf(chain);
    this.key = key;
    this.state = state;
  }

  /** Whether a directory already holds (part of) a CA. */
  static boolean holdsCa(Path directory) {
    return Files.exists(directory.resolve(CERTIFICATE)) || Files.exists(directory.resolve(KEY))
        || Files.exists(directory.resolve(STATE));
  }

  /**
   * Opens a CA directory.
   *
   * @param withKey whether to read the private key (to sign); the password is asked for only then
   */
  static CaDirectory open(Path directory, boolean withKey, PasswordOptions passwords, CliContext context) {
    if (!Files.isDirectory(directory)) {
      throw CliException.input(directory + ": no such CA directory (create one with mtls ca create --dir "
          + directory + ")");
    }
    Path certificateFile = directory.resolve(CERTIFICATE);
    if (!Files.exists(certificateFile)) {
      throw CliException.input(certificateFile + ": no such file; " + directory + " is not a CA directory");
    }
    Path chainFile = directory.resolve(CHAIN);
    List<X509Certificate> chain = Pem.readCertificates(Files.exists(chainFile) ? chainFile : certificateFile);
    X509Certificate certificate = Pem.readCertificates(certificateFile).get(0);
    if (!chain.get(0).equals(certificate)) {
      throw CliException.input(chainFile + ": does not start with the CA's certificate " + certificateFile);
    }
    CaState state = CaState.read(directory.resolve(STATE));
    PrivateKey key = null;
    if (withKey) {
      Path keyFile = directory.resolve(KEY);
      char[] password = isEncrypted(keyFile)
          ? passwords.required(context, "to use the CA key " + keyFile)
          : null;
      key = Pem.readPrivateKey(keyFile, password);
      Certificates.requireKeyMatches(key, certificate, keyFile + " (key) and " + certificateFile + " (certificate)");
    }
    return new CaDirectory(directory, chain, key, state);
  }

  /**
   * Writes a new CA directory: certificate, key (encrypted if a password is given, owner-only),
   * chain for an intermediate, and a fresh state. Refuses a directory that holds a CA unless
   * {@code force}.
   */
  static void create(Path directory, CertifiedKey ca, CaState state, char[] password, boolean force) {
    if (!force && holdsCa(directory)) {
      throw CliException.input(directory + " already holds a CA; use --force to replace it");
    }
    OutputFiles.createDirectory(directory);
    String key = password == null
        ? Pem.writePrivateKey(ca.privateKey())
        : Pem.writeEncryptedPrivateKey(ca.privateKey(), password);
    OutputFiles.writeText(directory.resolve(KEY), key, true);
    OutputFiles.writeText(directory.resolve(CERTIFICATE), Pem.writeCertificates(ca.certificate()), false);
    Path chainFile = directory.resolve(CHAIN);
    if (ca.chain().size() > 1) {
      OutputFiles.writeText(chainFile, Pem.writeCertificates(ca.chain()), false);
    } else {
      deleteQuietly(chainFile);
    }
    Path issued = directory.resolve(ISSUED);
    if (Files.isDirectory(issued)) {
      // A replaced CA starts with no issued certificates.
      try (var old = Files.list(issued)) {
        for (Path file : (Iterable<Path>) old::iterator) {
          deleteQuietly(file);
        }
      } catch (IOException e) {
        throw CliException.input(issued + ": cannot clear the replaced CA's certificates ("
            + Problems.describe(e) + ")", e);
      }
    }
    state.write(directory.resolve(STATE));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw CliException.input(file + ": cannot delete (" + Problems.describe(e) + ")", e);
    }
  }

  /** Whether a PEM key file is encrypted (PKCS#8 or OpenSSL's legacy encryption). */
  static boolean isEncrypted(Path keyFile) {
    try {
      String text = Files.readString(keyFile, StandardCharsets.ISO_8859_1);
      return text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED");
    } catch (IOException e) {
      throw CliException.input(keyFile + ": cannot read the key (" + Problems.describe(e) + ")", e);
    }
  }

  Path directory() {
    return directory;
  }

  X509Certificate certificate() {
    return chain.get(0);
  }

  CaState state() {
    return state;
  }

  /** The CA with its key, to sign with. */
  CertifiedKey signer() {
    if (key == null) {
      throw new IllegalStateException("opened without its key: " + directory);
    }
    return new CertifiedKey(key, chain);
  }

  /** The CA's certificate and its issuers, without the self-signed root: what peers are sent. */
  List<X509Certificate> chainWithoutRoot() {
    List<X509Certificate> sent = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      if (!Certificates.isSelfSigned(certificate)) {
        sent.add(certificate);
      }
    }
    return sent;
  }

  boolean isRoot() {
    return Certificates.isSelfSigned(certificate());
  }

  /** Writes the state's OCSP and CRL URLs into a certificate being issued. */
  void addUrls(CertificateBuilder builder) {
    if (state.ocspUrl != null) {
      builder.ocspResponder(URI.create(state.ocspUrl));
    }
    if (state.crlUrl != null) {
      builder.crlDistributionPoint(URI.create(state.crlUrl));
    }
  }

  /** Records a certificate this CA issued: in the state file and as {@code issued/SERIAL.crt}. */
  void record(X509Certificate issued, String profile) {
    CaState.Issued entry = new CaState.Issued();
    entry.serial = issued.getSerialNumber().toString(16);
    entry.subject = issued.getSubjectX500Principal().getName();
    entry.profile = profile;
    entry.notBefore = issued.getNotBefore().toInstant().toString();
    entry.notAfter = issued.getNotAfter().toInstant().toString();
    state.certificates.add(entry);
    OutputFiles.writeText(issuedFile(issued.getSerialNumber()), Pem.writeCertificates(issued), false);
    saveState();
  }

  void saveState() {
    state.write(directory.resolve(STATE));
  }

  Path issuedFile(BigInteger serial) {
    return directory.resolve(ISSUED).resolve(serial.toString(16) + ".crt");
  }

  /** The certificate this CA issued with a serial, if it has a copy of it. */
  Optional<X509Certificate> issued(BigInteger serial) {
    Path file = issuedFile(serial);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pem.readCertificates(file).get(0));
    } catch (PkiException e) {
      return Optional.empty();
    }
  }
}
