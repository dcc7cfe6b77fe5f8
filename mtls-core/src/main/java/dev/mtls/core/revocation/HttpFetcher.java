package dev.mtls.core.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * Fetches revocation information over HTTP with {@link HttpURLConnection}: it starts no thread
 * that outlives a request (connections are not kept alive), unlike the JDK 17
 * {@code HttpClient}, which cannot be closed. Every read also checks an overall deadline, so a
 * server that trickles bytes cannot hold a handshake beyond it.
 */
final class HttpFetcher {
  private HttpFetcher() {}

  static byte[] get(URI uri, long deadlineNanos, Duration timeout, long maxBytes, String accept)
      throws IOException {
    return exchange(uri, null, null, deadlineNanos, timeout, maxBytes, accept);
  }

  static byte[] post(URI uri, String contentType, byte[] body, long deadlineNanos, Duration timeout,
      long maxBytes, String accept) throws IOException {
    return exchange(uri, contentType, body, deadlineNanos, timeout, maxBytes, accept);
  }

  private static byte[] exchange(URI uri, String contentType, byte[] body, long deadlineNanos,
      Duration timeout, long maxBytes, String accept) throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("the revocation deadline passed before " + uri + " was asked");
    }
    int millis = (int) Math.max(1, Math.min(timeout.toMillis(), left / 1_000_000));
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
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
          if (System.nanoTime() > deadlineNanos) {
            throw new SocketTimeoutException("the revocation deadline passed while reading " + uri);
          }
        }
        return out.toByteArray();
      }
    } finally {
      connection.disconnect();
    }
  }
}
