package dev.mtls.pki;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ReasonFlags;

/**
 * Encodes the parts shared by a certificate's CRL distribution points and a CRL's issuing
 * distribution point: the distribution point name and the {@code ReasonFlags}, for
 * {@link CertificateSigner} and {@link CrlBuilder}.
 */
final class DistributionPointEncoder {
  private DistributionPointEncoder() {}

  /**
   * Checks that reasons fit in {@code ReasonFlags}, which has no bit for
   * {@link RevocationReason#UNSPECIFIED} or {@link RevocationReason#REMOVE_FROM_CRL}.
   *
   * @param what the option, for messages
   * @param reasons the reasons
   * @return a copy
   */
  static Set<RevocationReason> checkReasons(String what, Collection<RevocationReason> reasons) {
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException(what + " needs at least one reason");
    }
    Set<RevocationReason> copy = EnumSet.noneOf(RevocationReason.class);
    for (RevocationReason reason : reasons) {
      copy.add(java.util.Objects.requireNonNull(reason, "reason"));
    }
    if (copy.contains(RevocationReason.UNSPECIFIED) || copy.contains(RevocationReason.REMOVE_FROM_CRL)) {
      throw new IllegalArgumentException(what + " cannot include UNSPECIFIED or REMOVE_FROM_CRL"
          + " (ReasonFlags has no bit for them), was " + copy);
    }
    return copy;
  }

  /** The {@code ReasonFlags} for reasons already checked by {@link #checkReasons}. */
  static ReasonFlags reasonFlags(Set<RevocationReason> reasons) {
    int bits = 0;
    for (RevocationReason reason : reasons) {
      bits |= switch (reason) {
        case KEY_COMPROMISE -> ReasonFlags.keyCompromise;
        case CA_COMPROMISE -> ReasonFlags.cACompromise;
        case AFFILIATION_CHANGED -> ReasonFlags.affiliationChanged;
        case SUPERSEDED -> ReasonFlags.superseded;
        case CESSATION_OF_OPERATION -> ReasonFlags.cessationOfOperation;
        case CERTIFICATE_HOLD -> ReasonFlags.certificateHold;
        case PRIVILEGE_WITHDRAWN -> ReasonFlags.privilegeWithdrawn;
        case AA_COMPROMISE -> ReasonFlags.aACompromise;
        case UNSPECIFIED, REMOVE_FROM_CRL -> throw new IllegalArgumentException(
            "ReasonFlags has no bit for " + reason);
      };
    }
    return new ReasonFlags(bits);
  }

  /**
   * Checks a relative distinguished name given in RFC 2253 form, such as {@code CN=Partition 1}.
   *
   * @param rdn the name
   * @return the name
   * @throws IllegalArgumentException if it does not parse or is not exactly one RDN
   */
  static String checkRelativeName(String rdn) {
    relativeName(rdn);
    return rdn;
  }

  private static RDN relativeName(String rdn) {
    RDN[] rdns;
    try {
      rdns = Names.x500(new X500Principal(rdn)).getRDNs();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a relative distinguished name: '" + rdn + "'", e);
    }
    if (rdns.length != 1) {
      throw new IllegalArgumentException("A name relative to the CRL issuer is one RDN, such as"
          + " 'CN=Partition 1'; was '" + rdn + "' (" + rdns.length + " RDNs)");
    }
    return rdns[0];
  }

  /** The distribution point name: the full names, or else a name relative to the CRL issuer. */
  static DistributionPointName name(List<GeneralName> fullName, Optional<String> relativeName) {
    if (!fullName.isEmpty()) {
      return new DistributionPointName(Names.toBc(fullName));
    }
    return relativeName.map(rdn -> new DistributionPointName(
        DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER, relativeName(rdn))).orElse(null);
  }

  /** A certificate's distribution point, checked by {@code CertificateBuilder}. */
  static DistributionPoint encode(dev.mtls.pki.DistributionPoint point) {
    return new DistributionPoint(
        name(point.fullName(), point.nameRelativeToCrlIssuer()),
        point.reasons().isEmpty() ? null : reasonFlags(point.reasons()),
        point.crlIssuer().isEmpty() ? null : Names.toBc(point.crlIssuer()));
  }
}
