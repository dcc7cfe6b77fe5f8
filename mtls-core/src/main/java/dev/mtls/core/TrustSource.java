package dev.mtls.core;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Where the certificates a peer trusts come from: the CAs whose certificates may sign the other
 * side's certificate. PEM bundle files and directories, PKCS#12 and JKS stores, the JDK's default
 * trust store, certificates in memory, and combinations of these.
 *
 * <p>An empty trust source is an error, never "trust nothing" or "trust everything": a trust
 * store file that reads as empty usually means a wrong file or a format the reader does not
 * understand, and the error says which file.
 */
public interface TrustSource {

  /**
   * Reads the trusted certificates.
   *
   * @return at least one certificate
   * @throws dev.mtls.pki.PkiException if the material cannot be read or is empty, naming the
   *     source
   */
  List<X509Certificate> load();

  /**
   * Describes the source for messages and logs.
   *
   * @return a short description such as {@code PEM file ca.pem}
   */
  String description();

  /**
   * Returns the files (or, for a directory source, the directory) this source reads, for
   * {@linkplain ReloadPolicy#watch() watching}; empty for material that is not file-backed.
   *
   * @return the paths, as configured
   */
  default List<Path> files() {
    return List.of();
  }

  /**
   * Trusts the certificates in a PEM bundle file.
   *
   * @param file a file of one or more {@code CERTIFICATE} blocks
   * @return the source
   */
  static TrustSource pemFile(Path file) {
    return new TrustSources.PemFile(Objects.requireNonNull(file, "file"));
  }

  /**
   * Trusts the certificates in every {@code .pem}, {@code .crt} and {@code .cer} file of a
   * directory (not its subdirectories), as OpenSSL's {@code -CApath} and Kubernetes CA bundles
   * lay them out. Other files are ignored; a file with those extensions that does not parse is an
   * error.
   *
   * @param directory the directory
   * @return the source
   */
  static TrustSource pemDirectory(Path directory) {
    return new TrustSources.PemDirectory(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * Trusts the certificate entries of a PKCS#12 file (including trust-only files made by
   * {@code openssl pkcs12 -export -nokeys}, which the JDK's key store reads as empty).
   *
   * @param file the PKCS#12 file
   * @param password the file's password (copied)
   * @return the source
   */
  static TrustSource pkcs12(Path file, char[] password) {
    return new TrustSources.Pkcs12(Objects.requireNonNull(file, "file"), password.clone());
  }

  /**
   * Trusts the trusted-certificate entries of a Java key store of the given type ({@code JKS} or
   * {@code PKCS12}), read with the JDK's {@link java.security.KeyStore}.
   *
   * @param file the key store file
   * @param type the key store type
   * @param password the store's password (copied)
   * @return the source
   */
  static TrustSource keyStore(Path file, String type, char[] password) {
    return new TrustSources.JdkKeyStore(Objects.requireNonNull(file, "file"),
        Objects.requireNonNull(type, "type"), password.clone());
  }

  /**
   * Trusts the JDK's default trust store ({@code cacerts}, or whatever the JVM was configured to
   * use): the public web PKI. Rarely right for mutual TLS between your own services, whose
   * clients should be certified by your own CA.
   *
   * @return the source
   */
  static TrustSource system() {
    return TrustSources.SYSTEM;
  }

  /**
   * Trusts certificates already in memory, for instance a test kit CA.
   *
   * @param certificates one or more CA certificates
   * @return the source
   */
  static TrustSource of(X509Certificate... certificates) {
    return new TrustSources.InMemory(List.of(certificates));
  }

  /**
   * Trusts the union of several sources (duplicates removed). Each source must load at least one
   * certificate.
   *
   * @param sources two or more sources
   * @return the source
   */
  static TrustSource combined(TrustSource... sources) {
    return new TrustSources.Combined(List.of(sources));
  }
}
