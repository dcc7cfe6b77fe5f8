package dev.mtls.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate in use comes within a configured threshold of its expiry, or has expired. Each
 * certificate is reported once per threshold it crosses (only the nearest one when several are
 * crossed at once, as when a configuration starts with a certificate that expires tomorrow).
 *
 * @param at when the monitor noticed
 * @param material whether the certificate is part of the identity or a trust anchor
 * @param source the description of the source it came from
 * @param certificate the certificate
 * @param threshold the threshold crossed ({@link Duration#ZERO} once it has expired)
 * @param remaining the time left until {@code notAfter}: negative once expired
 */
public record ExpiryEvent(
    Instant at,
    ReloadEvent.Material material,
    String source,
    CertificateSummary certificate,
    Duration threshold,
    Duration remaining) implements MtlsEvent {

  /**
   * Validates the fields.
   *
   * @param at when
   * @param material which material
   * @param source the source
   * @param certificate the certificate
   * @param threshold the threshold
   * @param remaining the time left
   */
  public ExpiryEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(remaining, "remaining");
  }

  /**
   * Returns whether the certificate has expired.
   *
   * @return true if no time remains
   */
  public boolean expired() {
    return remaining.isNegative() || remaining.isZero();
  }
}
