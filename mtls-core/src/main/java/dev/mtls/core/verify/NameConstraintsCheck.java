package dev.mtls.core.verify;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.GeneralName.Kind;
import dev.mtls.pki.NameConstraints;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Applies the name constraints of every CA in a path, the trust anchor included (the JDK ignores
 * those), to the certificates below it (RFC 5280 section 4.2.1.10): each name of a certificate
 * must fall into a permitted subtree of its kind, when the CA lists any, and into no excluded
 * subtree. Self-issued intermediates are exempt, the peer's certificate never is.
 *
 * <p>Names checked: every subject alternative name and the subject distinguished name. DNS
 * subtrees match the name and its subdomains; a wildcard name {@code *.example.com} is permitted
 * only if all names it covers are, and excluded if any of them is. Email subtrees are a mailbox,
 * a host, or {@code .domain} for its subdomains. URI subtrees constrain the URI's host. IP
 * subtrees are CIDR ranges of the same address family. Directory-name subtrees are prefixes of
 * relative distinguished names. A name of a kind this engine cannot compare (otherName, for one)
 * fails whenever the CA constrains that kind. A malformed subtree, or a malformed name under a
 * constraint of its kind, fails too.
 *
 * <p>Bound: at most {@link #MAX_COMPARISONS} name/subtree comparisons per path; a path that
 * needs more is refused rather than checked at quadratic cost.
 */
final class NameConstraintsCheck {
  /** Name/subtree comparisons allowed per path. */
  static final int MAX_COMPARISONS = 1 << 16;

  /** Checks the path, whose certificates have parsed; returns null if it passes. */
  Failure check(List<PathCertificate> path) {
    long comparisons = 0;
    for (int k = 1; k < path.size(); k++) {
      Optional<NameConstraints> constraints = path.get(k).info().orElseThrow().nameConstraints();
      if (constraints.isEmpty()) {
        continue;
      }
      NameConstraints nc = constraints.get();
      String malformed = malformedSubtree(nc);
      if (malformed != null) {
        return Failure.of(FailureReason.MALFORMED_CERTIFICATE, k, "certificate [" + k
            + "] has a malformed name constraint " + malformed);
      }
      int subtrees = nc.permitted().size() + nc.excluded().size();
      for (int j = 0; j < k; j++) {
        if (j > 0 && path.get(j).isSelfIssued()) {
          continue;
        }
        List<GeneralName> names = names(path.get(j).info().orElseThrow());
        comparisons += (long) names.size() * subtrees;
        if (comparisons > MAX_COMPARISONS) {
          return Failure.of(FailureReason.NAME_CONSTRAINT_VIOLATION, j, "checking the names of"
              + " the path against its name constraints needs more than " + MAX_COMPARISONS
              + " comparisons; refused as a denial-of-service bound");
        }
        for (GeneralName name : names) {
          String violation = violation(name, nc);
          if (violation != null) {
            return Failure.of(FailureReason.NAME_CONSTRAINT_VIOLATION, j, "name " + name
                + " of certificate [" + j + "] " + violation + " of CA certificate [" + k + "]");
          }
        }
      }
    }
    return null;
  }

  private static List<GeneralName> names(CertificateInfo info) {
    List<GeneralName> names = new ArrayList<>(info.subjectAlternativeNames());
    X500Principal subject = info.subject();
    if (subject.getEncoded().length > 2) {
      names.add(new GeneralName(Kind.DIRECTORY_NAME, subject.getName(X500Principal.RFC2253)));
    }
    return names;
  }

  private static String malformedSubtree(NameConstraints nc) {
    List<GeneralName> all = new ArrayList<>(nc.permitted());
    all.addAll(nc.excluded());
    for (GeneralName subtree : all) {
      String value = subtree.value();
      boolean ok = switch (subtree.kind()) {
        case DNS -> HostNames.isHostName(value);
        case EMAIL -> value.contains("@") ? HostNames.isMailbox(value)
            : HostNames.isHostName(value.startsWith(".") ? value.substring(1) : value);
        case URI -> HostNames.isHostName(value.startsWith(".") ? value.substring(1) : value);
        default -> true;
      };
      if (!ok) {
        return subtree.toString();
      }
    }
    return null;
  }

  /** Why the name breaks the constraints ("is outside the permitted subtrees [..]"), or null. */
  private static String violation(GeneralName name, NameConstraints nc) {
    List<GeneralName> permitted = nc.permitted().stream().filter(s -> sameKind(s, name)).toList();
    List<GeneralName> excluded = nc.excluded().stream().filter(s -> sameKind(s, name)).toList();
    if (permitted.isEmpty() && excluded.isEmpty()) {
      return null;
    }
    if (!wellFormed(name)) {
      return "is malformed and cannot be checked against the " + name.kind() + " name constraints";
    }
    for (GeneralName subtree : excluded) {
      if (SubtreeMatch.intersects(name, subtree)) {
        return "falls into the excluded subtree " + subtree;
      }
    }
    if (!permitted.isEmpty() && permitted.stream().noneMatch(s -> SubtreeMatch.within(name, s))) {
      return "is outside the permitted subtrees " + permitted;
    }
    return null;
  }

  private static boolean sameKind(GeneralName subtree, GeneralName name) {
    return subtree.kind() == name.kind();
  }

  private static boolean wellFormed(GeneralName name) {
    return switch (name.kind()) {
      case DNS -> HostNames.isDnsSan(name.value());
      case EMAIL -> HostNames.isMailbox(name.value());
      case URI -> SubtreeMatch.uriHost(name.value()) != null;
      case IP, DIRECTORY_NAME -> true;
      default -> false;
    };
  }
}
