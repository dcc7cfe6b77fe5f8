package dev.mtls.core.revocation;

import dev.mtls.pki.CertificateInfo;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the certificates of a verified path against a {@link RevocationPolicy}: each certificate
 * (the peer's own only, or every one but the trust anchor) is asked of the policy's sources in
 * order until one answers GOOD or REVOKED. The checker owns its caches and one daemon thread
 * ({@code mtls-revocation-N}) that refreshes CRLs before they expire, and a file watcher when
 * the policy names CRL files; {@link #close()} stops them.
 *
 * <p>Configurations create their checker from the policy given to
 * {@code TlsBuilder.revocation(..)}; a {@code PeerVerifier} takes one directly.
 */
public final class RevocationChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationChecker.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final RevocationPolicy policy;
  private final Clock clock;
  private final Duration clockSkew;
  private final ScheduledExecutorService executor;
  private final CrlStore crls;
  private final OcspClient ocsp;
  /** Parsed extensions of checked certificates: handshakes of returning peers parse nothing. */
  private final Map<X509Certificate, CertificateInfo> parsed = new ConcurrentHashMap<>();
  private static final int PARSED_CACHE_SIZE = 1024;

  private RevocationChecker(Builder builder) {
    this.policy = builder.policy;
    this.clock = builder.clock;
    this.clockSkew = builder.clockSkew;
    String name = "mtls-revocation-" + COUNTER.incrementAndGet();
    this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
    try {
      this.crls = new CrlStore(policy, policy.crlList(), clock, executor, builder.onCrlFilesChanged);
      this.ocsp = new OcspClient(policy, clock, clockSkew);
    } catch (RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  /**
   * Starts a checker for a policy.
   *
   * @param policy the policy (not {@code OFF}: a configuration without checking needs no checker)
   * @return a builder
   */
  public static Builder builder(RevocationPolicy policy) {
    return new Builder(policy);
  }

  /**
   * Returns the policy.
   *
   * @return the policy
   */
  public RevocationPolicy policy() {
    return policy;
  }

  /**
   * Checks a verified path.
   *
   * @param path the verified path, peer's certificate first, trust anchor last
   * @param stapledResponses OCSP responses the peer stapled for its own certificate (a server's,
   *     from {@code ExtendedSSLSession.getStatusResponses()}); empty if none
   * @return each checked certificate's status and, if the path must be rejected, why
   */
  public RevocationResult check(List<X509Certificate> path, List<byte[]> stapledResponses) {
    Objects.requireNonNull(path, "path");
    if (path.size() < 2) {
      return new RevocationResult(List.of(), Optional.empty()); // a pinned peer without issuer
    }
    long deadline = System.nanoTime() + policy.deadlineValue().toNanos();
    Instant now = clock.instant();
    int checked = policy.scope() == RevocationPolicy.Scope.END_ENTITY ? 1 : path.size() - 1;
    List<RevocationStatus> statuses = new ArrayList<>();
    for (int i = 0; i < checked; i++) {
      RevocationStatus status = statusOf(i, path.get(i), path.get(i + 1), path,
          i == 0 ? stapledResponses : List.of(), deadline, now);
      statuses.add(status);
      boolean reject = switch (status.status()) {
        case GOOD -> false;
        case REVOKED, UNKNOWN -> true;
        case UNAVAILABLE -> policy.mode() == RevocationPolicy.Mode.HARD_FAIL;
      };
      if (reject) {
        return new RevocationResult(statuses, Optional.of(status));
      }
    }
    return new RevocationResult(statuses, Optional.empty());
  }

  private CertificateInfo info(X509Certificate certificate) {
    CertificateInfo known = parsed.get(certificate);
    if (known != null) {
      return known;
    }
    if (parsed.size() >= PARSED_CACHE_SIZE) {
      parsed.clear();
    }
    CertificateInfo fresh = CertificateInfo.of(certificate);
    parsed.put(certificate, fresh);
    return fresh;
  }

  private RevocationStatus statusOf(int index, X509Certificate certificate, X509Certificate issuer,
      List<X509Certificate> path, List<byte[]> staples, long deadline, Instant now) {
    CertificateInfo info = info(certificate);
    List<String> tried = new ArrayList<>();
    CrlChecker.Verdict unknown = null;
    for (RevocationPolicy.Source source : policy.sources()) {
      CrlChecker.Verdict verdict = switch (source) {
        case STAPLED_OCSP -> staples.isEmpty() ? null : ocsp.fromStaples(certificate, issuer, staples, now);
        case OCSP -> ocsp.ask(certificate, info, issuer, deadline, now);
        case CRL -> {
          List<String> problems = new ArrayList<>();
          List<LoadedCrl> available = crls.crlsFor(info.crlDistributionPoints(), deadline, problems);
          CrlChecker.Verdict fromCrls = new CrlChecker(now, clockSkew).check(certificate, info, issuer,
              path, policy.crlSignerList(), available);
          if (fromCrls.status() == RevocationStatus.Status.UNAVAILABLE && !problems.isEmpty()) {
            yield new CrlChecker.Verdict(fromCrls.status(), fromCrls.source(), fromCrls.reason(),
                fromCrls.revokedAt(), fromCrls.detail() + "; " + String.join("; ", problems));
          }
          yield fromCrls;
        }
      };
      if (verdict == null) {
        continue;
      }
      switch (verdict.status()) {
        case GOOD, REVOKED -> {
          return status(index, certificate, verdict);
        }
        case UNKNOWN -> unknown = verdict;
        default -> tried.add(verdict.source() + ": " + verdict.detail());
      }
    }
    if (unknown != null) {
      return status(index, certificate, unknown);
    }
    String detail = tried.isEmpty() ? "no source applies (no stapled response, no OCSP responder,"
        + " no CRL distribution point or CRL)" : String.join("; ", tried);
    return new RevocationStatus(index, certificate.getSubjectX500Principal().getName(),
        certificate.getSerialNumber(), RevocationStatus.Status.UNAVAILABLE,
        policy.sources().toString().toLowerCase(java.util.Locale.ROOT), Optional.empty(),
        Optional.empty(), detail);
  }

  private static RevocationStatus status(int index, X509Certificate certificate,
      CrlChecker.Verdict verdict) {
    return new RevocationStatus(index, certificate.getSubjectX500Principal().getName(),
        certificate.getSerialNumber(), verdict.status(), verdict.source(), verdict.reason(),
        verdict.revokedAt(), verdict.detail());
  }

  /** Stops the CRL refresh thread and the CRL file watcher. */
  @Override
  public void close() {
    crls.close();
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warn("the revocation refresh thread did not stop within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link RevocationChecker}. */
  public static final class Builder {
    private final RevocationPolicy policy;
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofMinutes(1);
    private Runnable onCrlFilesChanged = () -> { };

    private Builder(RevocationPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      if (policy.mode() == RevocationPolicy.Mode.OFF) {
        throw new IllegalArgumentException("A revocation checker needs a policy that checks;"
            + " RevocationPolicy.off() needs none");
      }
    }

    /**
     * Sets the clock that decides whether CRLs and OCSP responses are current.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the allowance for clocks that disagree (thisUpdate, nextUpdate); one minute by default.
     *
     * @param value zero or more
     * @return this builder
     */
    public Builder clockSkew(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("clockSkew must not be negative, was " + value);
      }
      this.clockSkew = value;
      return this;
    }

    /**
     * Sets what runs after local CRL files reload with new content (configurations reset their
     * sessions then, so that nothing established before a revocation is resumed).
     *
     * @param action the action
     * @return this builder
     */
    public Builder onCrlFilesChanged(Runnable action) {
      this.onCrlFilesChanged = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Loads the policy's CRL files (a file that cannot be read fails here, naming it) and starts
     * the checker's thread.
     *
     * @return the checker
     */
    public RevocationChecker build() {
      return new RevocationChecker(this);
    }
  }
}
