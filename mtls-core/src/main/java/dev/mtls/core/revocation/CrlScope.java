package dev.mtls.core.revocation;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.IssuingDistributionPoint;
import dev.mtls.pki.RevocationReason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;

/**
 * Which revocation reasons a CRL covers for one certificate (RFC 5280 section 6.3.3, steps b and
 * d). A CRL serves a distribution point of the certificate when its issuer is the point's CRL
 * issuer (an indirect CRL) or, for a point without one, the certificate's issuer, and when the
 * names of its issuing distribution point include one of the point's names. Besides the points
 * the certificate lists, every certificate has an implicit point named after its issuer, with all
 * reasons: it is what a CRL of the certificate's issuer serves when its issuing distribution
 * point names no partition. The reasons the CRL covers are, for each point it serves, the
 * point's reasons intersected with the issuing distribution point's onlySomeReasons.
 */
final class CrlScope {
  /** Every reason of {@code ReasonFlags}: what a CRL must cover, in total, to clear a certificate. */
  static final Set<RevocationReason> ALL_REASONS = EnumSet.complementOf(
      EnumSet.of(RevocationReason.UNSPECIFIED, RevocationReason.REMOVE_FROM_CRL));

  /**
   * The reasons a CRL covers for the certificate; if none, why (or null when the CRL concerns
   * another issuer altogether and is not worth mentioning).
   */
  record Coverage(Set<RevocationReason> reasons, String whyNot) {}

  /**
   * A distribution point with its names resolved: full names, or a name relative to the CRL
   * issuer made into a directory name.
   */
  private record Point(List<GeneralName> names, Set<RevocationReason> reasons,
      boolean hasCrlIssuer, List<GeneralName> crlIssuer) {

    /** The names an issuing distribution point must match (RFC 5280 6.3.3 b.2.i). */
    List<GeneralName> matchedNames() {
      return names.isEmpty() ? crlIssuer : names;
    }
  }

  private final X500Principal issuer;
  private final boolean isCa;
  private final List<Point> listed;
  private final Point implicit;

  CrlScope(X509Certificate certificate, CertificateInfo info) {
    this.issuer = certificate.getIssuerX500Principal();
    this.isCa = info.basicConstraints().map(b -> b.ca()).orElse(false);
    List<Point> points = new ArrayList<>();
    for (DistributionPoint point : info.crlDistributionPoints()) {
      X500Principal base = point.crlIssuer().stream()
          .filter(n -> n.kind() == GeneralName.Kind.DIRECTORY_NAME)
          .map(n -> new X500Principal(n.value())).findFirst().orElse(issuer);
      List<GeneralName> names = point.nameRelativeToCrlIssuer()
          .map(rdn -> List.of(relativeTo(base, rdn))).orElse(point.fullName());
      points.add(new Point(names, point.reasons().isEmpty() ? ALL_REASONS : point.reasons(),
          !point.crlIssuer().isEmpty(), point.crlIssuer()));
    }
    this.listed = List.copyOf(points);
    List<GeneralName> issuerNames = new ArrayList<>();
    issuerNames.add(GeneralName.directoryName(issuer.getName()));
    issuerNames.addAll(info.issuerAlternativeNames());
    this.implicit = new Point(List.copyOf(issuerNames), ALL_REASONS, false, List.of());
  }

  /**
   * Decides what the CRL covers for the certificate.
   *
   * @param crl a complete CRL
   * @return the coverage
   */
  Coverage of(CrlInfo crl) {
    X500Principal crlIssuer = crl.issuer();
    boolean direct = crlIssuer.equals(issuer);
    boolean named = listed.stream().anyMatch(p -> names(p.crlIssuer(), crlIssuer));
    if (!direct && !named) {
      return new Coverage(Set.of(), null);
    }
    Optional<IssuingDistributionPoint> idp = crl.issuingDistributionPoint();
    String kind = idp.map(this::kindProblem).orElse(null);
    if (kind != null) {
      return new Coverage(Set.of(), kind);
    }
    List<GeneralName> idpNames = idp.map(p -> p.nameRelativeToCrlIssuer()
        .map(rdn -> List.of(relativeTo(crlIssuer, rdn))).orElse(p.fullName())).orElse(List.of());
    Set<RevocationReason> idpReasons = idp.map(IssuingDistributionPoint::onlySomeReasons)
        .filter(r -> !r.isEmpty()).orElse(ALL_REASONS);
    boolean indirect = idp.map(IssuingDistributionPoint::indirectCrl).orElse(false);
    Set<RevocationReason> covered = EnumSet.noneOf(RevocationReason.class);
    for (Point point : direct ? Stream.concat(listed.stream(), Stream.of(implicit)).toList() : listed) {
      boolean issuerMatches = point.hasCrlIssuer()
          ? indirect && names(point.crlIssuer(), crlIssuer) : direct;
      boolean nameMatches = idpNames.isEmpty()
          || point.matchedNames().stream().anyMatch(n -> idpNames.stream().anyMatch(m -> same(n, m)));
      if (issuerMatches && nameMatches) {
        Set<RevocationReason> interim = EnumSet.copyOf(idpReasons);
        interim.retainAll(point.reasons());
        covered.addAll(interim);
      }
    }
    if (!covered.isEmpty()) {
      return new Coverage(covered, null);
    }
    return new Coverage(Set.of(), whyNot(direct, indirect, idpNames));
  }

  private String kindProblem(IssuingDistributionPoint idp) {
    if (idp.onlyContainsAttributeCerts()) {
      return "its issuing distribution point covers attribute certificates only";
    }
    if (idp.onlyContainsUserCerts() && isCa) {
      return "its issuing distribution point covers end-entity certificates only"
          + " (onlyContainsUserCerts), and the certificate is a CA";
    }
    if (idp.onlyContainsCaCerts() && !isCa) {
      return "its issuing distribution point covers CA certificates only (onlyContainsCACerts),"
          + " and the certificate is not a CA";
    }
    return null;
  }

  private String whyNot(boolean direct, boolean indirect, List<GeneralName> idpNames) {
    if (!direct && !indirect) {
      return "a CRL distribution point of the certificate names its issuer as cRLIssuer, but its"
          + " issuing distribution point does not say indirectCRL";
    }
    if (!idpNames.isEmpty()) {
      List<GeneralName> points = listed.stream().flatMap(p -> p.matchedNames().stream()).toList();
      return "its issuing distribution point " + idpNames + (points.isEmpty()
          ? " covers only certificates that name it, and the certificate has no CRL distribution"
              + " points"
          : " is not one of the certificate's CRL distribution points " + points);
    }
    return "it covers none of the reasons of the certificate's CRL distribution points";
  }

  /** A name relative to a CRL issuer, made into a full directory name (RFC 5280 5.2.5). */
  private static GeneralName relativeTo(X500Principal base, String rdn) {
    return GeneralName.directoryName(rdn + "," + base.getName());
  }

  private static boolean names(List<GeneralName> names, X500Principal principal) {
    return names.stream().anyMatch(n -> n.kind() == GeneralName.Kind.DIRECTORY_NAME
        && new X500Principal(n.value()).equals(principal));
  }

  /** Directory names compare as distinguished names, other names exactly. */
  private static boolean same(GeneralName a, GeneralName b) {
    if (a.kind() == GeneralName.Kind.DIRECTORY_NAME && b.kind() == GeneralName.Kind.DIRECTORY_NAME) {
      return new X500Principal(a.value()).equals(new X500Principal(b.value()));
    }
    return a.equals(b);
  }
}
