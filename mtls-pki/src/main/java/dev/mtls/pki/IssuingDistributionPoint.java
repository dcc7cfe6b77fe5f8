package dev.mtls.pki;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The issuing distribution point extension of a CRL (RFC 5280 section 5.2.5): which
 * distribution point and which kinds of certificate the CRL covers. A relying party must check
 * that a CRL with this extension actually covers the certificate it is asked about: a CRL that
 * only contains CA certificates says nothing about a leaf.
 *
 * @param fullName the names of the distribution point; empty if absent
 * @param nameRelativeToCrlIssuer the RFC 2253 form of a name relative to the CRL issuer, if the
 *     point is named that way
 * @param onlyContainsUserCerts the CRL covers end-entity certificates only
 * @param onlyContainsCaCerts the CRL covers CA certificates only
 * @param onlySomeReasons the reasons the CRL covers; empty if it covers all of them
 * @param indirectCrl the CRL may list certificates of other issuers
 * @param onlyContainsAttributeCerts the CRL covers attribute certificates only
 */
public record IssuingDistributionPoint(
    List<GeneralName> fullName,
    Optional<String> nameRelativeToCrlIssuer,
    boolean onlyContainsUserCerts,
    boolean onlyContainsCaCerts,
    Set<RevocationReason> onlySomeReasons,
    boolean indirectCrl,
    boolean onlyContainsAttributeCerts) {

  /**
   * Checks and copies the values.
   *
   * @param fullName the names of the distribution point
   * @param nameRelativeToCrlIssuer a name relative to the CRL issuer, if any
   * @param onlyContainsUserCerts end-entity certificates only
   * @param onlyContainsCaCerts CA certificates only
   * @param onlySomeReasons the reasons covered
   * @param indirectCrl whether the CRL is indirect
   * @param onlyContainsAttributeCerts attribute certificates only
   * @throws IllegalArgumentException if more than one of the "only contains" flags is set
   */
  public IssuingDistributionPoint {
    fullName = List.copyOf(Objects.requireNonNull(fullName, "fullName"));
    Objects.requireNonNull(nameRelativeToCrlIssuer, "nameRelativeToCrlIssuer");
    onlySomeReasons = Set.copyOf(Objects.requireNonNull(onlySomeReasons, "onlySomeReasons"));
    int only = (onlyContainsUserCerts ? 1 : 0) + (onlyContainsCaCerts ? 1 : 0)
        + (onlyContainsAttributeCerts ? 1 : 0);
    if (only > 1) {
      throw new IllegalArgumentException("At most one of onlyContainsUserCerts,"
          + " onlyContainsCACerts and onlyContainsAttributeCerts may be set");
    }
  }
}
