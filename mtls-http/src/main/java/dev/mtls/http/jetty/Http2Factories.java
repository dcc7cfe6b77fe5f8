package dev.mtls.http.jetty;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
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
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
    alpn.setDefaultProtocol(http11.getProtocol());
    return new ConnectionFactory[] {new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11};
  }
}
