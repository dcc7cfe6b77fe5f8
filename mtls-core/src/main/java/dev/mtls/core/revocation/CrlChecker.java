package dev.mtls.core.revocation;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.IssuingDistributionPoint;
import dev.mtls.pki.RevocationReason;
import dev.mtls.pki.RevokedEntry;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Decides one certificate's status from a set of CRLs as RFC 5280 section 6.3 does, not as a bare
 * serial list: a CRL counts only if it is in scope for the certificate (its issuer, directly or
 * as an indirect CRL the certificate's distribution point names; its issuing distribution point's
 * user/CA scope and distribution point name), valid (signed by the CA's key or a CRL signing
 * certificate the CA issued, whose key usage allows cRLSign; a CRL number, not critical; no
 * unknown critical extension; current), and the certificate counts as not revoked only once CRLs
 * covering every reason (onlySomeReasons) have been consulted. A delta CRL for a consulted base
 * CRL is consulted first; its removeFromCRL entries lift a base CRL's certificateHold.
 */
final class CrlChecker {
  private static final Set<RevocationReason> ALL_REASONS = EnumSet.of(
      RevocationReason.KEY_COMPROMISE, RevocationReason.CA_COMPROMISE,
      RevocationReason.AFFILIATION_CHANGED, RevocationReason.SUPERSEDED,
      RevocationReason.CESSATION_OF_OPERATION, RevocationReason.CERTIFICATE_HOLD,
      RevocationReason.PRIVILEGE_WITHDRAWN, RevocationReason.AA_COMPROMISE);

  /** A certificate's CRL status, or why there is none. */
  record Verdict(RevocationStatus.Status status, String source, Optional<RevocationReason> reason,
      Optional<Instant> revokedAt, String detail) {}

  private final Instant now;
  private final Duration skew;

  CrlChecker(Instant now, Duration skew) {
    this.now = now;
    this.skew = skew;
  }

  /**
   * Decides the certificate's status.
   *
   * @param certificate the certificate to check
   * @param info its parsed extensions
   * @param issuer its issuer (the next certificate of the verified path)
   * @param signers other certificates that may sign CRLs (configured CRL signers, the path)
   * @param crls every CRL available
   * @return the verdict
   */
  Verdict check(X509Certificate certificate, CertificateInfo info, X509Certificate issuer,
      List<X509Certificate> signers, List<LoadedCrl> crls) {
    boolean isCa = info.basicConstraints().map(b -> b.ca()).orElse(false);
    List<DistributionPoint> points = info.crlDistributionPoints();
    Set<RevocationReason> covered = EnumSet.noneOf(RevocationReason.class);
    List<String> problems = new ArrayList<>();
    List<String> consulted = new ArrayList<>();
    List<LoadedCrl> deltas = crls.stream().filter(c -> c.info.deltaCrlIndicator().isPresent()).toList();
    for (LoadedCrl crl : crls) {
      if (crl.info.deltaCrlIndicator().isPresent() || !inScope(crl, certificate, isCa, points)) {
        continue;
      }
      String problem = problem(crl, certificate, issuer, signers);
      if (problem != null) {
        problems.add(crl.source + ": " + problem);
        continue;
      }
      Set<RevocationReason> reasons = reasonsOf(crl);
      if (covered.containsAll(reasons)) {
        continue;
      }
      consulted.add(crl.source);
      LoadedCrl delta = deltaFor(crl, deltas, certificate, isCa, points, issuer, signers, problems);
      Optional<RevokedEntry> fromDelta = delta == null ? Optional.empty() : lookup(delta, certificate);
      if (fromDelta.isPresent()) {
        RevokedEntry entry = fromDelta.get();
        if (entry.reason().orElse(null) != RevocationReason.REMOVE_FROM_CRL) {
          return revoked(entry, delta.source);
        }
      } else {
        Optional<RevokedEntry> entry = lookup(crl, certificate);
        if (entry.isPresent()) {
          return revoked(entry.get(), crl.source);
        }
      }
      covered.addAll(reasons);
      if (covered.containsAll(ALL_REASONS)) {
        return new Verdict(RevocationStatus.Status.GOOD, String.join(" + ", consulted),
            Optional.empty(), Optional.empty(), null);
      }
    }
    String detail;
    if (!covered.isEmpty()) {
      Set<RevocationReason> missing = EnumSet.copyOf(ALL_REASONS);
      missing.removeAll(covered);
      detail = "the CRLs consulted cover only some reasons; no CRL covers " + missing;
    } else if (!problems.isEmpty()) {
      detail = "no usable CRL: " + String.join("; ", problems);
    } else {
      detail = "no CRL for issuer '" + certificate.getIssuerX500Principal().getName() + "'";
    }
    return new Verdict(RevocationStatus.Status.UNAVAILABLE, consulted.isEmpty() ? "crl"
        : "crl " + String.join(" + ", consulted), Optional.empty(), Optional.empty(), detail);
  }

  private static Verdict revoked(RevokedEntry entry, String source) {
    return new Verdict(RevocationStatus.Status.REVOKED, source, entry.reason(),
        Optional.of(entry.revocationDate()), null);
  }

  /** The entry for the certificate, looked up by its issuer for indirect CRLs. */
  private static Optional<RevokedEntry> lookup(LoadedCrl crl, X509Certificate certificate) {
    X500Principal issuer = certificate.getIssuerX500Principal();
    BigInteger serial = certificate.getSerialNumber();
    return crl.info.find(issuer, serial);
  }

  /**
   * Whether the CRL can speak for the certificate at all (RFC 5280 6.3.3 b): its issuer, or an
   * indirect CRL issuer named by the certificate; the issuing distribution point's scope.
   */
  private static boolean inScope(LoadedCrl crl, X509Certificate certificate, boolean isCa,
      List<DistributionPoint> points) {
    CrlInfo info = crl.info;
    Optional<IssuingDistributionPoint> idp = info.issuingDistributionPoint();
    boolean direct = info.issuer().equals(certificate.getIssuerX500Principal());
    if (!direct) {
      boolean indirect = idp.map(IssuingDistributionPoint::indirectCrl).orElse(false)
          && points.stream().anyMatch(p -> p.crlIssuer().stream()
              .anyMatch(n -> n.equals(GeneralName.directoryName(info.issuer().getName()))));
      if (!indirect) {
        return false;
      }
    }
    if (idp.isEmpty()) {
      return true;
    }
    IssuingDistributionPoint scope = idp.get();
    if (scope.onlyContainsAttributeCerts() || scope.onlyContainsUserCerts() && isCa
        || scope.onlyContainsCaCerts() && !isCa) {
      return false;
    }
    if (!scope.fullName().isEmpty() && !points.isEmpty()) {
      // One of the IDP's names must be one of a distribution point's names (or, for a point
      // without a name, one of its CRL issuer names).
      return points.stream().anyMatch(p -> (p.fullName().isEmpty() ? p.crlIssuer() : p.fullName())
          .stream().anyMatch(scope.fullName()::contains));
    }
    return true;
  }

  private static Set<RevocationReason> reasonsOf(LoadedCrl crl) {
    Set<RevocationReason> only = crl.info.issuingDistributionPoint()
        .map(IssuingDistributionPoint::onlySomeReasons).orElse(Set.of());
    if (only.isEmpty()) {
      return ALL_REASONS;
    }
    Set<RevocationReason> reasons = EnumSet.copyOf(only);
    reasons.retainAll(ALL_REASONS);
    return reasons;
  }

  /** Why the CRL cannot be used, or null if it can. */
  private String problem(LoadedCrl crl, X509Certificate certificate, X509Certificate issuer,
      List<X509Certificate> signers) {
    CrlInfo info = crl.info;
    if (!info.unknownCriticalExtensions().isEmpty()) {
      return "has unknown critical extensions " + info.unknownCriticalExtensions();
    }
    if (info.crlNumber().isEmpty()) {
      return "has no CRL number (RFC 5280 5.2.3 requires one)";
    }
    if (info.isCritical("2.5.29.20")) {
      return "marks its CRL number critical (RFC 5280 5.2.3 requires it non-critical)";
    }
    if (info.thisUpdate().isAfter(now.plus(skew))) {
      return "is not valid until " + info.thisUpdate() + " (now " + now + ")";
    }
    Optional<Instant> nextUpdate = info.nextUpdate();
    if (nextUpdate.isPresent() && nextUpdate.get().isBefore(now.minus(skew))) {
      return "expired: its nextUpdate was " + nextUpdate.get() + " (now " + now + ")";
    }
    return signerProblem(crl, issuer, signers);
  }

  /**
   * Finds the CRL's signer: the certificate's issuer itself, or a CRL signing certificate with the
   * CRL issuer's name that the issuer certified (a separate CRL key of the same CA; for an
   * indirect CRL, the CRL issuer's certificate). Its key usage, if present, must allow cRLSign.
   */
  private String signerProblem(LoadedCrl crl, X509Certificate issuer, List<X509Certificate> signers) {
    X500Principal crlIssuer = crl.info.issuer();
    List<X509Certificate> candidates = new ArrayList<>();
    if (issuer.getSubjectX500Principal().equals(crlIssuer)) {
      candidates.add(issuer);
    }
    boolean direct = crlIssuer.equals(issuer.getSubjectX500Principal());
    for (X509Certificate signer : signers) {
      if (!signer.getSubjectX500Principal().equals(crlIssuer) || candidates.contains(signer)) {
        continue;
      }
      // A separate CRL key of the certificate's own CA must be certified by that CA; an indirect
      // CRL issuer's certificate comes from the configuration or the verified path.
      if (!direct || issuedBy(signer, issuer)) {
        candidates.add(signer);
      }
    }
    String why = "is not signed by '" + crlIssuer.getName() + "' (no certificate of that name with"
        + " a matching key)";
    for (X509Certificate signer : candidates) {
      if (!crl.isSignedBy(signer)) {
        continue;
      }
      boolean[] keyUsage = signer.getKeyUsage();
      if (keyUsage != null && (keyUsage.length <= 6 || !keyUsage[6])) {
        why = "is signed by '" + signer.getSubjectX500Principal().getName() + "', whose key usage"
            + " does not allow cRLSign";
        continue;
      }
      if (!signer.equals(issuer) && !withinValidity(signer)) {
        why = "is signed by a CRL signing certificate that is not valid now";
        continue;
      }
      return null;
    }
    return why;
  }

  private boolean withinValidity(X509Certificate certificate) {
    return !certificate.getNotBefore().toInstant().isAfter(now.plus(skew))
        && !certificate.getNotAfter().toInstant().isBefore(now.minus(skew));
  }

  private static boolean issuedBy(X509Certificate certificate, X509Certificate issuer) {
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** The newest valid delta CRL for a base CRL with the same issuer and scope, or null. */
  private LoadedCrl deltaFor(LoadedCrl base, List<LoadedCrl> deltas, X509Certificate certificate,
      boolean isCa, List<DistributionPoint> points, X509Certificate issuer,
      List<X509Certificate> signers, List<String> problems) {
    BigInteger baseNumber = base.info.crlNumber().orElseThrow();
    LoadedCrl best = null;
    for (LoadedCrl crl : deltas) {
      CrlInfo info = crl.info;
      if (!info.issuer().equals(base.info.issuer())
          || !info.issuingDistributionPoint().equals(base.info.issuingDistributionPoint())
          || info.deltaCrlIndicator().orElseThrow().compareTo(baseNumber) > 0
          || !inScope(crl, certificate, isCa, points)) {
        continue;
      }
      String problem = problem(crl, certificate, issuer, signers);
      if (problem != null) {
        problems.add(crl.source + ": " + problem);
        continue;
      }
      if (best == null
          || info.crlNumber().orElseThrow().compareTo(best.info.crlNumber().orElseThrow()) > 0) {
        best = crl;
      }
    }
    return best;
  }

}
