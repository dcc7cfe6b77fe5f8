package dev.mtls.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A system clock that counts how often it is read. Certificate verification reads the clock; a
 * resumed session skips verification, so the count tells full handshakes from resumed ones.
 */
final class CountingClock extends Clock {
  private final AtomicInteger reads = new AtomicInteger();

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
    return Instant.now();
  }
}
