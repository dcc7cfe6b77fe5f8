package dev.mtls.core;

import dev.mtls.pki.Pem;
import dev.mtls.pki.PkiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The trust source implementations. */
final class TrustSources {
  static final TrustSource SYSTEM = new SystemDefault();

  private TrustSources() {}

  static List<X509Certificate> nonEmpty(List<X509Certificate> certificates, String description) {
    if (certificates.isEmpty()) {
      throw new PkiException(description + ": found no certificates; expected at least one"
          + " trusted CA certificate (an empty trust store trusts nothing)");
    }
    return List.copyOf(certificates);
  }

  record PemFile(Path file) implements TrustSource {
    @Override
    public List<X509Certificate> load() {
      return nonEmpty(Pem.readCertificates(file), description());
    }

    @Override
    public List<Path> files() {
      return List.of(file);
    }

    @Override
    public String description() {
      return "PEM file " + file;
    }
  }

  record PemDirectory(Path directory) implements TrustSource {
    @Override
    public List<X509Certificate> load() {
      if (!Files.isDirectory(directory)) {
        throw new PkiException(directory + ": found " + (Files.exists(directory)
            ? "a file" : "no such directory") + "; expected a directory of PEM certificate files");
      }
      List<Path> files;
      try (Stream<Path> entries = Files.list(directory)) {
        files = entries
            .filter(p -> Files.isRegularFile(p) && isCertificateFile(p))
            .sorted()
            .collect(Collectors.toList());
      } catch (IOException e) {
        throw new PkiException(directory + ": cannot list the directory", e);
      }
      List<X509Certificate> all = new ArrayList<>();
      for (Path file : files) {
        all.addAll(Pem.readCertificates(file));
      }
      return nonEmpty(all, description() + " (" + files.size() + " .pem/.crt/.cer files)");
    }

    private static boolean isCertificateFile(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return !name.startsWith(".")
          && (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer"));
    }

    @Override
    public List<Path> files() {
      return List.of(directory);
    }

    @Override
    public String description() {
      return "PEM directory " + directory;
    }
  }

  record Pkcs12(Path file, char[] password) implements TrustSource {
    @Override
    public List<X509Certificate> load() {
      return nonEmpty(dev.mtls.pki.Pkcs12.readTrust(file, password), description());
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

  record JdkKeyStore(Path file, String type, char[] password) implements TrustSource {
    @Override
    public List<X509Certificate> load() {
      KeyStore store = FileIdentitySources.load(file, type, password);
      try {
        List<String> aliases = Collections.list(store.aliases());
        Collections.sort(aliases);
        List<X509Certificate> trusted = new ArrayList<>();
        for (String alias : aliases) {
          if (store.isCertificateEntry(alias)) {
            Certificate certificate = store.getCertificate(alias);
            if (certificate instanceof X509Certificate x509) {
              trusted.add(x509);
            }
          }
        }
        return nonEmpty(trusted, description());
      } catch (GeneralSecurityException e) {
        throw new PkiException(file + ": cannot read the key store's entries", e);
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

  record InMemory(List<X509Certificate> certificates) implements TrustSource {
    InMemory {
      certificates = List.copyOf(certificates);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("TrustSource.of needs at least one certificate");
      }
    }

    @Override
    public List<X509Certificate> load() {
      return certificates;
    }

    @Override
    public String description() {
      return "in-memory certificates " + certificates.stream()
          .map(c -> "'" + c.getSubjectX500Principal().getName() + "'")
          .collect(Collectors.joining(", "));
    }
  }

  record Combined(List<TrustSource> sources) implements TrustSource {
    Combined {
      sources = List.copyOf(sources);
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("TrustSource.combined needs at least one source");
      }
    }

    @Override
    public List<X509Certificate> load() {
      Set<X509Certificate> all = new LinkedHashSet<>();
      for (TrustSource source : sources) {
        all.addAll(source.load());
      }
      return List.copyOf(all);
    }

    @Override
    public List<Path> files() {
      return sources.stream().flatMap(s -> s.files().stream()).distinct().toList();
    }

    @Override
    public String description() {
      return sources.stream().map(TrustSource::description)
          .collect(Collectors.joining(" + ", "combined(", ")"));
    }
  }

  /** The JVM's default trust store, read through the default trust manager factory. */
  static final class SystemDefault implements TrustSource {
    @Override
    public List<X509Certificate> load() {
      try {
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
          if (manager instanceof X509TrustManager x509) {
            return nonEmpty(List.of(x509.getAcceptedIssuers()), description());
          }
        }
        throw new PkiException(description() + ": the JDK offers no X.509 trust manager");
      } catch (GeneralSecurityException e) {
        throw new PkiException(description() + ": cannot read the JDK's default trust store", e);
      }
    }

    @Override
    public String description() {
      return "the JDK's default trust store";
    }

    @Override
    public String toString() {
      return description();
    }
  }
}
