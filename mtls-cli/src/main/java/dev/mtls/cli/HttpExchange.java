package dev.mtls.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One HTTP/1.1 GET on an established connection, for {@code probe}: the status and some body. */
final class HttpExchange {
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private HttpExchange() {}

  /** The status and the start of the body. */
  record Response(int status, String body) {}

  /** The server's answer is not HTTP. */
  static final class MalformedResponseException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    MalformedResponseException(String message) {
      super(message);
    }
  }

  /**
   * Sends the request and reads the response.
   *
   * @param in the socket's input, possibly with bytes already read pushed back
   */
  static Response get(Socket socket, InputStream in, URI uri) throws IOException {
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String hostHeader = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String request = "GET " + target + " HTTP/1.1\r\nHost: " + hostHeader
        + "\r\nUser-Agent: mtls-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    try {
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException writeFailure) {
      // A server that refused our certificate may have sent its alert and closed already: read it.
      try {
        in.read();
      } catch (IOException readFailure) {
        readFailure.addSuppressed(writeFailure);
        throw readFailure;
      }
      throw writeFailure;
    }
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int headerEnd = -1;
    long contentLength = -1;
    boolean chunked = false;
    while (received.size() < MAX_RESPONSE_BYTES) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      received.write(buffer, 0, n);
      String text = received.toString(StandardCharsets.ISO_8859_1);
      if (headerEnd < 0) {
        headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
          for (String line : text.substring(0, headerEnd).split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
              contentLength = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
              chunked = true;
            }
          }
        }
      }
      if (headerEnd >= 0 && contentLength >= 0 && received.size() >= headerEnd + 4 + contentLength) {
        break;
      }
      if (headerEnd >= 0 && chunked && text.endsWith("0\r\n\r\n")) {
        break;
      }
    }
    String text = received.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/")) {
      throw new MalformedResponseException(text.isEmpty() ? "the server closed the connection without answering"
          : "the response does not start with an HTTP status line");
    }
    String statusLine = text.lines().findFirst().orElse("");
    String[] parts = statusLine.split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(parts.length > 1 ? parts[1] : "");
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("bad status line '" + statusLine + "'");
    }
    String body = headerEnd < 0 ? "" : text.substring(headerEnd + 4);
    if (chunked) {
      int sizeEnd = body.indexOf("\r\n");
      body = sizeEnd < 0 ? "" : body.substring(sizeEnd + 2);
    }
    byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
    return new Response(status, new String(raw, StandardCharsets.UTF_8));
  }
}
