package dev.mtls.http.jetty;

import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.alpn.server.ALPNServerConnection;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The connection factories for HTTP/2 over TLS. A class of its own so that the optional HTTP/2 and
 * ALPN classes are loaded only when they are used.
 */
final class Http2Factories {
  private Http2Factories() {}

  static ConnectionFactory[] withHttp2(SslContextFactory.Server ssl, HttpConfiguration configuration,
      HttpConnectionFactory http11) {
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(configuration);
    // Without protocols listed, the factory offers those after it on the connector, under their ALPN
    // ids ("h2", "http/1.1"); HttpConnectionFactory.getProtocol() is "HTTP/1.1", which no client sends.
    ALPNServerConnectionFactory alpn = new AnyEngineAlpn();
    alpn.setDefaultProtocol(http11.getProtocol());
    return new ConnectionFactory[] {new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11};
  }

  /**
   * ALPN for any {@code SSLEngine}. Jetty's JDK ALPN processor applies only to engines whose class
   * is in {@code java.base}, and refuses the connection otherwise; the engines of an mtls
   * configuration with listeners are decorated (to report their handshakes), so this factory
   * installs the protocol selector itself, the way Jetty's processor does, through the standard
   * {@link SSLEngine#setHandshakeApplicationProtocolSelector} that every engine on Java 9 and
   * later has and that the decorator passes on.
   */
  private static final class AnyEngineAlpn extends ALPNServerConnectionFactory {
    AnyEngineAlpn() {
      super(new String[0]);
    }

    @Override
    protected AbstractConnection newServerConnection(Connector connector, EndPoint endPoint, SSLEngine engine,
        List<String> protocols, String defaultProtocol) {
      ALPNServerConnection connection = new ALPNServerConnection(connector, endPoint, engine, protocols,
          defaultProtocol);
      Selector selector = new Selector(connection);
      engine.setHandshakeApplicationProtocolSelector(selector);
      if (endPoint instanceof SslConnection.SslEndPoint ssl) {
        ssl.getSslConnection().addHandshakeListener(selector);
      }
      return connection;
    }
  }

  /** Picks the protocol from the client's list; falls back to the default if the client sent none. */
  private static final class Selector implements BiFunction<SSLEngine, List<String>, String>, SslHandshakeListener {
    private final ALPNServerConnection connection;

    Selector(ALPNServerConnection connection) {
      this.connection = connection;
    }

    @Override
    public String apply(SSLEngine engine, List<String> offered) {
      try {
        connection.select(offered);
        return connection.getProtocol();
      } catch (RuntimeException e) {
        return null; // no protocol in common: JSSE answers with a no_application_protocol alert
      }
    }

    @Override
    public void handshakeSucceeded(Event event) {
      if (connection.getProtocol() == null) {
        connection.unsupported(); // the client did not use ALPN: the default protocol
      }
    }
  }
}
