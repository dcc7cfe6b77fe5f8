package dev.mtls.http.apache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The async client negotiates HTTP/2 by ALPN with a server that offers it, and the
 * configuration's protocols and cipher suites still hold. The server is plain Jetty, given the
 * mtls server configuration's context and parameters by hand.
 */
class ApacheHttp2Test {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey CLIENT = CA.client("billing");

  private TlsServer tls;
  private Server jetty;
  private int port;

  @BeforeEach
  void start() throws Exception {
    tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
    SSLParameters parameters = tls.sslParameters();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.sslContext());
    ssl.setNeedClientAuth(true);
    ssl.setIncludeProtocols(parameters.getProtocols());
    ssl.setExcludeProtocols();
    ssl.setIncludeCipherSuites(parameters.getCipherSuites());
    ssl.setExcludeCipherSuites();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer(false));
    HttpConnectionFactory http1 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(config);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(http2.getProtocol(), http1.getProtocol());
    alpn.setDefaultProtocol(http1.getProtocol());
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
        http2, http1);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        SSLSession session = ((EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE))
            .sslSession();
        String seen;
        try {
          seen = request.getConnectionMetaData().getHttpVersion().asString() + " " + session.getProtocol() + " "
              + session.getCipherSuite() + " "
              + ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber().toString(16);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
          seen = "no client certificate";
        }
        Content.Sink.write(response, true, seen, callback);
        return true;
      }
    });
    jetty.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    tls.close();
  }

  private String get(TlsClient client) throws Exception {
    try (CloseableHttpAsyncClient http = ApacheHttpClients.async(client).build()) {
      http.start();
      SimpleHttpResponse response = http.execute(
          SimpleRequestBuilder.get(URI.create("https://localhost:" + port + "/")).build(), null)
          .get(20, TimeUnit.SECONDS);
      assertThat(response.getCode()).isEqualTo(200);
      return response.getBodyText();
    }
  }

  @Test
  void async_negotiatesHttp2WithTheDefaultConfiguration() throws Exception {
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
        .listeners().build()) {
      assertThat(get(client)).startsWith("HTTP/2.0 TLSv1.3 TLS_")
          .endsWith(" " + CLIENT.certificate().getSerialNumber().toString(16));
    }
  }

  @Test
  void async_negotiatesHttp2WithTheConfiguredProtocolAndSuite() throws Exception {
    String suite = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
        .protocols("TLSv1.2").cipherSuites(suite).listeners().build()) {
      assertThat(get(client)).isEqualTo("HTTP/2.0 TLSv1.2 " + suite + " "
          + CLIENT.certificate().getSerialNumber().toString(16));
    }
  }
}
