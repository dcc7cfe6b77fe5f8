package dev.mtls.cli;

import dev.mtls.pki.CertificateBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options {@code ca create} and {@code ca intermediate} share. */
final class CaOptions {
  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "The CA directory to create.")
  Path dir;

  @Option(names = "--key", paramLabel = "TYPE", defaultValue = "ec-p256",
      converter = KeyChoice.Converter.class, completionCandidates = KeyChoice.Candidates.class,
      description = "Key type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeyChoice key;

  @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
      description = "Validity in days (default: ${DEFAULT-VALUE}, ten years).")
  int days;

  @Option(names = "--ocsp-url", paramLabel = "URL",
      description = "OCSP responder URL written into the AIA of the certificates this CA issues"
          + " (for example the address of mtls ocsp-responder).")
  String ocspUrl;

  @Option(names = "--crl-url", paramLabel = "URL",
      description = "CRL URL written into the CRL distribution points of what this CA issues.")
  String crlUrl;

  @Option(names = "--force", description = "Replace a CA already in DIR.")
  boolean force;

  /** Checks the values that picocli cannot. */
  void validate() {
    Validity.checkDays(days);
    checkUrl("--ocsp-url", ocspUrl);
    checkUrl("--crl-url", crlUrl);
  }

  /** Refuses a directory that already holds a CA, unless {@code --force}. */
  void refuseExistingCa() {
    if (!force && CaDirectory.holdsCa(dir)) {
      throw CliException.input(dir + " already holds a CA; use --force to replace it");
    }
  }

  static void checkUrl(String option, String url) {
    if (url == null) {
      return;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw CliException.input(option + " '" + url + "': expected an http:// or https:// URL with a host");
      }
    } catch (URISyntaxException e) {
      throw CliException.input(option + " '" + url + "': not a URL (" + e.getReason() + ")", e);
    }
  }

  /** Sets the subject, refusing a malformed distinguished name with the value in the message. */
  static void subject(CertificateBuilder builder, String subject) {
    try {
      builder.subject(subject);
    } catch (IllegalArgumentException e) {
      throw CliException.input("--subject '" + subject + "': not a distinguished name such as"
          + " 'CN=Dev CA,O=Example' (" + e.getMessage() + ")", e);
    }
  }

  static Instant notAfter(Instant now, int days) {
    return now.plus(Duration.ofDays(days));
  }
}
