package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before certificates in use expire: each certificate once per threshold it crosses, and
 * once more when it has expired. A threshold of half a certificate's validity period or more is
 * not applied to it: a one-day certificate is not "within a day of expiry" news when it arrives,
 * nor a 30-day one within 30 days. It
 * checks when started, whenever material changes, and then on the maintenance thread at the next
 * moment a threshold will be crossed (at least every hour, so a clock that jumps is noticed; at
 * most every second, so a fixed clock costs nothing).
 */
final class ExpiryMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryMonitor.class);
  private static final Duration LONGEST_WAIT = Duration.ofHours(1);
  private static final Duration SHORTEST_WAIT = Duration.ofSeconds(1);

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

  /**
   * Creates a monitor; it schedules its checks on {@code executor}, which its owner shuts down.
   *
   * @param thresholds how long before expiry to warn, any order; expiry itself is always reported
   */
  ExpiryMonitor(List<Duration> thresholds, Supplier<List<Watched>> inUse,
      Consumer<ExpiryEvent> events, Clock clock, ScheduledExecutorService executor) {
    List<Duration> sorted = new ArrayList<>(thresholds);
    sorted.add(Duration.ZERO);
    sorted.sort(null);
    this.thresholds = sorted.stream().distinct().toList(); // ascending, ZERO first
    this.inUse = inUse;
    this.events = events;
    this.clock = clock;
    this.executor = executor;
  }

  /** Checks now (on the caller's thread) and schedules the next check. */
  synchronized void check() {
    if (executor.isShutdown()) {
      return;
    }
    Instant now = clock.instant();
    Duration wait = LONGEST_WAIT;
    Set<String> current = new HashSet<>();
    for (Watched watched : inUse.get()) {
      CertificateSummary summary = CertificateSummary.of(watched.certificate());
      current.add(summary.fingerprint());
      Duration remaining = Duration.between(now, summary.notAfter());
      Duration lifetime = Duration.between(watched.certificate().getNotBefore().toInstant(),
          summary.notAfter());
      Duration crossed = null;
      for (Duration threshold : thresholds) {
        if (threshold.multipliedBy(2).compareTo(lifetime) >= 0) {
          continue; // half the lifetime or more: it would be reported on arrival
        }
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
    reported.keySet().retainAll(current); // forget certificates no longer in use
    schedule(wait);
  }

  private void schedule(Duration wait) {
    if (next != null) {
      next.cancel(false);
    }
    // A little after the crossing, so that a clock read then is past it.
    long millis = Math.max(SHORTEST_WAIT.toMillis(), wait.toMillis() + 50);
    next = executor.schedule(this::checkSafely, millis, TimeUnit.MILLISECONDS);
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("expiry check failed; retrying in an hour", e);
      synchronized (this) {
        if (!executor.isShutdown()) {
          schedule(LONGEST_WAIT);
        }
      }
    }
  }
}
