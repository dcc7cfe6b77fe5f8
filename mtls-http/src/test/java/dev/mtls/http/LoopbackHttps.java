package dev.mtls.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.TlsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/** The JDK's HTTPS server on loopback, configured with an mtls server's context and parameters. */
public final class LoopbackHttps implements AutoCloseable {
  private final HttpsServer server;

  private LoopbackHttps(HttpsServer server) {
    this.server = server;
  }

  /**
   * Starts a server on an ephemeral loopback port.
   *
   * @param tls the server configuration
   * @param handler answers every request
   * @return the started server
   * @throws IOException if the port cannot be bound
   */
  public static LoopbackHttps start(TlsServer tls, HttpHandler handler) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(tls.sslParameters());
      }
    });
    server.createContext("/", handler);
    server.start();
    return new LoopbackHttps(server);
  }

  /**
   * Returns the URI of a raw path on this server, by the name localhost.
   *
   * @param rawPath the path, percent-encoded
   * @return the URI
   */
  public URI uri(String rawPath) {
    return URI.create("https://localhost:" + server.getAddress().getPort() + rawPath);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
