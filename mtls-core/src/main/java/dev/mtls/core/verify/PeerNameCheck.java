package dev.mtls.core.verify;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.GeneralName.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Matches the peer's names against what is expected of it, from its subject alternative names
 * only: the subject's common name is never used (RFC 6125 section 6.4.4, CA/Browser Forum).
 *
 * <p>An expected DNS name matches a DNS name equal to it (ignoring case; internationalized names
 * are compared in their ASCII A-label form) or a wildcard pattern {@code *.example.com} whose
 * {@code *} stands for exactly one whole, left-most label ({@code api.example.com}, never
 * {@code example.com} or {@code a.b.example.com}). Patterns over a single label ({@code *.com}),
 * partial-label wildcards ({@code f*o.example.com}) and names that are not valid host names never
 * match. An expected IP address matches only IP address names with the same bytes, never a DNS
 * name that spells it. Other kinds match by equal value.
 *
 * <p>An allow-list (for clients verified by a server) accepts the peer if any of its names is on
 * the list.
 */
final class PeerNameCheck {
  private PeerNameCheck() {}

  /** Checks the leaf; null if the names are acceptable. */
  static Failure check(CertificateInfo leaf, GeneralName expected, Set<GeneralName> allowed) {
    List<GeneralName> names = leaf.subjectAlternativeNames();
    if (expected != null && names.stream().noneMatch(n -> matches(expected, n))) {
      return Failure.of(FailureReason.NAME_MISMATCH, 0, "certificate [0] does not name "
          + expected + ": its subject alternative names are " + names
          + " (the subject's common name is never used)");
    }
    if (!allowed.isEmpty() && names.stream().noneMatch(n -> allowed.stream().anyMatch(
        a -> a.kind() == n.kind() && equal(a, n)))) {
      return Failure.of(FailureReason.NAME_MISMATCH, 0, "none of the subject alternative names "
          + names + " of certificate [0] is on the allow-list " + allowed);
    }
    return null;
  }

  static boolean matches(GeneralName expected, GeneralName presented) {
    if (expected.kind() != presented.kind()) {
      return false;
    }
    if (expected.kind() == Kind.DNS) {
      return dns(expected.value().toLowerCase(Locale.ROOT),
          presented.value().toLowerCase(Locale.ROOT));
    }
    return equal(expected, presented);
  }

  private static boolean dns(String host, String pattern) {
    if (!HostNames.isHostName(host) || HostNames.ipBytes(host) != null) {
      return false;
    }
    if (HostNames.isHostName(pattern)) {
      return host.equals(pattern);
    }
    if (!HostNames.isWildcardPattern(pattern)) {
      return false;
    }
    int dot = host.indexOf('.');
    return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
  }

  private static boolean equal(GeneralName a, GeneralName b) {
    return switch (a.kind()) {
      case DNS -> a.value().equalsIgnoreCase(b.value());
      case IP -> {
        byte[] x = HostNames.ipBytes(a.value());
        byte[] y = HostNames.ipBytes(b.value());
        yield x != null && Arrays.equals(x, y);
      }
      case EMAIL -> {
        int at = a.value().lastIndexOf('@');
        int bt = b.value().lastIndexOf('@');
        yield at >= 0 && bt >= 0 && a.value().substring(0, at).equals(b.value().substring(0, bt))
            && a.value().substring(at + 1).equalsIgnoreCase(b.value().substring(bt + 1));
      }
      default -> a.value().equals(b.value());
    };
  }
}
