package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before certificates in use expire: each certificate once per threshold it crosses, and
 * once more when it has expired. It checks when started, whenever material changes, and then on
 * its own daemon thread at the next moment a threshold will be crossed (at least every hour, so a
 * clock that jumps is noticed).
 */
final class ExpiryMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryMonitor.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration LONGEST_WAIT = Duration.ofHours(1);

  /** A certificate in use and where it comes from. */
  record Watched(X509Certificate certificate, ReloadEvent.Material material, String source) {}

  private final List<Duration> thresholds;
  private final Supplier<List<Watched>> inUse;
  private final Consumer<ExpiryEvent> events;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  /** The smallest threshold reported per certificate fingerprint. */
  private final Map<String, Duration> reported = new HashMap<>();
  private ScheduledFuture<?> next;
  private boolean closed;

  /**
   * @param thresholds how long before expiry to warn, any order; expiry itself is always reported
   */
  ExpiryMonitor(List<Duration> thresholds, Supplier<List<Watched>> inUse,
      Consumer<ExpiryEvent> events, Clock clock) {
    List<Duration> sorted = new ArrayList<>(thresholds);
    sorted.add(Duration.ZERO);
    sorted.sort(null);
    this.thresholds = sorted.stream().distinct().toList(); // ascending, ZERO first
    this.inUse = inUse;
    this.events = events;
    this.clock = clock;
    String name = "mtls-expiry-" + COUNTER.incrementAndGet();
    this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Checks now (on the caller's thread) and schedules the next check. */
  synchronized void check() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    Duration wait = LONGEST_WAIT;
    for (Watched watched : inUse.get()) {
      CertificateSummary summary = CertificateSummary.of(watched.certificate());
      Duration remaining = Duration.between(now, summary.notAfter());
      Duration crossed = null;
      for (Duration threshold : thresholds) {
        if (remaining.compareTo(threshold) <= 0) {
          crossed = threshold;
          break;
        }
        // The next threshold this certificate will cross, to wake up then.
        Duration until = remaining.minus(threshold);
        if (until.compareTo(wait) < 0) {
          wait = until;
        }
      }
      if (crossed == null) {
        continue;
      }
      Duration before = reported.get(summary.fingerprint());
      if (before == null || crossed.compareTo(before) < 0) {
        reported.put(summary.fingerprint(), crossed);
        events.accept(new ExpiryEvent(now, watched.material(), watched.source(), summary, crossed,
            remaining));
      }
    }
    schedule(wait);
  }

  private void schedule(Duration wait) {
    if (next != null) {
      next.cancel(false);
    }
    // A little after the crossing, so that a clock read then is past it.
    long millis = Math.max(50, wait.toMillis() + 50);
    next = executor.schedule(this::checkSafely, millis, TimeUnit.MILLISECONDS);
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("expiry check failed; retrying in an hour", e);
      synchronized (this) {
        if (!closed) {
          schedule(LONGEST_WAIT);
        }
      }
    }
  }

  /** Stops the thread; no check runs after this returns. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
