package dev.mtls.http.jetty;

import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A real Jetty server on loopback with one HTTPS connector, for tests. */
final class JettyHttps implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private JettyHttps(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Starts Jetty with a connector from {@link JettyServerConnectors} on a free loopback port. */
  static JettyHttps start(TlsServer tls, Handler handler) throws Exception {
    return start(jetty -> JettyServerConnectors.builder(jetty, tls).host("127.0.0.1").build(), handler);
  }

  /** Starts Jetty with the connector the function makes for it. */
  static JettyHttps start(Function<Server, ServerConnector> connectorFor, Handler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = connectorFor.apply(server);
    server.addConnector(connector);
    server.setHandler(handler);
    server.setStopTimeout(0);
    server.start();
    return new JettyHttps(server, connector);
  }

  Server server() {
    return server;
  }

  ServerConnector connector() {
    return connector;
  }

  int port() {
    return connector.getLocalPort();
  }

  /** The URI of a raw path on this server, by the name localhost. */
  URI uri(String rawPath) {
    return URI.create("https://localhost:" + port() + rawPath);
  }

  /** Stops Jetty; a failure to stop is reported as an {@link IllegalStateException}. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /** A handler that answers 200 with the text the function makes of the request. */
  static Handler answering(Function<Request, String> body) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body.apply(request), callback);
        return true;
      }
    };
  }

  /** A status and body read off the wire. */
  record RawResponse(int status, String body) {}

  /**
   * Sends one HTTP/1.1 GET with exactly this request target and Host header over a new TLS
   * connection of the client configuration, and reads the response until the server closes.
   */
  static RawResponse rawGet(TlsClient tls, int port, String rawTarget, String host) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + rawTarget + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int firstSpace = response.indexOf(' ');
      int headersEnd = response.indexOf("\r\n\r\n");
      if (firstSpace < 0 || headersEnd < 0) {
        throw new IOException("not an HTTP response: " + response);
      }
      return new RawResponse(Integer.parseInt(response.substring(firstSpace + 1, firstSpace + 4)),
          response.substring(headersEnd + 4));
    }
  }
}
