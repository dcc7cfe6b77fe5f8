package dev.mtls.core.revocation;

import dev.mtls.pki.RevocationReason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What revocation checking found for one certificate of a verified path.
 *
 * @param index the certificate's index in the path (0 = the peer's own certificate)
 * @param subject the certificate's subject (RFC 2253)
 * @param serial the certificate's serial number
 * @param status the finding
 * @param source what answered ({@code ocsp http://...}, {@code stapled ocsp},
 *     {@code crl http://...}, {@code crl file ...}), or for {@code UNAVAILABLE} what was tried
 * @param reason the revocation reason, when revoked and the source gave one
 * @param revokedAt when it was revoked, when revoked
 * @param detail why the status is {@code UNKNOWN} or {@code UNAVAILABLE}, else null
 */
public record RevocationStatus(
    int index,
    String subject,
    BigInteger serial,
    Status status,
    String source,
    Optional<RevocationReason> reason,
    Optional<Instant> revokedAt,
    String detail) {

  /** The finding for one certificate. */
  public enum Status {
    /** A source says the certificate is not revoked. */
    GOOD,
    /** A source says the certificate is revoked. */
    REVOKED,
    /** The sources that answered do not know the certificate (OCSP {@code unknown}). */
    UNKNOWN,
    /** No source could answer: responders unreachable or erroring, CRLs missing or stale. */
    UNAVAILABLE
  }

  /**
   * Validates the fields.
   *
   * @param index the index
   * @param subject the subject
   * @param serial the serial
   * @param status the status
   * @param source the source
   * @param reason the reason
   * @param revokedAt the revocation time
   * @param detail the detail
   */
  public RevocationStatus {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /**
   * Describes the finding in one line, for diagnoses and events: {@code [0] good (crl http://..)},
   * {@code [1] revoked KEY_COMPROMISE at 2026-.. (ocsp http://..)}.
   *
   * @return the text
   */
  public String describe() {
    StringBuilder text = new StringBuilder("[").append(index).append("] ")
        .append(status.name().toLowerCase(Locale.ROOT));
    reason.ifPresent(r -> text.append(' ').append(r.name()));
    revokedAt.ifPresent(at -> text.append(" at ").append(at));
    text.append(" (").append(source).append(')');
    if (detail != null) {
      text.append(": ").append(detail);
    }
    return text.toString();
  }
}
