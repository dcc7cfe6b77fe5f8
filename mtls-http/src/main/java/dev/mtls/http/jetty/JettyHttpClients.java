package dev.mtls.http.jetty;

import dev.mtls.core.TlsClient;
import java.util.Objects;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12's {@link HttpClient} with an mtls client configuration.
 *
 * <pre>{@code
 * HttpClient http = JettyHttpClients.newHttpClient(tlsClient);
 * http.start();
 * ContentResponse response = http.GET("https://api.internal:8443/invoices");
 * ...
 * http.stop();
 * }</pre>
 *
 * <p>The client presents the configuration's identity and verifies the server with mtls's
 * verifier: the chain against the configuration's trust anchors, then the host name of the
 * request against the certificate's subject alternative names only (RFC 6125). Jetty's TLS factory
 * is given the configuration's context and made to select exactly its protocols and cipher suites
 * (Jetty's own exclude lists are cleared); it has no host-name verifier of its own, so the
 * decision on the server's name is mtls's, never a check that falls back to the common name.
 *
 * <p>Rotation reaches a running client: the configuration reloads identity and trust underneath
 * the same context, and new connections use what is current. Connections already open keep their
 * session; Jetty pools connections, so a rotated identity is seen by the server once the pool
 * opens a new one.
 */
public final class JettyHttpClients {
  private JettyHttpClients() {}

  /**
   * Returns a Jetty client-side TLS factory with the configuration's context and parameters and
   * none of Jetty's exclude lists. Use it for transports other than HTTP/1.1 (HTTP/2, WebSocket):
   * {@code new ClientConnector().setSslContextFactory(..)}.
   *
   * @param tls the mtls client configuration
   * @return an unstarted factory; the client that uses it starts it
   */
  public static SslContextFactory.Client sslContextFactory(TlsClient tls) {
    Objects.requireNonNull(tls, "tls");
    SslContextFactory.Client factory = new SslContextFactory.Client();
    factory.setSslContext(tls.sslContext());
    JettySsl.selectExactly(factory, tls.sslParameters());
    factory.setHostnameVerifier(null);
    return factory;
  }

  /**
   * Returns a new, unstarted HTTP/1.1 client using {@link #sslContextFactory(TlsClient)}.
   * Anything else (timeouts, executor, redirects) is Jetty's default until set. Start it before
   * use and stop it when done.
   *
   * @param tls the mtls client configuration
   * @return the client
   */
  public static HttpClient newHttpClient(TlsClient tls) {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(sslContextFactory(tls));
    return new HttpClient(new HttpClientTransportOverHTTP(connector));
  }
}
