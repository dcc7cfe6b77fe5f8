package dev.mtls.core.verify;

import dev.mtls.pki.AuthorityKeyIdentifier;
import dev.mtls.pki.BasicConstraints;
import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.KeyUsage;
import dev.mtls.pki.GeneralName;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The strict RFC 5280 certificate profile, applied to each certificate of a candidate path (the
 * trust anchor included: a root with an unknown critical extension or a non-critical basic
 * constraints extension is refused like any other CA). Checks that concern the algorithms
 * ({@link AlgorithmCheck}), the purposes ({@link PurposeCheck}) and the names
 * ({@link NameConstraintsCheck}) live in their own classes.
 */
final class CertificateProfile {
  static final String BASIC_CONSTRAINTS = "2.5.29.19";
  static final String SUBJECT_KEY_ID = "2.5.29.14";
  static final String AUTHORITY_KEY_ID = "2.5.29.35";
  static final String SUBJECT_ALT_NAME = "2.5.29.17";
  static final String NAME_CONSTRAINTS = "2.5.29.30";
  static final String POLICY_CONSTRAINTS = "2.5.29.36";
  static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
  /** The longest serial number RFC 5280 section 4.1.2.2 allows, in octets. */
  static final int MAX_SERIAL_OCTETS = 20;
  /** Subject alternative names accepted in one certificate (a bound against quadratic work). */
  static final int MAX_SUBJECT_ALT_NAMES = 1024;

  private final VerificationProfile profile;
  private final Instant now;
  private final Duration skew;
  private final Set<KeyUsage> requiredKeyUsage;

  CertificateProfile(VerificationProfile profile, Instant now, Duration skew,
      Set<KeyUsage> requiredKeyUsage) {
    this.profile = profile;
    this.now = now;
    this.skew = skew;
    this.requiredKeyUsage = requiredKeyUsage;
  }

  /** Checks certificate {@code index} of {@code path}; returns null if it conforms. */
  Failure check(List<PathCertificate> path, int index) {
    PathCertificate certificate = path.get(index);
    if (certificate.malformed() != null) {
      return Failure.of(FailureReason.MALFORMED_CERTIFICATE, index,
          certificate.malformed().getMessage());
    }
    CertificateInfo info = certificate.info().orElseThrow();
    if (!info.unknownCriticalExtensions().isEmpty()) {
      return Failure.of(FailureReason.UNKNOWN_CRITICAL_EXTENSION, index, "certificate [" + index
          + "] has critical extensions this library does not process: "
          + info.unknownCriticalExtensions() + "; expected none (RFC 5280 section 4.2)");
    }
    Failure validity = validity(certificate, index);
    if (validity != null) {
      return validity;
    }
    boolean leaf = index == 0;
    String structure = leaf ? leafStructure(info) : caStructure(path, index, info);
    if (structure == null) {
      structure = common(info, certificate, index > 0 && index == path.size() - 1);
    }
    if (structure != null) {
      return Failure.of(FailureReason.MALFORMED_CERTIFICATE, index,
          "certificate [" + index + "] " + structure);
    }
    return keyUsage(path, index, info);
  }

  Failure validity(PathCertificate certificate, int index) {
    String window = " (valid from " + certificate.notBefore() + " to " + certificate.notAfter()
        + ", checked at " + now + " with a clock-skew allowance of " + skew + ")";
    // notAfter is inclusive and has a resolution of one second (RFC 5280 section 4.1.2.5).
    if (now.truncatedTo(ChronoUnit.SECONDS).isAfter(certificate.notAfter().plus(skew))) {
      return Failure.of(FailureReason.EXPIRED, index,
          "certificate [" + index + "] expired at " + certificate.notAfter() + window);
    }
    if (now.isBefore(certificate.notBefore().minus(skew))) {
      return Failure.of(FailureReason.NOT_YET_VALID, index,
          "certificate [" + index + "] is not valid before " + certificate.notBefore() + window);
    }
    return null;
  }

  private String leafStructure(CertificateInfo info) {
    if (info.version() < 3 && profile != VerificationProfile.RFC5280) {
      return "is a version " + info.version() + " certificate; expected version 3";
    }
    boolean ca = info.basicConstraints().map(BasicConstraints::ca).orElse(false);
    if (ca && profile != VerificationProfile.RFC5280) {
      return "is a CA certificate (basic constraints cA TRUE) presented as the peer's own"
          + " certificate; expected an end-entity certificate";
    }
    if (!ca && info.nameConstraints().isPresent()) {
      return "is not a CA but has a name constraints extension (RFC 5280 allows it only in CAs)";
    }
    if (info.issuer().getEncoded().length <= 2) {
      return "has an empty issuer name";
    }
    return profile == VerificationProfile.WEB_PKI ? commonNames(info) : null;
  }

  /**
   * CA/Browser Forum 7.1.4.3: a subscriber's common name, if present, repeats one of its
   * subject alternative names character for character. Checked against the names of the same
   * kind: a common name that looks like an IP address must be the canonical text (dotted
   * decimal, RFC 5952) of an IP address name; a host name must equal a DNS name when the
   * certificate has DNS names other than wildcard patterns.
   */
  private static String commonNames(CertificateInfo info) {
    List<String> addresses = info.subjectAlternativeNames().stream()
        .filter(n -> n.kind() == GeneralName.Kind.IP).map(n -> HostNames.ipBytes(n.value()))
        .filter(b -> b != null).map(HostNames::canonicalText).toList();
    List<String> hosts = info.subjectAlternativeNames().stream()
        .filter(n -> n.kind() == GeneralName.Kind.DNS).map(GeneralName::value).toList();
    boolean plainHosts = hosts.stream().anyMatch(h -> !h.startsWith("*."));
    try {
      for (Rdn rdn : new LdapName(info.subject().getName(X500Principal.RFC2253)).getRdns()) {
        Attribute cn = rdn.toAttributes().get("CN");
        if (cn == null) {
          continue;
        }
        String value = String.valueOf(cn.get());
        boolean address = value.matches("[0-9.]+|0[xX][0-9A-Fa-f]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
        if (address ? !addresses.contains(value) : plainHosts && !hosts.contains(value)) {
          return "has common name '" + value + "' that is not a character-for-character copy of"
              + " one of its subject alternative names " + info.subjectAlternativeNames()
              + " (CA/Browser Forum baseline requirements 7.1.4.3)";
        }
      }
    } catch (NamingException e) {
      return "has a subject that cannot be read: " + e.getMessage();
    }
    return null;
  }

  private String caStructure(List<PathCertificate> path, int index, CertificateInfo info) {
    if (info.version() < 3) {
      return "is a version " + info.version() + " CA certificate; expected version 3 with basic"
          + " constraints";
    }
    Optional<BasicConstraints> constraints = info.basicConstraints();
    if (constraints.isEmpty() || !constraints.get().ca()) {
      return "issued certificate [" + (index - 1) + "] but is not a CA ("
          + (constraints.isEmpty() ? "no basic constraints extension" : "basic constraints cA FALSE")
          + "); expected basic constraints with cA TRUE";
    }
    if (!info.isCritical(BASIC_CONSTRAINTS)) {
      return "is a CA whose basic constraints extension is not critical (RFC 5280 section"
          + " 4.2.1.9 requires it to be critical)";
    }
    if (info.subject().getEncoded().length <= 2) {
      return "is a CA with an empty subject name";
    }
    if (info.subjectKeyIdentifier().isEmpty()) {
      return "is a CA without a subject key identifier (RFC 5280 section 4.2.1.2 requires one)";
    }
    return null;
  }

  private String common(CertificateInfo info, PathCertificate certificate, boolean anchor) {
    if (!anchor && info.serialNumber().signum() <= 0) {
      return "has serial number " + info.serialNumber() + "; expected a positive integer";
    }
    if (!anchor && info.serialNumberLength() > MAX_SERIAL_OCTETS) {
      return "has a serial number of " + info.serialNumberLength() + " octets; expected at most "
          + MAX_SERIAL_OCTETS;
    }
    if (info.isCritical(AUTHORITY_KEY_ID) || info.isCritical(SUBJECT_KEY_ID)) {
      return "has a critical key identifier extension; expected non-critical (RFC 5280 4.2.1.1)";
    }
    if (info.isCritical(AUTHORITY_INFO_ACCESS)) {
      return "has a critical authority information access extension; expected non-critical";
    }
    if (info.extensions().stream().anyMatch(e -> e.oid().equals(POLICY_CONSTRAINTS))
        && !info.isCritical(POLICY_CONSTRAINTS)) {
      return "has a non-critical policy constraints extension; expected critical (RFC 5280"
          + " section 4.2.1.11)";
    }
    if (info.nameConstraints().isPresent() && !info.isCritical(NAME_CONSTRAINTS)
        && profile == VerificationProfile.RFC5280) {
      return "has a non-critical name constraints extension; expected critical (RFC 5280"
          + " section 4.2.1.10)";
    }
    String names = subjectAltNames(info);
    if (names != null) {
      return names;
    }
    if (anchor && profile == VerificationProfile.WEB_PKI) {
      return rootAuthorityKeyId(info, certificate);
    }
    return anchor && profile != VerificationProfile.RFC5280 ? null
        : authorityKeyId(info, certificate);
  }

  /** CA/Browser Forum 7.1.2.1.3: a root's AKI, if any, holds only its own key identifier. */
  private static String rootAuthorityKeyId(CertificateInfo info, PathCertificate certificate) {
    if (!certificate.isSelfIssued() || info.authorityKeyIdentifier().isEmpty()) {
      return null;
    }
    AuthorityKeyIdentifier aki = info.authorityKeyIdentifier().get();
    if (!aki.hasKeyIdentifier() || !aki.issuer().isEmpty() || aki.serialNumber().isPresent()) {
      return "is a root whose authority key identifier " + aki + " is not just a key identifier;"
          + " the web PKI expects keyIdentifier alone";
    }
    if (!certificate.subjectKeyIdentifierIs(aki.keyIdentifier())) {
      return "is a root whose authority key identifier differs from its subject key identifier";
    }
    return null;
  }

  private String subjectAltNames(CertificateInfo info) {
    boolean emptySubject = info.subject().getEncoded().length <= 2;
    boolean hasSans = !info.subjectAlternativeNames().isEmpty();
    if (emptySubject && hasSans && !info.isCritical(SUBJECT_ALT_NAME)) {
      return "has an empty subject and a non-critical subject alternative name extension;"
          + " expected it critical (RFC 5280 section 4.2.1.6)";
    }
    if (emptySubject && !hasSans && info.basicConstraints().map(b -> !b.ca()).orElse(true)) {
      return "has neither a subject nor subject alternative names";
    }
    if (!emptySubject && info.isCritical(SUBJECT_ALT_NAME) && profile == VerificationProfile.WEB_PKI) {
      return "has a non-empty subject and a critical subject alternative name extension;"
          + " expected non-critical (CA/Browser Forum baseline requirements 7.1.2.7.12)";
    }
    if (info.subjectAlternativeNames().size() > MAX_SUBJECT_ALT_NAMES) {
      return "has " + info.subjectAlternativeNames().size() + " subject alternative names;"
          + " at most " + MAX_SUBJECT_ALT_NAMES + " are accepted";
    }
    return null;
  }

  private static String authorityKeyId(CertificateInfo info, PathCertificate certificate) {
    if (certificate.authorityKeyId().isEmpty() && !certificate.isSelfIssued()) {
      return "has no authority key identifier (RFC 5280 section 4.2.1.1 requires one in every"
          + " certificate that is not self-signed)";
    }
    return null;
  }

  private Failure keyUsage(List<PathCertificate> path, int index, CertificateInfo info) {
    Optional<Set<KeyUsage>> usage = info.keyUsage();
    if (index > 0) {
      if (usage.isPresent() && !usage.get().contains(KeyUsage.KEY_CERT_SIGN)) {
        return Failure.of(FailureReason.WRONG_KEY_USAGE, index, "certificate [" + index
            + "] is a CA whose key usage " + usage.get() + " lacks KEY_CERT_SIGN; expected"
            + " KEY_CERT_SIGN to sign certificate [" + (index - 1) + "]");
      }
      return pathLength(path, index, info);
    }
    boolean ca = info.basicConstraints().map(BasicConstraints::ca).orElse(false);
    if (usage.isPresent() && usage.get().contains(KeyUsage.KEY_CERT_SIGN) && !ca) {
      return Failure.of(FailureReason.WRONG_KEY_USAGE, 0, "certificate [0] has key usage "
          + usage.get() + " with KEY_CERT_SIGN but is not a CA (RFC 5280 section 4.2.1.3)");
    }
    if (usage.isPresent() && !usage.get().containsAll(requiredKeyUsage)) {
      return Failure.of(FailureReason.WRONG_KEY_USAGE, 0, "certificate [0] has key usage "
          + usage.get() + "; expected " + requiredKeyUsage);
    }
    return null;
  }

  private static Failure pathLength(List<PathCertificate> path, int index, CertificateInfo info) {
    if (info.basicConstraints().isEmpty() || info.basicConstraints().get().pathLength().isEmpty()) {
      return null;
    }
    int allowed = info.basicConstraints().get().pathLength().getAsInt();
    int below = 0;
    for (int i = 1; i < index; i++) {
      if (!path.get(i).isSelfIssued()) {
        below++;
      }
    }
    if (below > allowed) {
      return Failure.of(FailureReason.PATH_TOO_LONG, index, "certificate [" + index
          + "] has pathLenConstraint " + allowed + " but " + below
          + " intermediate CA certificates follow it (self-issued ones not counted)");
    }
    return null;
  }
}
