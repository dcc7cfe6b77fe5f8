package dev.mtls.core.revocation;

import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRLs fetched from distribution points over HTTP, cached (bounded) and refreshed in the
 * background before their nextUpdate: at most once a minute, less often while a download brings
 * nothing newer, and not at all once no handshake used a CRL since its last refresh. A location
 * that fails, or serves a CRL already past its nextUpdate, is not asked again for the failure
 * memory period; a cached CRL is never replaced by one with a lower CRL number. Concurrent
 * handshakes share one download.
 */
final class FetchedCrls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FetchedCrls.class);
  /** CRLs can be large: a million entries is some 40 MB. */
  static final long MAX_CRL_BYTES = 64L * 1024 * 1024;
  /** The soonest a CRL is downloaded again in the background. */
  static final Duration MIN_REFRESH = Duration.ofMinutes(1);
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);
  /** The time a background download may take: no handshake waits for it. */
  private static final Duration REFRESH_BUDGET = Duration.ofSeconds(30);
  private static final Duration REFRESH_WITHOUT_NEXT_UPDATE = Duration.ofHours(1);

  private final RevocationPolicy policy;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final HttpFetcher fetcher;
  private final Map<URI, Entry> fetched = new ConcurrentHashMap<>();
  private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();
  private final InFlight<URI, Fetched> inFlight = new InFlight<>("download");
  private volatile boolean closed;

  FetchedCrls(RevocationPolicy policy, Clock clock, ScheduledExecutorService executor,
      HttpFetcher fetcher) {
    this.policy = policy;
    this.clock = clock;
    this.executor = executor;
    this.fetcher = fetcher;
  }

  /**
   * The CRLs of a certificate's HTTP distribution points: from the cache, or fetched within the
   * deadline.
   *
   * @param problems receives why a distribution point could not be read
   */
  List<LoadedCrl> crlsFor(List<DistributionPoint> points, long deadlineNanos, List<String> problems) {
    List<LoadedCrl> crls = new ArrayList<>();
    for (URI uri : httpLocations(points)) {
      Entry entry = fetched.get(uri);
      Instant now = clock.instant();
      LoadedCrl crl = entry == null ? null : entry.crl;
      if (entry != null) {
        entry.used = true;
      }
      if (crl == null || crl.info.nextUpdate().map(now::isAfter).orElse(false)) {
        LoadedCrl fresh = fetchShared(uri, deadlineNanos, policy.requestTimeoutValue(), problems);
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

  /** Fetches a CRL, or waits for the fetch of the same location already in flight. */
  private LoadedCrl fetchShared(URI uri, long deadlineNanos, Duration timeout, List<String> problems) {
    Instant now = clock.instant();
    Instant until = failedUntil.get(uri);
    if (until != null && now.isBefore(until)) {
      problems.add("crl " + uri + ": failed recently, not asked again until " + until);
      return null;
    }
    Fetched result = inFlight.run(uri, deadlineNanos, () -> fetch(uri, deadlineNanos, timeout),
        problem -> new Fetched(null, problem));
    if (result.problem() != null) {
      problems.add("crl " + uri + ": " + result.problem());
    }
    return result.crl();
  }

  /** The outcome of one download: the CRL to use, if any, and what went wrong, if anything. */
  private record Fetched(LoadedCrl crl, String problem) {}

  /**
   * Fetches and parses a CRL and caches it unless the cache holds one with a higher CRL number.
   * A CRL already past its nextUpdate counts as a failure (so that the location is not asked
   * again on every handshake), but is still cached if it is the newest known: its revocations
   * stand.
   */
  private Fetched fetch(URI uri, long deadlineNanos, Duration timeout) {
    Instant now = clock.instant();
    try {
      byte[] body = fetcher.get(uri, deadlineNanos, timeout, MAX_CRL_BYTES, "application/pkix-crl");
      LoadedCrl crl = new LoadedCrl(parse(body, uri), "crl " + uri);
      Entry entry = fetched.computeIfAbsent(uri, u -> new Entry());
      boundFetched();
      LoadedCrl kept;
      boolean newer;
      synchronized (entry) { // the CRL kept is the one this offer left, not a later one
        newer = entry.offer(crl);
        kept = entry.crl;
      }
      Optional<Instant> nextUpdate = crl.info.nextUpdate();
      if (nextUpdate.isPresent() && now.isAfter(nextUpdate.get())) {
        failedUntil.put(uri, now.plus(policy.failureMemoryValue()));
        scheduleRefresh(uri, entry, false);
        return new Fetched(kept, "expired: its nextUpdate was " + nextUpdate.get() + " (now " + now
            + "); not asked again until " + now.plus(policy.failureMemoryValue()));
      }
      failedUntil.remove(uri);
      scheduleRefresh(uri, entry, newer);
      return new Fetched(kept, null);
    } catch (HttpFetcher.DeadlineExceeded e) {
      return new Fetched(null, e.getMessage()); // the handshake's budget, not the server's fault
    } catch (IOException | RuntimeException e) {
      failedUntil.put(uri, now.plus(policy.failureMemoryValue()));
      LOG.debug("CRL fetch from {} failed", uri, e);
      return new Fetched(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private void boundFetched() {
    if (fetched.size() > policy.cacheSizeValue()) {
      Iterator<Map.Entry<URI, Entry>> entries = fetched.entrySet().iterator();
      while (fetched.size() > policy.cacheSizeValue() && entries.hasNext()) {
        Entry dropped = entries.next().getValue();
        entries.remove();
        dropped.cancel();
      }
    }
  }

  /** DER (the norm) is indexed in place, without the JDK's X509CRL; PEM is accepted too. */
  private static CrlInfo parse(byte[] body, URI uri) {
    if (body.length > 0 && body[0] == '-') {
      X509CRL crl = Pem.parseCrls(new String(body, StandardCharsets.US_ASCII)).get(0);
      return CrlInfo.of(crl);
    }
    return CrlInfo.parse(body, uri.toString());
  }

  /**
   * Schedules the next refresh of a fetched CRL, replacing the one scheduled: before its
   * nextUpdate (by a tenth of its validity, at most an hour), at least a minute from now, and
   * later each time a download brings nothing newer.
   */
  private void scheduleRefresh(URI uri, Entry entry, boolean newer) {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    LoadedCrl crl = entry.crl;
    Instant at = crl.info.nextUpdate().map(next -> {
      Duration period = Duration.between(crl.info.thisUpdate(), next);
      Duration margin = period.dividedBy(10).compareTo(Duration.ofHours(1)) > 0
          ? Duration.ofHours(1) : period.dividedBy(10);
      return next.minus(margin);
    }).orElse(now.plus(REFRESH_WITHOUT_NEXT_UPDATE));
    synchronized (entry) {
      schedule(uri, entry, Duration.between(now, at), newer);
    }
  }

  private void schedule(URI uri, Entry entry, Duration untilDue, boolean newer) {
    Duration delay = untilDue;
    if (newer) {
      entry.backoff = MIN_REFRESH;
    } else {
      entry.backoff = entry.backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
          : entry.backoff.multipliedBy(2);
      delay = delay.compareTo(entry.backoff) < 0 ? entry.backoff : delay;
    }
    long millis = Math.max(MIN_REFRESH.toMillis(), delay.toMillis());
    entry.cancel();
    try {
      entry.refresh = executor.schedule(() -> refresh(uri, entry), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  /** Downloads a CRL again in the background, unless no handshake used it since the last time. */
  private void refresh(URI uri, Entry entry) {
    if (closed || fetched.get(uri) != entry) {
      return; // evicted: fetched again when a handshake needs it
    }
    if (!entry.used) {
      fetched.remove(uri, entry);
      LOG.debug("CRL {} unused since its last refresh; dropped from the cache", uri);
      return;
    }
    entry.used = false;
    failedUntil.remove(uri);
    Fetched result = fetch(uri, System.nanoTime() + REFRESH_BUDGET.toNanos(),
        REFRESH_BUDGET.compareTo(policy.requestTimeoutValue()) > 0 ? REFRESH_BUDGET : policy.requestTimeoutValue());
    if (result.problem() != null && !closed) {
      LOG.warn("background refresh of {} failed ({}); retrying in at least {}", uri, result.problem(), MIN_REFRESH);
      if (result.crl() == null) {
        scheduleRefresh(uri, entry, false);
      }
    }
  }

  /** A location's cached CRL, its scheduled refresh, and whether a handshake used it lately. */
  private static final class Entry {
    volatile LoadedCrl crl;
    volatile boolean used = true;
    Duration backoff = MIN_REFRESH;
    ScheduledFuture<?> refresh;

    /**
     * Keeps a CRL unless the one cached has a higher CRL number; returns whether the offered one
     * was kept and is newer (a higher CRL number; a later thisUpdate if either has no number).
     */
    synchronized boolean offer(LoadedCrl offered) {
      LoadedCrl old = crl;
      BigInteger oldNumber = old == null ? null : old.info.crlNumber().orElse(null);
      BigInteger newNumber = offered.info.crlNumber().orElse(null);
      if (old != null && oldNumber != null && newNumber != null && newNumber.compareTo(oldNumber) < 0) {
        return false;
      }
      boolean newer = old == null || (oldNumber == null || newNumber == null
          ? offered.info.thisUpdate().isAfter(old.info.thisUpdate()) : newNumber.compareTo(oldNumber) > 0);
      crl = offered;
      return newer;
    }

    synchronized void cancel() {
      if (refresh != null) {
        refresh.cancel(false);
        refresh = null;
      }
    }
  }

  /** Stops refreshing; the checker closes the fetcher, which disconnects downloads in flight. */
  @Override
  public void close() {
    closed = true;
    fetched.values().forEach(Entry::cancel);
  }
}
