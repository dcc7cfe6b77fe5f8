package dev.mtls.pki;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One CRL distribution point of a certificate (RFC 5280 section 4.2.1.13): where the CRL that
 * covers the certificate can be fetched, which revocation reasons that CRL covers, and who
 * issues it if not the certificate's issuer.
 *
 * @param fullName the names of the CRL, usually one HTTP URI; empty if the point has no full name
 * @param nameRelativeToCrlIssuer the RFC 2253 form of a name relative to the CRL issuer, if the
 *     point is named that way instead of with a full name
 * @param reasons the reasons the CRL covers; empty if it covers all of them
 * @param crlIssuer the issuer of the CRL if it is not the certificate's issuer (an indirect CRL)
 */
public record DistributionPoint(
    List<GeneralName> fullName,
    Optional<String> nameRelativeToCrlIssuer,
    Set<RevocationReason> reasons,
    List<GeneralName> crlIssuer) {

  /**
   * Copies the collections.
   *
   * @param fullName the names of the CRL
   * @param nameRelativeToCrlIssuer a name relative to the CRL issuer, if any
   * @param reasons the reasons the CRL covers
   * @param crlIssuer the issuer of the CRL, if not the certificate's issuer
   */
  public DistributionPoint {
    fullName = List.copyOf(Objects.requireNonNull(fullName, "fullName"));
    Objects.requireNonNull(nameRelativeToCrlIssuer, "nameRelativeToCrlIssuer");
    reasons = Set.copyOf(Objects.requireNonNull(reasons, "reasons"));
    crlIssuer = List.copyOf(Objects.requireNonNull(crlIssuer, "crlIssuer"));
  }
}
