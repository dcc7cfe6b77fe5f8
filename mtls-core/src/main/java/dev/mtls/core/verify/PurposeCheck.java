package dev.mtls.core.verify;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.ExtendedKeyUsage;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the extended key usage of a path for the peer's role: a certificate issued for TLS
 * servers must not authenticate a client, and the other way round.
 *
 * <ul>
 *   <li>The peer's certificate must list every required purpose ({@code serverAuth} for a
 *       server, {@code clientAuth} for a client, unless configured otherwise). Without the
 *       extension it is refused under {@link VerificationProfile#MTLS} and
 *       {@link VerificationProfile#WEB_PKI} and accepted for any purpose under
 *       {@link VerificationProfile#RFC5280}. {@code anyExtendedKeyUsage} stands for every purpose
 *       only under RFC 5280; the web PKI also refuses a critical extension in the peer's
 *       certificate.
 *   <li>Under MTLS and WEB_PKI an extended key usage extension in a CA certificate constrains
 *       the certificates below it: it must list the required purposes or
 *       {@code anyExtendedKeyUsage}. The web PKI refuses the extension in a root altogether.
 * </ul>
 */
final class PurposeCheck {
  private static final String EKU_OID = "2.5.29.37";

  private final VerificationProfile profile;
  private final Set<String> required;

  PurposeCheck(VerificationProfile profile, Set<String> required) {
    this.profile = profile;
    this.required = required;
  }

  /** Checks the whole path, whose certificates have parsed; returns null if it passes. */
  Failure check(List<PathCertificate> path) {
    Failure leaf = leaf(path.get(0).info().orElseThrow());
    if (leaf != null || profile == VerificationProfile.RFC5280) {
      return leaf;
    }
    for (int i = 1; i < path.size(); i++) {
      CertificateInfo info = path.get(i).info().orElseThrow();
      Optional<List<String>> purposes = info.extendedKeyUsage();
      if (purposes.isEmpty()) {
        continue;
      }
      boolean root = i == path.size() - 1 && path.get(i).isSelfIssued();
      if (root && profile == VerificationProfile.WEB_PKI) {
        return Failure.of(FailureReason.WRONG_EXTENDED_KEY_USAGE, i, "certificate [" + i
            + "] is a root with an extended key usage extension " + names(purposes.get())
            + "; the web PKI expects none in roots");
      }
      if (!purposes.get().contains(ExtendedKeyUsage.ANY.oid())
          && !purposes.get().containsAll(required)) {
        return Failure.of(FailureReason.WRONG_EXTENDED_KEY_USAGE, i, "CA certificate [" + i
            + "] restricts the purposes below it to " + names(purposes.get()) + "; expected "
            + names(required) + " or anyExtendedKeyUsage");
      }
    }
    return null;
  }

  private Failure leaf(CertificateInfo info) {
    Optional<List<String>> purposes = info.extendedKeyUsage();
    if (purposes.isEmpty()) {
      return profile == VerificationProfile.RFC5280 ? null
          : Failure.of(FailureReason.WRONG_EXTENDED_KEY_USAGE, 0, "certificate [0] has no"
              + " extended key usage extension; expected " + names(required) + " (profile "
              + profile + ")");
    }
    if (profile == VerificationProfile.WEB_PKI && info.isCritical(EKU_OID)) {
      return Failure.of(FailureReason.WRONG_EXTENDED_KEY_USAGE, 0, "certificate [0] has a"
          + " critical extended key usage extension; the web PKI expects it non-critical");
    }
    if (profile == VerificationProfile.WEB_PKI && purposes.get().contains(ExtendedKeyUsage.ANY.oid())) {
      return Failure.of(FailureReason.WRONG_EXTENDED_KEY_USAGE, 0, "certificate [0] has"
          + " extended key usage " + names(purposes.get()) + "; the web PKI refuses"
          + " anyExtendedKeyUsage in a subscriber certificate");
    }
    boolean any = profile == VerificationProfile.RFC5280
        && purposes.get().contains(ExtendedKeyUsage.ANY.oid());
    if (!any && !purposes.get().containsAll(required)) {
      return Failure.of(FailureReason.WRONG_EXTENDED_KEY_USAGE, 0, "certificate [0] has"
          + " extended key usage " + names(purposes.get()) + "; expected " + names(required));
    }
    return null;
  }

  /** Purpose OIDs with their names: {@code [serverAuth (1.3.6.1.5.5.7.3.1)]}. */
  static String names(java.util.Collection<String> oids) {
    return oids.stream().map(PurposeCheck::name).toList().toString();
  }

  static String name(String oid) {
    for (ExtendedKeyUsage usage : ExtendedKeyUsage.values()) {
      if (usage.oid().equals(oid)) {
        String constant = usage.name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toCharArray()) {
          if (c == '_') {
            upper = true;
          } else {
            camel.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
          }
        }
        String text = usage == ExtendedKeyUsage.ANY ? "anyExtendedKeyUsage" : camel.toString();
        return text + " (" + oid + ")";
      }
    }
    return oid;
  }
}
