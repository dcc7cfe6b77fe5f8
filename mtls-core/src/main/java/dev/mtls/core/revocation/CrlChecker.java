package dev.mtls.core.revocation;

import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.IssuingDistributionPoint;
import dev.mtls.pki.RevocationReason;
import dev.mtls.pki.RevokedEntry;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Decides one certificate's status from a set of CRLs as RFC 5280 section 6.3 does, not as a bare
 * serial list: a CRL counts only if it is in scope for the certificate ({@link CrlScope}: its
 * issuer, directly or as an indirect CRL the certificate's distribution point names; its issuing
 * distribution point's user/CA scope, distribution point name and reasons) and valid (signed by
 * the CA's key or by a CRL signing certificate the CA issued, whose key usage allows cRLSign; a
 * CRL number, not critical; no unknown critical extension; current). Of several valid complete
 * CRLs with the same issuer and scope, only the newest (highest CRL number) counts. A delta CRL
 * for a consulted complete CRL is consulted first; its removeFromCRL entries lift the complete
 * CRL's certificateHold. The certificate counts as not revoked only once the CRLs consulted
 * cover every reason (onlySomeReasons, distribution point reasons). A CRL past its nextUpdate
 * cannot say that a certificate is not revoked, but if it is otherwise valid and lists the
 * certificate for any reason but certificateHold, the certificate is REVOKED: revocations are
 * final.
 *
 * <p>Not checked: the revocation status of a separate CRL signing certificate.
 */
final class CrlChecker {

  /** A certificate's CRL status, or why there is none. */
  record Verdict(RevocationStatus.Status status, String source, Optional<RevocationReason> reason,
      Optional<Instant> revokedAt, String detail) {
    /** No answer from a source, and why. */
    static Verdict unavailable(String source, String detail) {
      return new Verdict(RevocationStatus.Status.UNAVAILABLE, source, Optional.empty(), Optional.empty(), detail);
    }
  }

  /** A valid complete CRL in scope, and the reasons it covers for the certificate. */
  private record Candidate(LoadedCrl crl, Set<RevocationReason> reasons) {}

  /** Complete CRLs of the same issuer and scope supersede each other. */
  private record ScopeKey(X500Principal issuer, Optional<IssuingDistributionPoint> idp) {}

  private final Instant now;
  private final Duration skew;

  CrlChecker(Instant now, Duration skew) {
    this.now = now;
    this.skew = skew;
  }

  /**
   * Decides the certificate's status, with its distribution points already resolved (the
   * revocation checker keeps them with each certificate it has seen).
   *
   * @param certificate the certificate to check
   * @param scope its distribution points and issuer names, from {@code new CrlScope(certificate, info)}
   * @param issuer its issuer (the next certificate of the verified path)
   * @param path the verified path, peer's certificate first, trust anchor last
   * @param crlSigners the configured CRL signing certificates
   * @param crls every CRL available
   * @return the verdict
   */
  Verdict check(X509Certificate certificate, CrlScope scope, X509Certificate issuer,
      List<X509Certificate> path, List<X509Certificate> crlSigners, List<LoadedCrl> crls) {
    CrlSigners signers = new CrlSigners(certificate, issuer, path, crlSigners, now, skew);
    List<String> problems = new ArrayList<>();
    List<String> outOfScope = new ArrayList<>();
    Map<ScopeKey, Candidate> newest = new LinkedHashMap<>();
    for (LoadedCrl crl : crls) {
      if (crl.info.deltaCrlIndicator().isPresent()) {
        continue;
      }
      CrlScope.Coverage coverage = scope.of(crl.info);
      if (coverage.reasons().isEmpty()) {
        if (coverage.whyNot() != null) {
          outOfScope.add(crl.source + ": is out of scope: " + coverage.whyNot());
        }
        continue;
      }
      String problem = conformance(crl);
      if (problem == null) {
        String expiry = expiry(crl);
        String signer = signers.problem(crl);
        if (expiry != null && signer == null) {
          Optional<RevokedEntry> known = lookup(crl, certificate).filter(CrlChecker::permanent);
          if (known.isPresent()) {
            return revoked(known.get(), crl.source); // a revocation stands after the CRL expires
          }
        }
        problem = expiry != null ? expiry : signer;
      }
      if (problem != null) {
        problems.add(crl.source + ": " + problem);
        continue;
      }
      newest.merge(new ScopeKey(crl.info.issuer(), crl.info.issuingDistributionPoint()),
          new Candidate(crl, coverage.reasons()), CrlChecker::newer);
    }
    Set<RevocationReason> covered = EnumSet.noneOf(RevocationReason.class);
    List<String> consulted = new ArrayList<>();
    for (Candidate candidate : newest.values()) {
      LoadedCrl crl = candidate.crl();
      consulted.add(crl.source);
      LoadedCrl delta = deltaFor(crl, crls, signers, problems);
      Optional<RevokedEntry> fromDelta = Optional.empty();
      if (delta != null) {
        consulted.add(delta.source);
        fromDelta = lookup(delta, certificate);
      }
      if (fromDelta.isPresent()) {
        if (fromDelta.get().reason().orElse(null) != RevocationReason.REMOVE_FROM_CRL) {
          return revoked(fromDelta.get(), delta.source);
        }
      } else {
        Optional<RevokedEntry> entry = lookup(crl, certificate);
        if (entry.isPresent()) {
          return revoked(entry.get(), crl.source);
        }
      }
      covered.addAll(candidate.reasons());
    }
    if (covered.containsAll(CrlScope.ALL_REASONS)) {
      return new Verdict(RevocationStatus.Status.GOOD, String.join(" + ", consulted),
          Optional.empty(), Optional.empty(), null);
    }
    return Verdict.unavailable(consulted.isEmpty() ? "crl" : String.join(" + ", consulted),
        unavailable(certificate, covered, problems, outOfScope));
  }

  private static String unavailable(X509Certificate certificate, Set<RevocationReason> covered,
      List<String> problems, List<String> outOfScope) {
    if (!covered.isEmpty()) {
      Set<RevocationReason> missing = EnumSet.copyOf(CrlScope.ALL_REASONS);
      missing.removeAll(covered);
      return "the CRLs consulted cover only some reasons; no CRL covers " + missing
          + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
    }
    if (!problems.isEmpty() || !outOfScope.isEmpty()) {
      List<String> all = new ArrayList<>(problems);
      all.addAll(outOfScope);
      return "no usable CRL: " + String.join("; ", all);
    }
    return "no CRL for issuer '" + certificate.getIssuerX500Principal().getName() + "'";
  }

  /** Whether a revocation is for good: any reason but certificateHold (and removeFromCRL). */
  private static boolean permanent(RevokedEntry entry) {
    RevocationReason reason = entry.reason().orElse(null);
    return reason != RevocationReason.CERTIFICATE_HOLD && reason != RevocationReason.REMOVE_FROM_CRL;
  }

  private static Candidate newer(Candidate a, Candidate b) {
    return b.crl().info.crlNumber().orElseThrow().compareTo(a.crl().info.crlNumber().orElseThrow())
        > 0 ? b : a;
  }

  private static Verdict revoked(RevokedEntry entry, String source) {
    return new Verdict(RevocationStatus.Status.REVOKED, source, entry.reason(),
        Optional.of(entry.revocationDate()), null);
  }

  /**
   * The entry for the certificate, looked up by its issuer and serial number: in an indirect CRL,
   * an entry names its certificate's issuer, or inherits the previous entry's.
   */
  private static Optional<RevokedEntry> lookup(LoadedCrl crl, X509Certificate certificate) {
    return crl.info.find(certificate.getIssuerX500Principal(), certificate.getSerialNumber());
  }

  /** Why the CRL cannot be used, or null if it can. */
  private String problem(LoadedCrl crl, CrlSigners signers) {
    String problem = conformance(crl);
    if (problem == null) {
      problem = expiry(crl);
    }
    return problem != null ? problem : signers.problem(crl);
  }

  /** What in the CRL breaks RFC 5280's rules for its use now (its dates aside from expiry), or null. */
  private String conformance(LoadedCrl crl) {
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
    return null;
  }

  /** That the CRL's nextUpdate has passed, or null. */
  private String expiry(LoadedCrl crl) {
    Optional<Instant> nextUpdate = crl.info.nextUpdate();
    if (nextUpdate.isPresent() && nextUpdate.get().isBefore(now.minus(skew))) {
      return "expired: its nextUpdate was " + nextUpdate.get() + " (now " + now + ")";
    }
    return null;
  }

  /**
   * The newest valid delta CRL that applies to a complete CRL (RFC 5280 5.2.4): the same issuer
   * and scope (an identical issuing distribution point, or none on both), a base CRL number not
   * above the complete CRL's number, and a CRL number above it. Null if there is none.
   */
  private LoadedCrl deltaFor(LoadedCrl base, List<LoadedCrl> crls, CrlSigners signers,
      List<String> problems) {
    BigInteger baseNumber = base.info.crlNumber().orElseThrow();
    LoadedCrl best = null;
    for (LoadedCrl crl : crls) {
      CrlInfo info = crl.info;
      Optional<BigInteger> indicator = info.deltaCrlIndicator();
      if (indicator.isEmpty() || !info.issuer().equals(base.info.issuer())
          || !info.issuingDistributionPoint().equals(base.info.issuingDistributionPoint())
          || indicator.get().compareTo(baseNumber) > 0) {
        continue;
      }
      String problem = problem(crl, signers);
      if (problem != null) {
        problems.add(crl.source + ": " + problem);
        continue;
      }
      BigInteger number = info.crlNumber().orElseThrow();
      if (number.compareTo(baseNumber) <= 0) {
        continue; // older than the complete CRL, which already includes its changes
      }
      if (best == null || number.compareTo(best.info.crlNumber().orElseThrow()) > 0) {
        best = crl;
      }
    }
    return best;
  }
}
