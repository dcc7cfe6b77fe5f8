package dev.mtls.core.verify;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds certification paths from the peer's certificate through a pool of untrusted
 * intermediates to a trust anchor, depth first, and hands every complete path to a check; when
 * the check rejects a path, the next alternative is tried (an expired cross-signed intermediate
 * does not hide a valid path through its re-issued twin).
 *
 * <p>Issuer candidates are matched by name (the child's issuer equals the candidate's subject);
 * a candidate whose subject key identifier contradicts the child's authority key identifier is
 * skipped, and candidates that agree with it are tried first, trust anchors before the pool. A
 * certificate (or another certificate with the same subject and key) appears at most once per
 * path, which cuts cycles.
 *
 * <p>Bounds, so that a hostile pool cannot make a handshake expensive: at most
 * {@link #MAX_SIGNATURE_CHECKS} signature verifications (each child/issuer pair is verified
 * once), at most {@link #MAX_COMPLETE_PATHS} complete paths checked, at most
 * {@link #MAX_CANDIDATES_PER_CERTIFICATE} issuer candidates per certificate, and paths no longer
 * than the configured maximum chain length (self-issued intermediates, which do not count towards
 * it, are capped at the same number again).
 */
final class PathBuilder {
  /** Signature verifications per verification, across all candidate paths. */
  static final int MAX_SIGNATURE_CHECKS = 64;
  /** Complete paths (ending in a trust anchor) checked per verification. */
  static final int MAX_COMPLETE_PATHS = 16;
  /** Issuer candidates considered for one certificate. */
  static final int MAX_CANDIDATES_PER_CERTIFICATE = 16;

  /** Checks a complete path; returns null if it is acceptable. */
  interface PathCheck {
    Failure check(List<PathCertificate> path);
  }

  /**
   * The outcome: a path that passed the check (failure null), or the failure to report with the
   * path it concerns.
   */
  record Result(List<PathCertificate> path, Failure failure) {}

  private final List<PathCertificate> anchors;
  private final List<PathCertificate> pool;
  private final int maxChainLength;
  private final PathCheck check;
  private final Map<List<PathCertificate>, Boolean> signatures = new HashMap<>();
  private int completePaths;
  private boolean exhausted;
  private Result firstRejected;
  private Result tooLong;
  private Result badSignature;
  private List<PathCertificate> deepestPartial = List.of();

  PathBuilder(List<PathCertificate> anchors, List<PathCertificate> pool, int maxChainLength,
      PathCheck check) {
    this.anchors = anchors;
    this.pool = pool.stream().filter(c -> !anchors.contains(c)).distinct().toList();
    this.maxChainLength = maxChainLength;
    this.check = check;
  }

  Result build(PathCertificate leaf) {
    List<PathCertificate> path = new ArrayList<>();
    PathCertificate start = anchors.stream().filter(leaf::equals).findFirst().orElse(leaf);
    path.add(start);
    List<PathCertificate> found = search(path);
    if (found != null) {
      return new Result(found, null);
    }
    if (firstRejected != null) {
      return firstRejected;
    }
    if (tooLong != null) {
      return tooLong;
    }
    if (badSignature != null) {
      return badSignature;
    }
    int last = deepestPartial.size() - 1;
    PathCertificate end = deepestPartial.get(last);
    String detail = "no trust anchor or intermediate issued '"
        + end.certificate().getIssuerX500Principal().getName() + "' (the issuer of certificate ["
        + last + "])" + (exhausted ? "; path building stopped at its bounds (" + MAX_SIGNATURE_CHECKS
        + " signature checks, " + MAX_COMPLETE_PATHS + " complete paths)" : "");
    return new Result(deepestPartial, Failure.of(FailureReason.UNTRUSTED_ISSUER, last, detail));
  }

  private List<PathCertificate> search(List<PathCertificate> path) {
    if (path.size() > deepestPartial.size()) {
      deepestPartial = List.copyOf(path);
    }
    PathCertificate current = path.get(path.size() - 1);
    if (current.isTrustAnchor()) {
      if (completePaths >= MAX_COMPLETE_PATHS) {
        exhausted = true;
        return null;
      }
      completePaths++;
      Failure failure = check.check(path);
      if (failure == null) {
        return List.copyOf(path);
      }
      if (firstRejected == null) {
        firstRejected = new Result(List.copyOf(path), failure);
      }
      return null;
    }
    for (PathCertificate issuer : candidates(current, path)) {
      if (exhausted) {
        return null;
      }
      path.add(issuer);
      if (logicalLength(path) > maxChainLength || path.size() > 2 * maxChainLength) {
        if (tooLong == null) {
          tooLong = new Result(List.copyOf(path), Failure.of(FailureReason.PATH_TOO_LONG,
              path.size() - 1, "the path is longer than the maximum chain length of "
                  + maxChainLength + " certificates (leaf and trust anchor included, self-issued"
                  + " intermediates not counted)"));
        }
      } else if (signedBy(current, issuer)) {
        List<PathCertificate> found = search(path);
        if (found != null) {
          return found;
        }
      } else if (badSignature == null && !exhausted) {
        badSignature = new Result(List.copyOf(path), Failure.of(FailureReason.WEAK_SIGNATURE,
            path.size() - 2, "the signature of certificate [" + (path.size() - 2)
                + "] does not verify with the public key of its issuer candidate '"
                + issuer.certificate().getSubjectX500Principal().getName() + "'")
            .withJdkReason(BasicReason.INVALID_SIGNATURE));
      }
      path.remove(path.size() - 1);
    }
    return null;
  }

  /** Certificates in the path, not counting self-issued intermediates (RFC 5280 6.1.4 (l)). */
  static int logicalLength(List<PathCertificate> path) {
    int length = path.size();
    for (int i = 1; i < path.size() - 1; i++) {
      if (path.get(i).isSelfIssued()) {
        length--;
      }
    }
    return length;
  }

  private List<PathCertificate> candidates(PathCertificate child, List<PathCertificate> path) {
    Optional<byte[]> aki = child.authorityKeyId();
    List<PathCertificate> preferred = new ArrayList<>();
    List<PathCertificate> others = new ArrayList<>();
    for (List<PathCertificate> source : List.of(anchors, pool)) {
      for (PathCertificate candidate : source) {
        if (!candidate.certificate().getSubjectX500Principal()
            .equals(child.certificate().getIssuerX500Principal()) || onPath(candidate, path)) {
          continue;
        }
        Optional<byte[]> ski = candidate.info().flatMap(i -> i.subjectKeyIdentifier());
        if (aki.isPresent() && ski.isPresent()) {
          if (Arrays.equals(aki.get(), ski.get())) {
            preferred.add(candidate);
          }
        } else {
          others.add(candidate);
        }
      }
    }
    preferred.addAll(others);
    return preferred.size() > MAX_CANDIDATES_PER_CERTIFICATE
        ? preferred.subList(0, MAX_CANDIDATES_PER_CERTIFICATE) : preferred;
  }

  private static boolean onPath(PathCertificate candidate, List<PathCertificate> path) {
    for (PathCertificate member : path) {
      if (member.equals(candidate) || member.certificate().getSubjectX500Principal()
          .equals(candidate.certificate().getSubjectX500Principal())
          && member.certificate().getPublicKey().equals(candidate.certificate().getPublicKey())) {
        return true;
      }
    }
    return false;
  }

  private boolean signedBy(PathCertificate child, PathCertificate issuer) {
    List<PathCertificate> edge = List.of(child, issuer);
    Boolean known = signatures.get(edge);
    if (known != null) {
      return known;
    }
    if (signatures.size() >= MAX_SIGNATURE_CHECKS) {
      exhausted = true;
      return false;
    }
    boolean valid;
    try {
      PublicKey key = issuer.certificate().getPublicKey();
      child.certificate().verify(key);
      valid = true;
    } catch (GeneralSecurityException | RuntimeException e) {
      valid = false;
    }
    signatures.put(edge, valid);
    return valid;
  }
}
