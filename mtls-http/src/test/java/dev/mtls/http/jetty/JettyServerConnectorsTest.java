package dev.mtls.http.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.HandshakeFailure;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.ReloadEvent;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import dev.mtls.testkit.TestRevocationServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jetty 12 connectors from an mtls server configuration, with real clients over loopback. */
class JettyServerConnectorsTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey SERVER = CA.server("localhost");
  private static final CertifiedKey CLIENT = CA.client("billing");
  private static final String CBC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
  private static final String GCM_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

  @TempDir java.nio.file.Path dir;

  private static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  /** Answers with the subject of the client's certificate, or "none". */
  private static org.eclipse.jetty.server.Handler whoAmI() {
    return JettyHttps.answering(request -> {
      X509Certificate[] peer = AccessControlHandler.sslSession(request) == null ? null
          : peerCertificates(request);
      return peer == null ? "none" : peer[0].getSubjectX500Principal().getName();
    });
  }

  private static X509Certificate[] peerCertificates(org.eclipse.jetty.server.Request request) {
    try {
      return (X509Certificate[]) AccessControlHandler.sslSession(request).getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static HttpResponse<String> get(HttpClient http, JettyHttps https, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(https.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpClient http(TlsClient tls, HttpClient.Version version) {
    return JdkHttpClients.builder(tls).version(version).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Records the engines of the handshakes Jetty completed on a connector. */
  private static BlockingQueue<SSLEngine> recordEngines(JettyHttps https) {
    BlockingQueue<SSLEngine> engines = new LinkedBlockingQueue<>();
    https.connector().addBean(new SslHandshakeListener() {
      @Override
      public void handshakeSucceeded(Event event) {
        engines.add(event.getSSLEngine());
      }
    });
    return engines;
  }

  private static void assertSameTls(SSLEngine engine, SSLParameters configured) {
    assertThat(engine.getEnabledProtocols()).containsExactly(configured.getProtocols());
    assertThat(engine.getEnabledCipherSuites()).containsExactly(configured.getCipherSuites());
    assertThat(engine.getNeedClientAuth()).isEqualTo(configured.getNeedClientAuth());
    assertThat(engine.getWantClientAuth()).isEqualTo(configured.getWantClientAuth());
    assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isEqualTo(configured.getUseCipherSuitesOrder());
  }

  @Test
  void build_theEnginesJettyCreatesCarryExactlyTheConfiguredParameters() throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, whoAmI())) {
      BlockingQueue<SSLEngine> engines = recordEngines(https);

      HttpResponse<String> response = get(http(client, HttpClient.Version.HTTP_1_1), https, "/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("CN=billing");
      SSLEngine engine = engines.poll(10, TimeUnit.SECONDS);
      assertThat(engine).as("the engine of the handshake").isNotNull();
      assertThat(tls.sslParameters().getNeedClientAuth()).isTrue();
      assertSameTls(engine, tls.sslParameters());
    }
  }

  @Test
  void build_optionalClientAuth_asksForButDoesNotRequireACertificate() throws Exception {
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, CA.trustManagerFactory().getTrustManagers(), null);
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .clientAuth(ClientAuth.OPTIONAL).listeners().build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, whoAmI())) {
      BlockingQueue<SSLEngine> engines = recordEngines(https);

      HttpClient withoutCertificate = HttpClient.newBuilder().sslContext(anonymous)
          .connectTimeout(Duration.ofSeconds(10)).build();
      assertThat(get(withoutCertificate, https, "/").body()).isEqualTo("none");
      assertThat(get(http(client, HttpClient.Version.HTTP_1_1), https, "/").body()).isEqualTo("CN=billing");

      SSLEngine engine = engines.poll(10, TimeUnit.SECONDS);
      assertThat(engine).isNotNull();
      assertThat(tls.sslParameters().getWantClientAuth()).isTrue();
      assertSameTls(engine, tls.sslParameters());
    }
  }

  @Test
  void build_aSuiteOnJettysExcludeList_isStillOfferedWhenConfigured() throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .protocols("TLSv1.2").cipherSuites(GCM_SUITE, CBC_SUITE).listeners().build();
        TlsClient cbcOnly = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
            .protocols("TLSv1.2").cipherSuites(CBC_SUITE).listeners().build();
        JettyHttps https = JettyHttps.start(tls, whoAmI())) {
      HttpResponse<String> response = get(http(cbcOnly, HttpClient.Version.HTTP_1_1), https, "/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.sslSession()).hasValueSatisfying(session -> {
        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getCipherSuite()).isEqualTo(CBC_SUITE);
      });

      // What this guards against: Jetty's own factory, given the same context, drops the suite.
      SslContextFactory.Server plain = new SslContextFactory.Server();
      plain.setSslContext(tls.sslContext());
      plain.start();
      try {
        assertThat(plain.newSSLEngine().getEnabledCipherSuites()).containsExactly(GCM_SUITE);
      } finally {
        plain.stop();
      }
    }
  }

  @Test
  void build_aHostHeaderThatIsNotInTheCertificate_isServed() throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, whoAmI());
        JettyHttps jettyDefaults = JettyHttps.start(jetty -> {
          HttpConfiguration withSniHostCheck = new HttpConfiguration();
          withSniHostCheck.addCustomizer(new SecureRequestCustomizer());
          return JettyServerConnectors.builder(jetty, tls).host("127.0.0.1").httpConfiguration(withSniHostCheck)
              .build();
        }, whoAmI())) {
      JettyHttps.RawResponse response = JettyHttps.rawGet(client, https.port(), "/", "api.other.test");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("CN=billing");
      // A customizer the caller configured is kept, and Jetty's default one refuses the request.
      assertThat(JettyHttps.rawGet(client, jettyDefaults.port(), "/", "api.other.test").status()).isEqualTo(400);
      assertThat(JettyHttps.rawGet(client, jettyDefaults.port(), "/", "localhost").status()).isEqualTo(200);
    }
  }

  @Test
  void build_servesHttp2AndHttp11ToTheJdkClient_andReportsHandshakes() throws Exception {
    BlockingQueue<HandshakeEvent> handshakes = new LinkedBlockingQueue<>();
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners(handshakes::add).build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, whoAmI())) {
      HttpResponse<String> h2 = get(http(client, HttpClient.Version.HTTP_2), https, "/");
      HttpResponse<String> h11 = get(http(client, HttpClient.Version.HTTP_1_1), https, "/");

      assertThat(JettyServerConnectors.http2Available()).isTrue();
      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(h2.body()).isEqualTo("CN=billing");
      assertThat(h11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(h11.body()).isEqualTo("CN=billing");
      for (int i = 0; i < 2; i++) {
        HandshakeEvent event = handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("handshake event %d", i).isNotNull();
        assertThat(event.succeeded()).isTrue();
        assertThat(event.peerSubject()).isEqualTo("CN=billing");
      }
    }
  }

  @Test
  void build_aClientOfferingOnlyHttp11WithAlpn_negotiatesIt() throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, whoAmI());
        SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", https.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));

      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("CN=billing");
    }
  }

  @Test
  void build_withoutHttp2_servesHttp11ToAClientThatAsksForHttp2() throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(jetty -> JettyServerConnectors.builder(jetty, tls).host("127.0.0.1")
            .http2(false).build(), whoAmI())) {
      HttpResponse<String> response = get(http(client, HttpClient.Version.HTTP_2), https, "/");

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.body()).isEqualTo("CN=billing");
    }
  }

  @Test
  void build_requiredClientAuthWithoutACertificate_failsTheHandshake() throws Exception {
    BlockingQueue<HandshakeEvent> handshakes = new LinkedBlockingQueue<>();
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, CA.trustManagerFactory().getTrustManagers(), null);
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners(handshakes::add).build();
        JettyHttps https = JettyHttps.start(tls, whoAmI())) {
      HttpClient withoutCertificate = HttpClient.newBuilder().sslContext(anonymous)
          .connectTimeout(Duration.ofSeconds(10)).build();

      Throwable failure = catchThrowable(() -> get(withoutCertificate, https, "/"));

      assertThat(failure).isInstanceOf(IOException.class);
      HandshakeEvent event = handshakes.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.succeeded()).isFalse();
      assertThat(event.failure()).isEqualTo(HandshakeFailure.NO_PEER_CERTIFICATE);
    }
  }

  @Test
  void reload_aRotatedServerIdentity_isServedOnNewConnectionsWithoutRestartingJetty() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    TestFiles.PemIdentity files = TestFiles.writePem(dir, "server", first);
    try (TlsServer tls = Mtls.server().identity(IdentitySource.pemFiles(files.certificateChain(), files.privateKey()))
        .trust(TrustSource.of(CA.certificate())).listeners().build();
        TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, whoAmI())) {
      assertThat(serverCertificate(client, https)).isEqualTo(first.certificate());

      TestFiles.writePem(dir, "server", second);
      List<ReloadEvent> reloaded = tls.reload();

      assertThat(reloaded.get(0).outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);
      assertThat(serverCertificate(client, https)).isEqualTo(second.certificate());
      assertThat(https.server().isStarted()).isTrue();
    }
  }

  /** The certificate the server presents on a new connection. */
  private static X509Certificate serverCertificate(TlsClient client, JettyHttps https) throws Exception {
    HttpResponse<String> response = get(http(client, HttpClient.Version.HTTP_1_1), https, "/");
    assertThat(response.statusCode()).isEqualTo(200);
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  @Test
  void build_aRevokedClientCertificate_isRefused() throws Exception {
    BlockingQueue<HandshakeEvent> handshakes = new LinkedBlockingQueue<>();
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().revocationServer(revocation).build();
      CertifiedKey revoked = ca.client("intern");
      ca.revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE);
      try (TlsServer tls = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
          .trust(TrustSource.of(ca.certificate())).revocation(RevocationPolicy.hardFail())
          .listeners(handshakes::add).build();
          TlsClient good = Mtls.client().identity(IdentitySource.of(ca.client("billing")))
              .trust(TrustSource.of(ca.certificate())).listeners().build();
          TlsClient bad = Mtls.client().identity(IdentitySource.of(revoked))
              .trust(TrustSource.of(ca.certificate())).listeners().build();
          JettyHttps https = JettyHttps.start(tls, whoAmI())) {
        assertThat(get(http(good, HttpClient.Version.HTTP_1_1), https, "/").body()).isEqualTo("CN=billing");

        Throwable failure = catchThrowable(() -> get(http(bad, HttpClient.Version.HTTP_1_1), https, "/"));

        assertThat(failure).isInstanceOf(IOException.class);
        HandshakeEvent accepted = handshakes.poll(10, TimeUnit.SECONDS);
        HandshakeEvent refused = handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(accepted).isNotNull();
        assertThat(accepted.succeeded()).isTrue();
        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo(dev.mtls.core.verify.FailureReason.REVOKED);
      }
    }
  }

  @Test
  void builder_refusesABadPortAndSecondSettings() {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(SERVER)).trust(TrustSource.of(CA.certificate()))
        .listeners().build()) {
      org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
      assertThatThrownBy(() -> JettyServerConnectors.builder(jetty, tls).port(65536))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0 to 65535, was 65536");
      assertThatThrownBy(() -> JettyServerConnectors.builder(jetty, tls).port(8443).port(9443))
          .isInstanceOf(IllegalStateException.class).hasMessage("port was already set to 8443");
      assertThatThrownBy(() -> JettyServerConnectors.builder(jetty, tls).http2(false).http2(true))
          .isInstanceOf(IllegalStateException.class).hasMessage("http2 was already set to false");
    }
  }
}
