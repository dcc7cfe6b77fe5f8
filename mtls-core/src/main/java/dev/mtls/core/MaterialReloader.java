package dev.mtls.core;

import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.watch.FileWatcher;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.PkiException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rereads a configuration's identity and trust sources and, when the new material is valid and
 * different, swaps it in underneath the fixed {@code SSLContext}: the key manager's identities,
 * the trust manager's verifier (then the session state, so that nothing established under the
 * old trust is resumed). Invalid material is refused and the old material keeps serving. Reloads
 * are serialised; each ends in a {@link ReloadEvent}.
 */
final class MaterialReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaterialReloader.class);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  /** The first retry of a failed automatic reload; each further one waits twice as long. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /**
   * What a reloader works on.
   *
   * @param verifierFor the peer verifier for a set of trust anchors, with the configured options
   * @param ownVerifier a verifier of the own chain for a set of identity anchors, with the
   *     configured profile, clock and skew
   */
  record Setup(
      IdentitySource identitySource,
      TrustSource trustSource,
      TrustSource identityAnchors,
      PeerRole ownRole,
      Function<List<X509Certificate>, PeerVerifier> verifierFor,
      Function<List<X509Certificate>, PeerVerifier> ownVerifier,
      IdentityKeyManager keys,
      VerifyingTrustManager trustManager,
      Runnable resetSessions,
      Consumer<MtlsEvent> events,
      Clock clock,
      Duration clockSkew) {}

  private final Setup setup;
  private ScheduledExecutorService maintenance;
  private ExpiryMonitor expiry;
  private FileWatcher watcher;
  private volatile boolean closed;
  private ScheduledFuture<?> retry; // guarded by this
  private Duration retryDelay = FIRST_RETRY; // guarded by this

  MaterialReloader(Setup setup) {
    this.setup = setup;
  }

  /**
   * The certificates the expiry monitor watches: every identity's chain, and the trust anchors
   * unless they are the JDK's public roots.
   */
  List<ExpiryMonitor.Watched> inUse() {
    List<ExpiryMonitor.Watched> watched = new ArrayList<>();
    for (CertifiedKey identity : setup.keys().identities()) {
      for (X509Certificate certificate : identity.chain()) {
        watched.add(new ExpiryMonitor.Watched(certificate, ReloadEvent.Material.IDENTITY,
            setup.identitySource().description()));
      }
    }
    if (setup.trustSource() != null && !(setup.trustSource() instanceof TrustSources.SystemDefault)) {
      for (X509Certificate anchor : setup.trustManager().verifier().trustAnchors()) {
        watched.add(new ExpiryMonitor.Watched(anchor, ReloadEvent.Material.TRUST,
            setup.trustSource().description()));
      }
    }
    return watched;
  }

  /**
   * Starts the expiry monitor (if thresholds are given) and the watcher (if the policy asks), on
   * one maintenance thread plus the watcher's own.
   */
  void start(List<Duration> expiryThresholds, ReloadPolicy policy) {
    if (!expiryThresholds.isEmpty() || policy.automatic()) {
      String name = "mtls-maintenance-" + COUNTER.incrementAndGet();
      maintenance = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
      });
    }
    if (!expiryThresholds.isEmpty()) {
      expiry = new ExpiryMonitor(expiryThresholds, this::inUse, setup.events()::accept,
          setup.clock(), maintenance);
    }
    if (policy.automatic()) {
      Set<Path> files = new LinkedHashSet<>(identityFiles());
      if (setup.trustSource() != null) {
        files.addAll(setup.trustSource().files());
      }
      if (files.isEmpty()) {
        throw new IllegalStateException("Reload policy " + policy + " needs file-backed material,"
            + " but neither " + setup.identitySource().description() + " nor "
            + (setup.trustSource() == null ? "the pins" : setup.trustSource().description())
            + " reads files; use ReloadPolicy.manual() and call reload()");
      }
      FileWatcher.Builder builder = FileWatcher.builder().files(files)
          .debounce(policy.debounceTime()).watchService(policy.watches())
          .onChange(this::filesChanged);
      if (policy.pollInterval() != null) {
        builder.pollInterval(policy.pollInterval());
      }
      watcher = builder.build();
      watcher.start();
      // A change between the first load and the watcher's first look would otherwise be missed.
      automaticReload(true, setup.trustSource() != null);
    }
    if (expiry != null) {
      expiry.check();
    }
  }

  private List<Path> identityFiles() {
    List<Path> files = new ArrayList<>(setup.identitySource().files());
    if (setup.identityAnchors() != null) {
      files.addAll(setup.identityAnchors().files());
    }
    return files;
  }

  private void filesChanged(Set<Path> changed) {
    boolean identity = changed.stream().anyMatch(identityFiles()::contains);
    boolean trust = setup.trustSource() != null
        && changed.stream().anyMatch(setup.trustSource().files()::contains);
    automaticReload(identity, trust);
  }

  /**
   * A reload the watcher or a retry asked for. A failure is retried with backoff (1 s doubling
   * to 5 min) until it succeeds or the files change again, so that a renewal refused for a
   * passing reason (a clock slightly behind, an unreadable file) is not lost.
   */
  private synchronized void automaticReload(boolean identity, boolean trust) {
    if (closed) {
      return;
    }
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    boolean failed = false;
    if (identity) {
      failed |= reloadIdentity().outcome() == ReloadEvent.Outcome.FAILED;
    }
    if (trust) {
      failed |= reloadTrust().outcome() == ReloadEvent.Outcome.FAILED;
    }
    if (!failed) {
      retryDelay = FIRST_RETRY;
    } else if (!closed) {
      boolean identityToo = identity;
      boolean trustToo = trust;
      retry = maintenance.schedule(() -> automaticReload(identityToo, trustToo),
          retryDelay.toMillis(), TimeUnit.MILLISECONDS);
      LOG.debug("retrying the failed reload in {}", retryDelay);
      retryDelay = retryDelay.multipliedBy(2).compareTo(LONGEST_RETRY) > 0
          ? LONGEST_RETRY : retryDelay.multipliedBy(2);
    }
  }

  /** Reloads both kinds of material; returns the identity's outcome, then the trust's. */
  synchronized List<ReloadEvent> reload() {
    List<ReloadEvent> outcomes = new ArrayList<>();
    outcomes.add(reloadIdentity());
    if (setup.trustSource() != null) {
      outcomes.add(reloadTrust());
    }
    return List.copyOf(outcomes);
  }

  synchronized ReloadEvent reloadIdentity() {
    List<CertifiedKey> before = setup.keys().identities();
    List<CertificateSummary> previous = summaries(before.stream().map(CertifiedKey::certificate).toList());
    String source = setup.identitySource().description();
    List<CertifiedKey> loaded;
    try {
      loaded = setup.identitySource().load();
      if (loaded != null && sameChains(before, loaded)) {
        return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.IDENTITY, source,
            ReloadEvent.Outcome.UNCHANGED, previous, previous, null), null);
      }
      validateIdentities(loaded, source);
    } catch (Exception e) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.IDENTITY, source,
          ReloadEvent.Outcome.FAILED, previous, previous, messageOf(e)), e);
    }
    setup.keys().swap(loaded);
    // Resumed sessions carry no certificate: without a reset, peers that resume keep seeing
    // (and, on a server, keep being seen with) the old identity until their session ends.
    resetSessions();
    List<CertificateSummary> current = summaries(loaded.stream().map(CertifiedKey::certificate).toList());
    return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.IDENTITY, source,
        ReloadEvent.Outcome.CHANGED, previous, current, null), null);
  }

  synchronized ReloadEvent reloadTrust() {
    PeerVerifier old = setup.trustManager().verifier();
    List<CertificateSummary> previous = sortedSummaries(List.copyOf(old.trustAnchors()));
    String source = setup.trustSource().description();
    PeerVerifier fresh;
    try {
      List<X509Certificate> anchors = setup.trustSource().load();
      validateAnchors(anchors, source);
      fresh = setup.verifierFor().apply(anchors);
    } catch (Exception e) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.TRUST, source,
          ReloadEvent.Outcome.FAILED, previous, previous, messageOf(e)), e);
    }
    List<CertificateSummary> current = sortedSummaries(List.copyOf(fresh.trustAnchors()));
    if (fingerprints(previous).equals(fingerprints(current))) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.TRUST, source,
          ReloadEvent.Outcome.UNCHANGED, previous, previous, null), null);
    }
    setup.trustManager().swap(fresh);
    // Sessions made under the old anchors must not be resumed: a removed CA's clients would
    // otherwise skip the trust manager until their session ends.
    resetSessions();
    return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.TRUST, source,
        ReloadEvent.Outcome.CHANGED, previous, current, null), null);
  }

  private void resetSessions() {
    try {
      setup.resetSessions().run();
    } catch (RuntimeException e) {
      LOG.warn("new material is in use, but the session state could not be reset: sessions made"
          + " before may still be resumed until the resumption policy ends them", e);
    }
  }

  private ReloadEvent report(ReloadEvent event, Exception cause) {
    switch (event.outcome()) {
      case FAILED -> LOG.debug("reload of {} failed", event.source(), cause);
      case UNCHANGED -> LOG.debug("reload of {}: unchanged", event.source());
      case CHANGED -> {
        if (expiry != null) {
          try {
            expiry.check();
          } catch (RuntimeException e) {
            LOG.warn("expiry check after a reload failed", e);
          }
        }
      }
      default -> throw new IllegalStateException(event.outcome().name());
    }
    if (event.outcome() != ReloadEvent.Outcome.UNCHANGED) {
      setup.events().accept(event);
    }
    return event;
  }

  /** Where events go when a configuration has no listeners: they still reach the log. */
  static void logOnly(MtlsEvent event) {
    if (event instanceof ReloadEvent reload && reload.outcome() == ReloadEvent.Outcome.FAILED
        || event instanceof ExpiryEvent) {
      LOG.warn(Slf4jListener.format(event));
    } else {
      LOG.info(Slf4jListener.format(event));
    }
  }

  /**
   * Refuses material that cannot serve: a key that is not the certificate's, a chain whose
   * certificates do not sign each other, dates outside the validity period, an extended key
   * usage that does not allow this side's role, and, when anchors for the own identity are
   * configured, a chain that does not build to one of them.
   */
  void validateIdentities(List<CertifiedKey> identities, String source) {
    if (identities == null || identities.isEmpty()) {
      throw new PkiException(source + ": found no identity; expected at least one private key with"
          + " its certificate chain");
    }
    Instant now = setup.clock().instant();
    PeerVerifier anchored = setup.identityAnchors() == null ? null
        : setup.ownVerifier().apply(setup.identityAnchors().load());
    for (CertifiedKey identity : identities) {
      X509Certificate leaf = identity.certificate();
      String what = source + ": certificate '" + leaf.getSubjectX500Principal().getName()
          + "' (serial " + leaf.getSerialNumber().toString(16) + ")";
      if (!Certificates.keyMatches(identity.privateKey(), leaf)) {
        throw new PkiException(what + " does not match the private key; expected the"
            + " key the certificate was issued for (a certificate and key from different renewals?)");
      }
      List<X509Certificate> chain = identity.chain();
      for (int i = 0; i < chain.size(); i++) {
        X509Certificate certificate = chain.get(i);
        checkDates(certificate, now, source);
        if (i + 1 < chain.size()) {
          checkSignedBy(certificate, chain.get(i + 1), source, i);
        }
      }
      checkExtendedKeyUsage(leaf, what);
      if (leaf.getBasicConstraints() >= 0) {
        throw new PkiException(what + " is a CA certificate; expected an end-entity certificate");
      }
      if (anchored != null) {
        try {
          anchored.verify(chain, null);
        } catch (GeneralSecurityException e) {
          throw new PkiException(what + " does not chain to the configured identity"
              + " anchors: " + e.getMessage(), e);
        }
      }
    }
  }

  private void checkDates(X509Certificate certificate, Instant now, String source) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    String what = source + ": certificate '" + certificate.getSubjectX500Principal().getName() + "'";
    if (!notBefore.isBefore(notAfter)) {
      throw new PkiException(what + " has notBefore " + notBefore
          + " not before notAfter " + notAfter + "; expected a validity period");
    }
    if (notBefore.isAfter(now.plus(setup.clockSkew()))) {
      throw new PkiException(what + " is not valid until " + notBefore
          + "; expected a certificate valid now (" + now + ")");
    }
    if (!notAfter.isAfter(now)) {
      throw new PkiException(what + " expired at " + notAfter
          + "; expected a certificate valid now (" + now + ")");
    }
  }

  /** Refuses a trust bundle in which no certificate is valid now: it would reject every peer. */
  private void validateAnchors(List<X509Certificate> anchors, String source) {
    Instant now = setup.clock().instant();
    boolean anyValid = anchors.stream().anyMatch(anchor ->
        !anchor.getNotBefore().toInstant().isAfter(now.plus(setup.clockSkew()))
            && anchor.getNotAfter().toInstant().isAfter(now.minus(setup.clockSkew())));
    if (!anyValid) {
      throw new PkiException(source + ": none of the " + anchors.size() + " certificates is valid"
          + " now (" + now + "); expected at least one CA certificate within its validity period");
    }
  }

  private static void checkSignedBy(X509Certificate certificate, X509Certificate issuer,
      String source, int index) {
    String what = source + ": chain certificate " + index + " '"
        + certificate.getSubjectX500Principal().getName() + "'";
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new PkiException(what + " is issued by '"
          + certificate.getIssuerX500Principal().getName() + "' but is followed by '"
          + issuer.getSubjectX500Principal().getName() + "'; expected each certificate to be"
          + " followed by its issuer");
    }
    try {
      certificate.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PkiException(what + " is not signed by the key of the next"
          + " certificate '" + issuer.getSubjectX500Principal().getName() + "' (" + e.getMessage()
          + "); expected each certificate to be followed by its issuer", e);
    }
  }

  private void checkExtendedKeyUsage(X509Certificate leaf, String what) {
    String purpose = setup.ownRole() == PeerRole.SERVER ? SERVER_AUTH : CLIENT_AUTH;
    String purposeName = setup.ownRole() == PeerRole.SERVER ? "serverAuth" : "clientAuth";
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new PkiException(what + " has an unreadable extended key usage", e);
    }
    if (usages != null && !usages.contains(purpose)) {
      throw new PkiException(what + " has extended key usages " + usages
          + "; expected " + purposeName + " (" + purpose + ") for a "
          + setup.ownRole().name().toLowerCase(java.util.Locale.ROOT) + " identity");
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[0]) {
      throw new PkiException(what + " has a key usage without digitalSignature;"
          + " expected digitalSignature for a TLS identity");
    }
  }

  private static boolean sameChains(List<CertifiedKey> a, List<CertifiedKey> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).chain().equals(b.get(i).chain())) {
        return false;
      }
    }
    return true;
  }

  /** Summaries in a stable order (anchors come from a set). */
  private static List<CertificateSummary> summaries(List<X509Certificate> certificates) {
    return certificates.stream().map(CertificateSummary::of).toList();
  }

  private static List<CertificateSummary> sortedSummaries(List<X509Certificate> certificates) {
    return certificates.stream().map(CertificateSummary::of)
        .sorted(java.util.Comparator.comparing(CertificateSummary::subject)
            .thenComparing(CertificateSummary::serial)).toList();
  }

  private static Set<String> fingerprints(List<CertificateSummary> summaries) {
    Set<String> out = new LinkedHashSet<>();
    summaries.forEach(s -> out.add(s.fingerprint()));
    return out;
  }

  private static String messageOf(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /**
   * Stops the watcher and the maintenance thread (expiry checks, reload retries) and waits for
   * them; no automatic reload or expiry check runs after this returns. An explicit
   * {@link #reload()} still works.
   */
  @Override
  public void close() {
    closed = true; // not under the lock: the watcher thread may be waiting for it
    if (watcher != null) {
      watcher.close();
    }
    if (maintenance != null) {
      maintenance.shutdownNow();
      try {
        if (!maintenance.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("the mtls maintenance thread did not stop within {}", CLOSE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
