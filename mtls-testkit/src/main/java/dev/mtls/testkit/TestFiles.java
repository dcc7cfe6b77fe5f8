package dev.mtls.testkit;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.Pkcs12;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Writes test material to files, for code under test that reads files. Nothing is written unless
 * one of these methods is called, and only into the directory the caller names (a JUnit
 * {@code @TempDir}, typically). Existing files are replaced, so a test can rewrite material to
 * exercise reloading.
 */
public final class TestFiles {
  private TestFiles() {}

  /**
   * Where {@link #writePem(Path, String, CertifiedKey)} put an identity.
   *
   * @param certificateChain the PEM file with the certificate chain, leaf first
   * @param privateKey the PEM file with the unencrypted PKCS#8 private key
   */
  public record PemIdentity(Path certificateChain, Path privateKey) {}

  /**
   * Writes an identity as {@code NAME.crt} (the chain, leaf first) and {@code NAME.key} (the
   * unencrypted PKCS#8 key) in the directory.
   *
   * @param directory an existing directory
   * @param name the file name stem, such as {@code server}
   * @param identity the key and chain
   * @return the two paths
   */
  public static PemIdentity writePem(Path directory, String name, CertifiedKey identity) {
    Path chain = write(directory, name + ".crt", Pem.writeCertificates(identity.chain()));
    Path key = write(directory, name + ".key", Pem.writePrivateKey(identity.privateKey()));
    return new PemIdentity(chain, key);
  }

  /**
   * Writes an identity as {@code NAME.crt} and {@code NAME.key}, the key encrypted with the
   * password (PKCS#8, AES-256, PBKDF2).
   *
   * @param directory an existing directory
   * @param name the file name stem
   * @param identity the key and chain
   * @param password the key's password
   * @return the two paths
   */
  public static PemIdentity writeEncryptedPem(
      Path directory, String name, CertifiedKey identity, char[] password) {
    Path chain = write(directory, name + ".crt", Pem.writeCertificates(identity.chain()));
    Path key = write(directory, name + ".key",
        Pem.writeEncryptedPrivateKey(identity.privateKey(), password));
    return new PemIdentity(chain, key);
  }

  /**
   * Writes certificates (a CA bundle, usually {@code ca.certificate()}) as {@code FILE_NAME}.
   *
   * @param directory an existing directory
   * @param fileName the file name, such as {@code ca.pem}
   * @param certificates the certificates, at least one
   * @return the path
   */
  public static Path writeCertificates(
      Path directory, String fileName, X509Certificate... certificates) {
    if (certificates.length == 0) {
      throw new IllegalArgumentException("No certificates to write to " + fileName);
    }
    return write(directory, fileName, Pem.writeCertificates(List.of(certificates)));
  }

  /**
   * Writes an identity as a PKCS#12 file {@code NAME.p12}.
   *
   * @param directory an existing directory
   * @param name the file name stem
   * @param identity the key and chain
   * @param password the file's password
   * @return the path
   */
  public static Path writePkcs12(
      Path directory, String name, CertifiedKey identity, char[] password) {
    return write(directory, name + ".p12", Pkcs12.writeIdentity(identity, password));
  }

  /**
   * Writes trusted certificates as a trust-only PKCS#12 file {@code NAME.p12}.
   *
   * @param directory an existing directory
   * @param name the file name stem
   * @param password the file's password
   * @param certificates the trusted certificates, at least one
   * @return the path
   */
  public static Path writePkcs12Trust(
      Path directory, String name, char[] password, X509Certificate... certificates) {
    return write(directory, name + ".p12", Pkcs12.writeTrust(List.of(certificates), password));
  }

  private static Path write(Path directory, String fileName, String text) {
    return write(directory, fileName, text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static Path write(Path directory, String fileName, byte[] content) {
    Objects.requireNonNull(directory, "directory");
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("Not a directory: " + directory);
    }
    Path file = directory.resolve(fileName);
    try {
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
