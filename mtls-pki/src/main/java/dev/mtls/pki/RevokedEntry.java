package dev.mtls.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One revoked certificate listed in a CRL.
 *
 * @param serialNumber the serial number of the revoked certificate
 * @param revocationDate when the certificate was revoked
 * @param reason why, if the entry says ({@code reasonCode}); RFC 5280 leaves the code out rather
 *     than writing {@link RevocationReason#UNSPECIFIED}
 * @param invalidityDate when the key is known or suspected to have been compromised, if given
 * @param certificateIssuer the issuer of the revoked certificate in an indirect CRL (from this
 *     entry's {@code certificateIssuer} extension or the nearest earlier entry that has one);
 *     empty when it is the CRL's issuer
 */
public record RevokedEntry(
    BigInteger serialNumber,
    Instant revocationDate,
    Optional<RevocationReason> reason,
    Optional<Instant> invalidityDate,
    List<GeneralName> certificateIssuer) {

  /**
   * Checks and copies the values.
   *
   * @param serialNumber the serial number
   * @param revocationDate when the certificate was revoked
   * @param reason the reason, if any
   * @param invalidityDate the invalidity date, if any
   * @param certificateIssuer the issuer of the certificate if not the CRL issuer
   */
  public RevokedEntry {
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(revocationDate, "revocationDate");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(invalidityDate, "invalidityDate");
    certificateIssuer = List.copyOf(Objects.requireNonNull(certificateIssuer, "certificateIssuer"));
  }
}
