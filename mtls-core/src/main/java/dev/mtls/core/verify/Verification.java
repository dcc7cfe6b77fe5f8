package dev.mtls.core.verify;

import dev.mtls.core.revocation.RevocationChecker;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.revocation.RevocationResult;
import dev.mtls.core.revocation.RevocationStatus;
import dev.mtls.pki.GeneralName;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * One run of the pipeline for one presented chain: path building with alternatives, and on each
 * candidate path the certificate profile, algorithms, extended key usage, name constraints and
 * pins; then the peer's names.
 */
final class Verification {
  private final PeerVerifier verifier;
  private final Instant now;
  private final CertificateProfile profile;
  private final AlgorithmCheck algorithms;
  private final PurposeCheck purposes;
  private final NameConstraintsCheck nameConstraints = new NameConstraintsCheck();

  Verification(PeerVerifier verifier) {
    this.verifier = verifier;
    this.now = verifier.clock().instant();
    this.profile = new CertificateProfile(verifier.profile(), now, verifier.clockSkew(),
        verifier.requiredKeyUsage());
    this.algorithms = new AlgorithmCheck(verifier.minimumRsaKeyBits());
    this.purposes = new PurposeCheck(verifier.profile(), verifier.requiredPurposes());
  }

  VerifiedPath run(X509Certificate leaf, Collection<X509Certificate> intermediates,
      GeneralName expectedName, List<byte[]> stapledResponses) throws PeerVerificationException {
    List<PathCertificate> anchors = verifier.anchorCertificates();
    PathCertificate peer = verifier.parsed(leaf);
    // Built only when a rejection needs it: successful handshakes never pay for the text.
    Supplier<String> expectation = () -> expectation(expectedName, anchors);
    if (verifier.pinsInsteadOfChain() && verifier.pins().contains(peer.pin())) {
      List<PathCertificate> alone = List.of(peer);
      Failure failure = profile.validity(peer, 0);
      if (failure == null && peer.malformed() != null) {
        failure = Failure.of(FailureReason.MALFORMED_CERTIFICATE, 0, peer.malformed().getMessage());
      }
      if (failure == null) {
        failure = PeerNameCheck.check(
            peer.info().orElseThrow(), expectedName, verifier.allowedPeerNames());
      }
      if (failure != null) {
        throw Diagnosis.exception(failure, alone, expectation);
      }
      return new VerifiedPath(List.of(leaf));
    }
    if (anchors.isEmpty()) {
      throw Diagnosis.exception(Failure.of(FailureReason.PIN_MISMATCH, -1,
          PinCheck.message(List.of(peer), verifier.pins())), List.of(peer), expectation);
    }
    List<PathCertificate> pool = new ArrayList<>();
    intermediates.forEach(c -> pool.add(verifier.parsed(c)));
    PathBuilder.Result result = new PathBuilder(anchors, pool, verifier.maxChainLength(),
        this::checkPath).build(peer);
    List<PathCertificate> path = result.path();
    if (result.failure() != null) {
      throw Diagnosis.exception(result.failure(), path, expectation);
    }
    Failure names = PeerNameCheck.check(
        path.get(0).info().orElseThrow(), expectedName, verifier.allowedPeerNames());
    if (names != null) {
      throw Diagnosis.exception(names, path, expectation);
    }
    List<X509Certificate> certificates = path.stream().map(PathCertificate::certificate).toList();
    RevocationChecker revocation = verifier.revocation();
    if (revocation == null) {
      return new VerifiedPath(certificates);
    }
    RevocationResult checked = revocation.check(certificates, stapledResponses);
    if (checked.rejection().isPresent()) {
      throw Diagnosis.exception(revocationFailure(checked.rejection().get(), checked,
          revocation.policy()), path, expectation);
    }
    return new VerifiedPath(certificates, checked.statuses());
  }

  private static Failure revocationFailure(RevocationStatus status, RevocationResult result,
      RevocationPolicy policy) {
    String certificate = "certificate [" + status.index() + "] '" + status.subject() + "' (serial "
        + status.serial().toString(16) + ")";
    String checked = "\nrevocation: " + result.describe();
    return switch (status.status()) {
      case REVOKED -> Failure.of(FailureReason.REVOKED, status.index(), certificate + " was revoked"
          + status.revokedAt().map(at -> " at " + at).orElse("")
          + status.reason().map(r -> ", reason " + r).orElse("") + ", according to "
          + status.source() + checked);
      case UNKNOWN -> Failure.of(FailureReason.REVOCATION_UNKNOWN, status.index(), certificate
          + " is unknown to " + status.source() + (status.detail() == null ? "" : " (" + status.detail()
          + ")") + checked);
      default -> Failure.of(FailureReason.REVOCATION_UNKNOWN, status.index(), "the revocation status"
          + " of " + certificate + " could not be established and the policy is "
          + policy.mode() + ": " + status.detail() + checked);
    };
  }

  /** The checks of one candidate path, from the trust anchor down, as RFC 5280 section 6.1. */
  private Failure checkPath(List<PathCertificate> path) {
    for (int i = path.size() - 1; i >= 0; i--) {
      Failure failure = profile.check(path, i);
      if (failure == null) {
        failure = algorithms.check(path, i);
      }
      if (failure != null) {
        return failure;
      }
    }
    Failure failure = purposes.check(path);
    if (failure == null) {
      failure = nameConstraints.check(path);
    }
    if (failure == null) {
      failure = PinCheck.check(path, verifier.pins());
    }
    return failure;
  }

  private String expectation(GeneralName expectedName, List<PathCertificate> anchors) {
    StringBuilder text = new StringBuilder("a ").append(verifier.peerRole())
        .append(" certificate");
    if (expectedName != null) {
      text.append(" for ").append(expectedName);
    }
    if (!verifier.allowedPeerNames().isEmpty()) {
      text.append(" with one of the names ").append(verifier.allowedPeerNames());
    }
    text.append(", extended key usage ").append(PurposeCheck.names(verifier.requiredPurposes()))
        .append(", valid at ").append(now).append(", on a path of at most ")
        .append(verifier.maxChainLength()).append(" certificates to one of the trust anchors [");
    for (int i = 0; i < anchors.size(); i++) {
      text.append(i == 0 ? "'" : ", '")
          .append(anchors.get(i).certificate().getSubjectX500Principal().getName()).append('\'');
    }
    text.append("] (profile ").append(verifier.profile()).append(')');
    if (!verifier.pins().isEmpty()) {
      text.append(", matching one of the pins ").append(verifier.pins().stream().sorted().toList());
    }
    return text.toString();
  }
}
