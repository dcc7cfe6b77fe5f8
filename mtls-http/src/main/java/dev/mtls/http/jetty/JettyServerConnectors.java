package dev.mtls.http.jetty;

import dev.mtls.core.TlsServer;
import java.util.Objects;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 HTTPS connectors that speak TLS exactly as an mtls server configuration says.
 *
 * <pre>{@code
 * Server jetty = new Server();
 * ServerConnector https = JettyServerConnectors.builder(jetty, tlsServer).port(8443).build();
 * jetty.addConnector(https);
 * jetty.setHandler(new AccessControlHandler(accessControl, application));
 * jetty.start();
 * }</pre>
 *
 * <p>Given only an {@code SSLContext}, Jetty would still apply settings of its own to every
 * engine: its exclude lists (it drops cipher suites and protocols it considers weak, whatever the
 * configuration chose), its need/want client-authentication flags, and, in
 * {@link SecureRequestCustomizer}, a check that answers 400 when the request's Host header is not
 * a name in the server certificate (which breaks clients that reach a server by an address or an
 * alias the certificate does not list). The connector made here has Jetty select exactly the
 * configuration's protocols, cipher suites and order, asks for client certificates exactly as the
 * configuration does ({@link dev.mtls.core.ClientAuth#REQUIRED REQUIRED} or
 * {@link dev.mtls.core.ClientAuth#OPTIONAL OPTIONAL}), and neither requires SNI nor checks the
 * Host header against the certificate. Engines still come from the configuration's context, so
 * handshake events, rotation, revocation and the resumption bound work as with any other use of
 * the configuration.
 *
 * <p>HTTP/1.1 is always served. HTTP/2 (negotiated with ALPN as {@code h2}, with
 * {@code http/1.1} as the fallback for clients that offer nothing else) is added when Jetty's
 * {@code jetty-http2-server} and {@code jetty-alpn-java-server} are on the class path; they are
 * optional.
 */
public final class JettyServerConnectors {
  private JettyServerConnectors() {}

  /**
   * Starts configuring a connector for a Jetty server.
   *
   * @param server the Jetty server the connector will belong to (the caller adds it)
   * @param tls the mtls server configuration
   * @return a new builder
   */
  public static Builder builder(Server server, TlsServer tls) {
    return new Builder(Objects.requireNonNull(server, "server"), Objects.requireNonNull(tls, "tls"));
  }

  /**
   * Returns a Jetty server-side TLS factory with the configuration's context and parameters, and
   * none of Jetty's own exclude lists, client-authentication defaults or SNI requirement. Use it
   * to build connectors by hand, for instance behind a PROXY-protocol factory (then the
   * connection's address is what the PROXY preamble declares: do not trust forwarding proxies by
   * address on such a connector).
   *
   * @param tls the mtls server configuration
   * @return an unstarted factory; the connector that uses it starts it
   */
  public static SslContextFactory.Server sslContextFactory(TlsServer tls) {
    Objects.requireNonNull(tls, "tls");
    SSLParameters parameters = tls.sslParameters();
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(tls.sslContext());
    JettySsl.selectExactly(factory, parameters);
    factory.setNeedClientAuth(parameters.getNeedClientAuth());
    factory.setWantClientAuth(parameters.getWantClientAuth() && !parameters.getNeedClientAuth());
    factory.setSniRequired(false);
    return factory;
  }

  /**
   * Returns a request customizer that adds the TLS session data to each request (the
   * {@code org.eclipse.jetty.io.Endpoint.SslSessionData} attribute, and the servlet certificate
   * attributes under ee10) without Jetty's SNI host check or SNI requirement and without an HSTS
   * header.
   *
   * @return a new customizer
   */
  public static SecureRequestCustomizer secureRequestCustomizer() {
    return new SecureRequestCustomizer(false, false, -1, false);
  }

  /**
   * Returns whether HTTP/2 over TLS is available: Jetty's HTTP/2 server and its JDK ALPN
   * implementation are on the class path.
   *
   * @return true if {@link Builder#http2(boolean)} can be enabled
   */
  public static boolean http2Available() {
    return present("org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory")
        && present("org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory")
        && present("org.eclipse.jetty.alpn.java.server.JDK9ServerALPNProcessor");
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, JettyServerConnectors.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Configures a connector. Each setter may be called once. */
  public static final class Builder {
    private final Server server;
    private final TlsServer tls;
    private String host;
    private Integer port;
    private HttpConfiguration httpConfiguration;
    private Boolean http2;

    private Builder(Server server, TlsServer tls) {
      this.server = server;
      this.tls = tls;
    }

    /**
     * Sets the address to listen on.
     *
     * <p>If unset, all interfaces.
     *
     * @param address a host name or IP address
     * @return this builder
     * @throws IllegalStateException if the host was already set
     */
    public Builder host(String address) {
      Objects.requireNonNull(address, "host");
      if (host != null) {
        throw new IllegalStateException("host was already set to " + host);
      }
      this.host = address;
      return this;
    }

    /**
     * Sets the port to listen on.
     *
     * <p>If unset, 0: a free port chosen when the server starts
     * ({@link ServerConnector#getLocalPort()} tells which).
     *
     * @param number 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException if the port is out of range
     * @throws IllegalStateException if the port was already set
     */
    public Builder port(int number) {
      if (number < 0 || number > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, was " + number);
      }
      if (port != null) {
        throw new IllegalStateException("port was already set to " + port);
      }
      this.port = number;
      return this;
    }

    /**
     * Sets the HTTP configuration, for instance one with a larger request header size for long
     * forwarded certificate chains, or a {@code ForwardedRequestCustomizer} (which changes what
     * the application sees as the remote address; {@link AccessControlHandler} still reads the
     * connection's own).
     * If it has no {@link SecureRequestCustomizer}, the one of
     * {@link JettyServerConnectors#secureRequestCustomizer()} is added to it; one it already
     * has is kept as it is.
     *
     * <p>If unset, Jetty's defaults with that customizer.
     *
     * @param configuration the configuration
     * @return this builder
     * @throws IllegalStateException if the configuration was already set
     */
    public Builder httpConfiguration(HttpConfiguration configuration) {
      Objects.requireNonNull(configuration, "httpConfiguration");
      if (httpConfiguration != null) {
        throw new IllegalStateException("httpConfiguration was already set to " + httpConfiguration);
      }
      this.httpConfiguration = configuration;
      return this;
    }

    /**
     * Sets whether HTTP/2 is offered (with ALPN, next to HTTP/1.1).
     *
     * <p>If unset, offered when {@link JettyServerConnectors#http2Available()}.
     *
     * @param enabled whether to offer HTTP/2
     * @return this builder
     * @throws IllegalStateException if it was already set, or if it is enabled and Jetty's
     *     HTTP/2 or ALPN classes are missing
     */
    public Builder http2(boolean enabled) {
      if (http2 != null) {
        throw new IllegalStateException("http2 was already set to " + http2);
      }
      if (enabled && !http2Available()) {
        throw new IllegalStateException("http2(true) needs org.eclipse.jetty.http2:jetty-http2-server and"
            + " org.eclipse.jetty:jetty-alpn-java-server on the class path");
      }
      this.http2 = enabled;
      return this;
    }

    /**
     * Builds the connector. Add it to the server with {@link Server#addConnector}.
     *
     * @return the connector, not yet started
     */
    public ServerConnector build() {
      HttpConfiguration configuration = httpConfiguration != null ? httpConfiguration : new HttpConfiguration();
      if (configuration.getCustomizer(SecureRequestCustomizer.class) == null) {
        configuration.addCustomizer(secureRequestCustomizer());
      }
      HttpConnectionFactory http11 = new HttpConnectionFactory(configuration);
      SslContextFactory.Server ssl = sslContextFactory(tls);
      ConnectionFactory[] factories = (http2 != null ? http2 : http2Available())
          ? Http2Factories.withHttp2(ssl, configuration, http11)
          : new ConnectionFactory[] {new SslConnectionFactory(ssl, http11.getProtocol()), http11};
      ServerConnector connector = new ServerConnector(server, factories);
      if (host != null) {
        connector.setHost(host);
      }
      connector.setPort(port != null ? port : 0);
      return connector;
    }
  }
}
