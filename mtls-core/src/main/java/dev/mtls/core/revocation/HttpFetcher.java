package dev.mtls.core.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches revocation information over HTTP with {@link HttpURLConnection}, on a small pool of
 * daemon threads ({@code mtls-revocation-fetch-N}) that {@link #close()} stops. The caller waits
 * for the exchange at most until its deadline or the request timeout, whichever comes first, and
 * then disconnects it: no part of an exchange (name resolution, connecting, headers trickled one
 * byte at a time, the body) can hold a handshake beyond its deadline. Connections are not kept
 * alive, so no thread of the JDK outlives a request (unlike the JDK 17 {@code HttpClient}, which
 * cannot be closed).
 */
final class HttpFetcher implements AutoCloseable {
  private static final int THREADS = 4;
  private static final int QUEUED = 64;

  /** Thrown when the caller's deadline, not the server, ended an exchange. */
  static final class DeadlineExceeded extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    DeadlineExceeded(String message) {
      super(message);
    }
  }

  private final ThreadPoolExecutor pool;
  private final Set<HttpURLConnection> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  HttpFetcher() {
    AtomicInteger threads = new AtomicInteger();
    pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUED), task -> {
          Thread thread = new Thread(task, "mtls-revocation-fetch-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
  }

  byte[] get(URI uri, long deadlineNanos, Duration timeout, long maxBytes, String accept)
      throws IOException {
    return exchange(uri, null, null, deadlineNanos, timeout, maxBytes, accept);
  }

  byte[] post(URI uri, String contentType, byte[] body, long deadlineNanos, Duration timeout,
      long maxBytes, String accept) throws IOException {
    return exchange(uri, contentType, body, deadlineNanos, timeout, maxBytes, accept);
  }

  private byte[] exchange(URI uri, String contentType, byte[] body, long deadlineNanos,
      Duration timeout, long maxBytes, String accept) throws IOException {
    if (closed) {
      throw new IOException("the revocation checker is closed; " + uri + " was not asked");
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new DeadlineExceeded("the revocation deadline passed before " + uri + " was asked");
    }
    boolean deadlineBinds = left <= timeout.toNanos();
    long wait = Math.min(left, timeout.toNanos());
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    AtomicReference<HttpURLConnection> connection = new AtomicReference<>();
    Future<byte[]> future;
    try {
      future = pool.submit(() -> run(uri, contentType, body, millis, maxBytes, accept, connection));
    } catch (RejectedExecutionException e) {
      throw new IOException(closed ? "the revocation checker is closed; " + uri + " was not asked"
          : "too many revocation requests in flight; " + uri + " was not asked", e);
    }
    try {
      return future.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String message = deadlineBinds
          ? "the revocation deadline (" + Duration.ofNanos(left).toMillis() + " ms left) passed while asking " + uri
          : uri + " timed out: no complete answer within the request timeout " + timeout;
      throw deadlineBinds ? new DeadlineExceeded(message) : new SocketTimeoutException(message);
    } catch (CancellationException e) {
      throw new IOException("the revocation checker closed; " + uri + " was not asked", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while asking " + uri);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(uri + " failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      future.cancel(true);
      HttpURLConnection open = connection.get();
      if (open != null) {
        open.disconnect(); // from this thread: unblocks a read stuck on a slow server
      }
    }
  }

  private byte[] run(URI uri, String contentType, byte[] body, int millis, long maxBytes,
      String accept, AtomicReference<HttpURLConnection> holder) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    holder.set(connection);
    active.add(connection);
    try {
      if (closed) {
        throw new IOException("the revocation checker is closed; " + uri + " was not asked");
      }
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("Connection", "close");
      connection.setRequestProperty("Accept", accept);
      if (body != null) {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        throw new IOException("HTTP " + status + " from " + uri);
      }
      long length = connection.getContentLengthLong();
      if (length > maxBytes) {
        throw new IOException(uri + " sent " + length + " bytes; at most " + maxBytes + " are read");
      }
      try (InputStream in = connection.getInputStream()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 8192);
        byte[] buffer = new byte[16384];
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          if (out.size() > maxBytes) {
            throw new IOException(uri + " sent more than " + maxBytes + " bytes");
          }
        }
        return out.toByteArray();
      }
    } finally {
      active.remove(connection);
      connection.disconnect();
    }
  }

  /** Disconnects the exchanges in flight and stops the threads. */
  @Override
  public void close() {
    closed = true;
    for (HttpURLConnection connection : active) {
      connection.disconnect();
    }
    for (Runnable queued : pool.shutdownNow()) {
      if (queued instanceof Future<?> future) {
        future.cancel(false);
      }
    }
    try {
      pool.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
