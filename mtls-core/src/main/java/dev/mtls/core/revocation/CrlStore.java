package dev.mtls.core.revocation;

import dev.mtls.core.watch.FileWatcher;
import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRLs a checker can consult: CRLs given in memory, local CRL files (reloaded when they
 * change; a file that fails to load keeps its previous CRLs), and CRLs fetched from distribution
 * points over HTTP, cached (bounded) and refreshed in the background before their nextUpdate. A
 * location that fails is not asked again for the failure memory period.
 */
final class CrlStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrlStore.class);
  /** CRLs can be large: a million entries is some 40 MB. */
  static final long MAX_CRL_BYTES = 256L * 1024 * 1024;
  private static final Duration REFRESH_RETRY = Duration.ofMinutes(1);
  private static final java.util.concurrent.atomic.AtomicInteger WATCHERS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final Duration REFRESH_WITHOUT_NEXT_UPDATE = Duration.ofHours(1);

  private final RevocationPolicy policy;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Runnable onFileChange;
  private final List<LoadedCrl> fixed;
  private final Map<Path, List<LoadedCrl>> files = new ConcurrentHashMap<>();
  private final Map<URI, LoadedCrl> fetched;
  private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();
  private final FileWatcher watcher;

  CrlStore(RevocationPolicy policy, List<X509CRL> inMemory, Clock clock,
      ScheduledExecutorService executor, Runnable onFileChange) {
    this.policy = policy;
    this.clock = clock;
    this.executor = executor;
    this.onFileChange = onFileChange;
    List<LoadedCrl> given = new ArrayList<>();
    for (X509CRL crl : inMemory) {
      CrlInfo info = CrlInfo.of(crl);
      // Named by issuer and number: a complete CRL and its delta must be told apart in messages.
      given.add(new LoadedCrl(info, "crl in memory from '" + info.issuer().getName() + "'"
          + info.crlNumber().map(n -> " number " + n).orElse("")));
    }
    this.fixed = List.copyOf(given);
    int size = policy.cacheSizeValue();
    this.fetched = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<URI, LoadedCrl> eldest) {
        return size() > size;
      }
    });
    for (Path file : policy.crlFileList()) {
      files.put(file, load(file)); // a bad file fails the configuration's build
    }
    if (policy.crlFileList().isEmpty()) {
      watcher = null;
    } else {
      watcher = FileWatcher.builder().files(policy.crlFileList())
          .threadName("mtls-crl-watch-" + WATCHERS.incrementAndGet())
          .onChange(this::filesChanged).build();
      watcher.start();
    }
  }

  private static List<LoadedCrl> load(Path file) {
    List<LoadedCrl> crls = new ArrayList<>();
    for (X509CRL crl : Pem.readCrls(file)) {
      crls.add(new LoadedCrl(CrlInfo.of(crl), "crl file " + file));
    }
    return List.copyOf(crls);
  }

  private void filesChanged(Set<Path> changed) {
    boolean any = false;
    for (Path file : changed) {
      try {
        files.put(file, load(file));
        any = true;
        LOG.info("reloaded CRL file {}", file);
      } catch (RuntimeException e) {
        LOG.warn("CRL file {} did not load; its previous CRLs stay in use: {}", file, e.getMessage());
      }
    }
    if (any) {
      onFileChange.run();
    }
  }

  /**
   * The CRLs that may speak for a certificate: those given and loaded from files, and those of
   * its HTTP distribution points (from the cache, or fetched within the deadline).
   *
   * @param problems receives why a distribution point could not be read
   */
  List<LoadedCrl> crlsFor(List<DistributionPoint> points, long deadlineNanos, List<String> problems) {
    List<LoadedCrl> crls = new ArrayList<>(fixed);
    files.values().forEach(crls::addAll);
    for (URI uri : httpLocations(points)) {
      LoadedCrl crl = fetched.get(uri);
      Instant now = clock.instant();
      if (crl == null || crl.info.nextUpdate().map(now::isAfter).orElse(false)) {
        LoadedCrl fresh = fetch(uri, deadlineNanos, problems);
        if (fresh != null) {
          crl = fresh;
        }
      }
      if (crl != null) {
        crls.add(crl);
      }
    }
    return crls;
  }

  private static List<URI> httpLocations(List<DistributionPoint> points) {
    List<URI> uris = new ArrayList<>();
    for (DistributionPoint point : points) {
      for (GeneralName name : point.fullName()) {
        if (name.kind() == GeneralName.Kind.URI) {
          try {
            URI uri = URI.create(name.value());
            if ("http".equalsIgnoreCase(uri.getScheme())) {
              uris.add(uri);
            }
          } catch (IllegalArgumentException e) {
            // Not a URI this checker can fetch (the certificate was verified, the CDP is odd).
          }
        }
      }
    }
    return uris;
  }

  /** Fetches, parses and caches a CRL; null (with a problem noted) if that fails. */
  private LoadedCrl fetch(URI uri, long deadlineNanos, List<String> problems) {
    Instant now = clock.instant();
    Instant until = failedUntil.get(uri);
    if (until != null && now.isBefore(until)) {
      problems.add("crl " + uri + ": failed recently, not asked again until " + until);
      return null;
    }
    try {
      byte[] body = HttpFetcher.get(uri, deadlineNanos, policy.requestTimeoutValue(), MAX_CRL_BYTES,
          "application/pkix-crl");
      LoadedCrl crl = new LoadedCrl(CrlInfo.of(parse(body, uri)), "crl " + uri);
      fetched.put(uri, crl);
      failedUntil.remove(uri);
      scheduleRefresh(uri, crl);
      return crl;
    } catch (IOException | RuntimeException e) {
      failedUntil.put(uri, now.plus(policy.failureMemoryValue()));
      problems.add("crl " + uri + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      LOG.debug("CRL fetch from {} failed", uri, e);
      return null;
    }
  }

  private static X509CRL parse(byte[] body, URI uri) {
    if (body.length > 0 && body[0] == '-') {
      return Pem.parseCrls(new String(body, StandardCharsets.US_ASCII)).get(0);
    }
    return CrlInfo.fromDer(body, uri.toString());
  }

  /** Refreshes a fetched CRL before its nextUpdate, so handshakes rarely wait for a download. */
  private void scheduleRefresh(URI uri, LoadedCrl crl) {
    Instant now = clock.instant();
    Instant at = crl.info.nextUpdate().map(next -> {
      Duration period = Duration.between(crl.info.thisUpdate(), next);
      Duration margin = period.dividedBy(10).compareTo(Duration.ofHours(1)) > 0
          ? Duration.ofHours(1) : period.dividedBy(10);
      return next.minus(margin);
    }).orElse(now.plus(REFRESH_WITHOUT_NEXT_UPDATE));
    schedule(uri, Duration.between(now, at));
  }

  private void schedule(URI uri, Duration delay) {
    long millis = Math.max(1000, delay.toMillis());
    try {
      executor.schedule(() -> refresh(uri), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  private void refresh(URI uri) {
    if (!fetched.containsKey(uri)) {
      return; // evicted: fetched again when a handshake needs it
    }
    List<String> problems = new ArrayList<>();
    failedUntil.remove(uri);
    long deadline = System.nanoTime() + policy.requestTimeoutValue().toNanos();
    if (fetch(uri, deadline, problems) == null) {
      LOG.warn("background refresh of {} failed ({}); retrying in {}", uri, problems, REFRESH_RETRY);
      schedule(uri, REFRESH_RETRY);
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
