package dev.mtls.pki;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The status of one certificate in an OCSP response: the {@code SingleResponse} of RFC 6960
 * section 4.2.1.
 *
 * @param certificateId the certificate this status is for
 * @param status good, revoked or unknown
 * @param revocationTime when the certificate was revoked; present exactly when revoked
 * @param revocationReason why, if the responder says; only when revoked
 * @param thisUpdate the time at which the status is known to be correct
 * @param nextUpdate the time at or before which newer information will be available; empty if
 *     the responder always has newer information
 */
public record OcspSingleResponse(
    OcspCertificateId certificateId,
    OcspCertificateStatus status,
    Optional<Instant> revocationTime,
    Optional<RevocationReason> revocationReason,
    Instant thisUpdate,
    Optional<Instant> nextUpdate) {

  /**
   * Checks the values.
   *
   * @param certificateId the certificate
   * @param status the status
   * @param revocationTime the revocation time, if revoked
   * @param revocationReason the reason, if revoked and given
   * @param thisUpdate the time the status is known correct
   * @param nextUpdate the time newer information will be available, if given
   * @throws IllegalArgumentException if a revocation time is missing for a revoked status, or a
   *     revocation time or reason is given for another status
   */
  public OcspSingleResponse {
    Objects.requireNonNull(certificateId, "certificateId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(revocationTime, "revocationTime");
    Objects.requireNonNull(revocationReason, "revocationReason");
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    boolean revoked = status == OcspCertificateStatus.REVOKED;
    if (revoked != revocationTime.isPresent()) {
      throw new IllegalArgumentException("status " + status + " with revocationTime "
          + revocationTime + ": a revocation time goes with REVOKED and only with it");
    }
    if (!revoked && revocationReason.isPresent()) {
      throw new IllegalArgumentException("status " + status + " with revocationReason "
          + revocationReason.get() + ": a reason goes with REVOKED only");
    }
  }
}
