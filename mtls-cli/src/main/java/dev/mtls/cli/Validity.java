package dev.mtls.cli;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** Validity periods of issued certificates. */
final class Validity {
  /** How far back a new certificate's validity starts, so that peers with slow clocks accept it. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private Validity() {}

  static void checkDays(int days) {
    if (days < 1) {
      throw CliException.input("--days " + days + ": expected a number of days of at least 1");
    }
  }

  static Instant notBefore(Instant now) {
    return now.minus(BACKDATE);
  }

  /** The end of a new certificate's validity, but never after its issuer's. */
  static Instant notAfter(Instant now, int days, X509Certificate issuer) {
    Instant wanted = now.plus(Duration.ofDays(days));
    Instant issuerEnd = issuer.getNotAfter().toInstant();
    return wanted.isAfter(issuerEnd) ? issuerEnd : wanted;
  }
}
