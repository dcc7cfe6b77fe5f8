package dev.mtls.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A clock (the system's, unless given another) that counts how often it is read. Certificate
 * verification reads the clock; a resumed session skips verification, so the count tells full
 * handshakes from resumed ones.
 */
final class CountingClock extends Clock {
  private final AtomicInteger reads = new AtomicInteger();
  private final Clock delegate;

  CountingClock() {
    this(Clock.systemUTC());
  }

  /** Counts the reads of another clock (a fixed one, say). */
  CountingClock(Clock delegate) {
    this.delegate = delegate;
  }

  int reads() {
    return reads.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("not needed");
  }

  @Override
  public Instant instant() {
    reads.incrementAndGet();
    return delegate.instant();
  }
}
