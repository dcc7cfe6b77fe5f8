package dev.mtls.core.revocation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Requests in flight, by what they ask for: the first handshake that needs an answer does the
 * work; the others that need the same answer meanwhile wait for it, until their own deadline, so
 * that a slow responder is asked once, not once per handshake.
 *
 * @param <K> what is asked for
 * @param <V> the answer
 */
final class InFlight<K, V> {
  private final Map<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();
  private final String what;

  /**
   * Creates the registry.
   *
   * @param what what a request is called in messages, such as {@code download}
   */
  InFlight(String what) {
    this.what = what;
  }

  /**
   * Does the work, or waits for the same key's work already in flight.
   *
   * @param key what is asked for
   * @param deadlineNanos the {@link System#nanoTime()} after which a waiter gives up
   * @param work the work, done by the first caller for the key
   * @param waitFailed the answer for a waiter whose wait failed, given the problem
   * @return the answer
   */
  V run(K key, long deadlineNanos, Supplier<V> work, Function<String, V> waitFailed) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> other = running.putIfAbsent(key, mine);
    if (other == null) {
      try {
        V answer = work.get();
        mine.complete(answer);
        return answer;
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        running.remove(key, mine);
      }
    }
    try {
      return other.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return waitFailed.apply("the revocation deadline passed while waiting for the " + what + " in flight");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return waitFailed.apply("interrupted while waiting for the " + what + " in flight");
    } catch (ExecutionException e) {
      return waitFailed.apply(e.getCause().getMessage());
    }
  }
}
