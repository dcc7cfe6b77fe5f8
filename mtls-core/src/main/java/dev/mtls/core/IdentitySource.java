package dev.mtls.core;

import dev.mtls.pki.CertifiedKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a peer's own identity (a private key and its certificate chain) comes from: PEM files, a
 * PKCS#12 or JKS key store, or material already in memory.
 *
 * <p>A source describes material; {@link #load()} reads it. Files are read when a configuration
 * is built (and again when it reloads), never when a source is created, so a source can name
 * files that do not exist yet.
 */
public interface IdentitySource {

  /**
   * Reads the identities this source holds.
   *
   * @return at least one key with its chain, in a stable order
   * @throws dev.mtls.pki.PkiException if the material cannot be read, naming the source
   */
  List<CertifiedKey> load();

  /**
   * Describes the source for messages and logs: the paths involved, never secrets.
   *
   * @return a short description such as {@code PEM files server.crt + server.key}
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
   * An identity from PEM files: the certificate chain (leaf first) and an unencrypted private key.
   *
   * @param certificateChain the PEM file with the chain
   * @param privateKey the PEM file with the key (PKCS#8, PKCS#1 or SEC1)
   * @return the source
   */
  static IdentitySource pemFiles(Path certificateChain, Path privateKey) {
    return new FileIdentitySources.Pem(certificateChain, privateKey, null);
  }

  /**
   * An identity from PEM files whose private key is encrypted.
   *
   * @param certificateChain the PEM file with the chain
   * @param privateKey the PEM file with the encrypted key
   * @param password the key's password (copied)
   * @return the source
   */
  static IdentitySource pemFiles(Path certificateChain, Path privateKey, char[] password) {
    return new FileIdentitySources.Pem(certificateChain, privateKey,
        Objects.requireNonNull(password, "password").clone());
  }

  /**
   * Identities from a PKCS#12 file: every private key entry, with its chain.
   *
   * @param file the PKCS#12 file
   * @param password the file's password (copied)
   * @return the source
   */
  static IdentitySource pkcs12(Path file, char[] password) {
    return new FileIdentitySources.Pkcs12(file, Objects.requireNonNull(password, "password").clone());
  }

  /**
   * Identities from a Java key store file of the given type ({@code JKS} or {@code PKCS12}),
   * read with the JDK's own {@link java.security.KeyStore}.
   *
   * @param file the key store file
   * @param type the key store type
   * @param storePassword the store's password (copied)
   * @param keyPassword the keys' password (copied; often the same as the store's)
   * @return the source
   */
  static IdentitySource keyStore(Path file, String type, char[] storePassword, char[] keyPassword) {
    return new FileIdentitySources.JdkKeyStore(file, type, storePassword.clone(), keyPassword.clone());
  }

  /**
   * Identities already in memory, for instance from the test kit.
   *
   * @param identities one or more keys with their chains
   * @return the source
   */
  static IdentitySource of(CertifiedKey... identities) {
    List<CertifiedKey> list = List.of(identities);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("IdentitySource.of needs at least one identity");
    }
    return new IdentitySource() {
      @Override
      public List<CertifiedKey> load() {
        return list;
      }

      @Override
      public String description() {
        return "in-memory identities " + list;
      }

      @Override
      public String toString() {
        return description();
      }
    };
  }
}
