package dev.mtls.core.revocation;

import dev.mtls.pki.CertificateInfo;
import java.net.URI;
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
 * order until one answers GOOD or REVOKED. The checker owns its caches, one daemon thread
 * ({@code mtls-revocation-N}) that refreshes CRLs before they expire, a few daemon threads
 * ({@code mtls-revocation-fetch-N}) that make the HTTP requests while handshakes wait for them
 * at most until their deadline, and a file watcher when the policy names CRL files;
 * {@link #close()} stops them all and disconnects the requests in flight.
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
  private final HttpFetcher fetcher;

  /** A checked certificate's parsed extensions and the OCSP responder to ask for it. */
  private record Facts(CertificateInfo info, URI responder, CrlScope crlScope) {}

  /** Facts of checked certificates: handshakes of returning peers parse nothing. */
  private final Map<X509Certificate, Facts> parsed = new ConcurrentHashMap<>();
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
    this.fetcher = new HttpFetcher();
    try {
      this.crls = new CrlStore(policy, policy.crlList(), clock, executor, fetcher,
          builder.onCrlFilesChanged);
      this.ocsp = new OcspClient(policy, clockSkew, fetcher);
    } catch (RuntimeException e) {
      fetcher.close();
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
   * @param stapledResponses OCSP responses the peer stapled (a server's, from
   *     {@code ExtendedSSLSession.getStatusResponses()}): index 0 is its own certificate's, an
   *     empty array means none; empty if none
   * @return each checked certificate's status and, if the path must be rejected, why
   */
  public RevocationResult check(List<X509Certificate> path, List<byte[]> stapledResponses) {
    Objects.requireNonNull(path, "path");
    if (path.size() < 2) {
      return notChecked(path); // a pinned peer without issuer
    }
    long deadline = System.nanoTime() + policy.deadlineValue().toNanos();
    byte[] staple = stapledResponses.isEmpty() || stapledResponses.get(0) == null
        || stapledResponses.get(0).length == 0 ? null : stapledResponses.get(0);
    Instant now = clock.instant();
    int checked = policy.scope() == RevocationPolicy.Scope.END_ENTITY ? 1 : path.size() - 1;
    List<RevocationStatus> statuses = new ArrayList<>();
    for (int i = 0; i < checked; i++) {
      RevocationStatus status = statusOf(i, path.get(i), path.get(i + 1), path,
          i == 0 ? staple : null, deadline, now);
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

  /**
   * A path of one certificate (a pinned self-signed peer) has no issuer to ask about it: its
   * status is recorded as unavailable, "not checked", and the path is accepted even under
   * HARD_FAIL, as pinning it is what vouches for it.
   */
  private static RevocationResult notChecked(List<X509Certificate> path) {
    if (path.isEmpty()) {
      return new RevocationResult(List.of(), Optional.empty());
    }
    X509Certificate only = path.get(0);
    return new RevocationResult(List.of(status(0, only, CrlChecker.Verdict.unavailable("none",
        "not checked: no issuer"))), Optional.empty());
  }

  private Facts facts(X509Certificate certificate) {
    Facts known = parsed.get(certificate);
    if (known != null) {
      return known;
    }
    if (parsed.size() >= PARSED_CACHE_SIZE) {
      parsed.clear();
    }
    CertificateInfo info = CertificateInfo.of(certificate);
    Facts fresh = new Facts(info, OcspClient.responderOf(policy, info.ocspUris()), new CrlScope(certificate, info));
    parsed.put(certificate, fresh);
    return fresh;
  }

  private RevocationStatus statusOf(int index, X509Certificate certificate, X509Certificate issuer,
      List<X509Certificate> path, byte[] staple, long deadline, Instant now) {
    Facts facts;
    try {
      facts = facts(certificate);
    } catch (RuntimeException e) {
      return status(index, certificate, CrlChecker.Verdict.unavailable("none",
          "its extensions cannot be read: " + e.getMessage()));
    }
    List<String> tried = new ArrayList<>();
    CrlChecker.Verdict unknown = null;
    for (RevocationPolicy.Source source : policy.sources()) {
      CrlChecker.Verdict verdict;
      try {
        verdict = verdict(source, certificate, facts, issuer, path, staple, deadline, now);
      } catch (RuntimeException e) {
        LOG.debug("revocation source {} failed for '{}'", source, certificate.getSubjectX500Principal(), e);
        verdict = CrlChecker.Verdict.unavailable(source.toString().toLowerCase(java.util.Locale.ROOT),
            "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
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
    return status(index, certificate, CrlChecker.Verdict.unavailable(
        policy.sources().toString().toLowerCase(java.util.Locale.ROOT), detail));
  }

  private CrlChecker.Verdict verdict(RevocationPolicy.Source source, X509Certificate certificate,
      Facts facts, X509Certificate issuer, List<X509Certificate> path, byte[] staple, long deadline,
      Instant now) {
    return switch (source) {
      case STAPLED_OCSP -> staple == null ? null : ocsp.fromStaples(certificate, issuer, staple, now);
      case OCSP -> ocsp.ask(certificate, facts.responder(), issuer, deadline, now);
      case CRL -> {
        List<String> problems = new ArrayList<>();
        List<LoadedCrl> available = crls.crlsFor(facts.info().crlDistributionPoints(), deadline, problems);
        CrlChecker.Verdict fromCrls = new CrlChecker(now, clockSkew).check(certificate, facts.crlScope(),
            issuer, path, policy.crlSignerList(), available);
        if (fromCrls.status() == RevocationStatus.Status.UNAVAILABLE && !problems.isEmpty()) {
          yield CrlChecker.Verdict.unavailable(fromCrls.source(),
              fromCrls.detail() + "; " + String.join("; ", problems));
        }
        yield fromCrls;
      }
    };
  }

  private static RevocationStatus status(int index, X509Certificate certificate,
      CrlChecker.Verdict verdict) {
    return new RevocationStatus(index, certificate.getSubjectX500Principal().getName(),
        certificate.getSerialNumber(), verdict.status(), verdict.source(), verdict.reason(),
        verdict.revokedAt(), verdict.detail());
  }

  /**
   * Stops the CRL refresh thread, the request threads (disconnecting requests in flight) and the
   * CRL file watcher.
   */
  @Override
  public void close() {
    crls.close();
    fetcher.close();
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
