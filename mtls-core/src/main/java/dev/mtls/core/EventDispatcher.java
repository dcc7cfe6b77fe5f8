package dev.mtls.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners on one named daemon thread through a bounded queue, so that
 * handshakes only ever pay for an {@code offer}. A full queue drops the event and counts it; a
 * listener that throws is logged and keeps receiving events. {@link #close()} stops the thread
 * after delivering what is queued (waiting at most a second).
 */
final class EventDispatcher implements AutoCloseable {
  static final int CAPACITY = 4096;
  /**
   * How long the thread waits for more events after one, before it sleeps until the next: the
   * most an event waits behind another. Under load (one event per request) it wakes this often
   * rather than once per event; each wake-up is a thread switch the server's request threads pay
   * for on a machine with few cores, and at 0.5 ms small machines still lost several percent
   * of their request rate to them (two cores, JettyRequestBenchmark).
   */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final MtlsEvent STOP = new HandshakeEvent(
      null, null, false, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  private final List<MtlsListener> listeners;
  private final BlockingQueue<MtlsEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  EventDispatcher(List<MtlsListener> listeners) {
    this.listeners = List.copyOf(listeners);
    this.thread = new Thread(this::deliver, "mtls-events-" + COUNTER.incrementAndGet());
    this.thread.setDaemon(true);
  }

  /** Starts the delivery thread; events published before this wait in the queue. */
  void start() {
    thread.start();
  }

  /** Queues an event without blocking. */
  void publish(MtlsEvent event) {
    if (closed || listeners.isEmpty()) {
      return;
    }
    if (!queue.offer(event)) {
      long total = dropped.incrementAndGet();
      if (Long.bitCount(total) == 1) { // 1, 2, 4, 8, ...: logs stay readable under a flood
        LOG.warn("mtls event listeners are falling behind: {} events dropped so far", total);
      }
    }
  }

  /**
   * Queues a reload or expiry event, waiting up to a second for room (the caller is a
   * maintenance or reload thread, never a handshake): these are rare and must not be lost to a
   * flood of handshake events. If the queue stays full, the event is logged instead.
   */
  void publishReliably(MtlsEvent event) {
    if (closed) {
      MaterialReloader.logOnly(event);
      return;
    }
    try {
      if (queue.offer(event, 1, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    MaterialReloader.logOnly(event);
  }

  long dropped() {
    return dropped.get();
  }

  private void deliver() {
    List<MtlsEvent> batch = new ArrayList<>();
    try {
      while (true) {
        // poll, not take: a close() whose STOP did not fit in a full queue still ends the loop,
        // even if a listener swallowed the interrupt.
        MtlsEvent event = queue.poll(100, TimeUnit.MILLISECONDS);
        if (event == null) {
          if (closed) {
            return;
          }
          continue;
        }
        if (!deliverToAll(event) || !deliverWhatFollows(batch)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Under load, events come one per request or handshake: rather than being woken by each (a
   * thread switch per event, which a busy server pays for), the thread lingers a moment after
   * an event and takes what arrived meanwhile in one go, until a linger brings nothing.
   *
   * @return false once the STOP event was met
   */
  private boolean deliverWhatFollows(List<MtlsEvent> batch) {
    while (true) {
      if (!closed) {
        LockSupport.parkNanos(this, LINGER_NANOS); // close() unparks: no linger once closed
      }
      batch.clear();
      queue.drainTo(batch); // all that arrived (at most the queue's capacity), so it cannot grow under load
      for (MtlsEvent event : batch) {
        if (!deliverToAll(event)) {
          return false;
        }
      }
      if (batch.isEmpty()) {
        return !closed || !queue.isEmpty();
      }
    }
  }

  /** Delivers one event to every listener; returns false for the STOP event. */
  private boolean deliverToAll(MtlsEvent event) {
    if (event == STOP) {
      return false;
    }
    for (MtlsListener listener : listeners) {
      try {
        deliver(listener, event);
      } catch (RuntimeException e) {
        LOG.warn("mtls event listener {} threw; it keeps receiving events", listener, e);
      }
    }
    return true;
  }

  private static void deliver(MtlsListener listener, MtlsEvent event) {
    if (event instanceof HandshakeEvent handshake) {
      listener.onHandshake(handshake);
    } else if (event instanceof ReloadEvent reload) {
      listener.onReload(reload);
    } else if (event instanceof AccessEvent access) {
      listener.onAccess(access);
    } else {
      listener.onExpiry((ExpiryEvent) event);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!queue.offer(STOP)) {
      thread.interrupt();
    }
    LockSupport.unpark(thread);
    if (!thread.isAlive()) {
      return;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
