package dev.mtls.core;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.PkiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** The file-backed identity sources. */
final class FileIdentitySources {
  private FileIdentitySources() {}

  /** A chain and a key in PEM files. */
  record Pem(Path certificateChain, Path privateKey, char[] password) implements IdentitySource {
    Pem {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public List<CertifiedKey> load() {
      return List.of(dev.mtls.pki.Pem.readCertifiedKey(certificateChain, privateKey, password));
    }

    @Override
    public List<Path> files() {
      return List.of(certificateChain, privateKey);
    }

    @Override
    public String description() {
      return "PEM files " + certificateChain + " + " + privateKey;
    }

    @Override
    public String toString() {
      return description();
    }
  }

  /** Every key entry of a PKCS#12 file, read with mtls-pki (which also reads legacy files). */
  record Pkcs12(Path file, char[] password) implements IdentitySource {
    Pkcs12 {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public List<CertifiedKey> load() {
      return List.of(dev.mtls.pki.Pkcs12.readIdentity(file, password));
    }

    @Override
    public List<Path> files() {
      return List.of(file);
    }

    @Override
    public String description() {
      return "PKCS#12 file " + file;
    }

    @Override
    public String toString() {
      return description();
    }
  }

  /** Every key entry of a JDK key store file, in alias order. */
  record JdkKeyStore(Path file, String type, char[] storePassword, char[] keyPassword)
      implements IdentitySource {
    JdkKeyStore {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(type, "type");
    }

    @Override
    public List<CertifiedKey> load() {
      KeyStore store = FileIdentitySources.load(file, type, storePassword);
      try {
        List<String> aliases = Collections.list(store.aliases());
        Collections.sort(aliases);
        List<CertifiedKey> identities = new ArrayList<>();
        for (String alias : aliases) {
          if (!store.isKeyEntry(alias)) {
            continue;
          }
          Key key = store.getKey(alias, keyPassword);
          Certificate[] chain = store.getCertificateChain(alias);
          if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
            continue;
          }
          List<X509Certificate> certificates = new ArrayList<>();
          for (Certificate c : chain) {
            certificates.add((X509Certificate) c);
          }
          dev.mtls.pki.Certificates.requireKeyMatches(
              privateKey, certificates.get(0), file + " (alias '" + alias + "')");
          identities.add(new CertifiedKey(privateKey, certificates));
        }
        if (identities.isEmpty()) {
          throw new PkiException(file + ": found no private key entry among " + aliases.size()
              + " entries " + aliases + "; expected at least one key with its certificate chain");
        }
        return List.copyOf(identities);
      } catch (GeneralSecurityException e) {
        throw new PkiException(file + ": cannot read a key (wrong key password?); expected the"
            + " password the keys were stored with", e);
      }
    }

    @Override
    public List<Path> files() {
      return List.of(file);
    }

    @Override
    public String description() {
      return type + " key store " + file;
    }

    @Override
    public String toString() {
      return description();
    }
  }

  static KeyStore load(Path file, String type, char[] password) {
    if (Files.isDirectory(file)) {
      throw new PkiException(file + ": found a directory; expected a " + type + " key store file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password);
      return store;
    } catch (IOException e) {
      if (e.getCause() instanceof java.security.UnrecoverableKeyException
          || String.valueOf(e.getMessage()).contains("password")) {
        throw new PkiException(file + ": found a key store that does not open with the given"
            + " password (wrong password); expected the password the store was made with", e);
      }
      throw new PkiException(file + ": cannot read a " + type + " key store ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new PkiException(file + ": cannot read a " + type + " key store", e);
    }
  }
}
