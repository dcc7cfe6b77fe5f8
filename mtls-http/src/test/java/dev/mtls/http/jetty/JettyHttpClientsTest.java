package dev.mtls.http.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.ReloadEvent;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import dev.mtls.testkit.TestRevocationServer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jetty's HTTP client with an mtls client configuration, against a real Jetty server. */
class JettyHttpClientsTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey CLIENT = CA.client("billing");
  private static final String CBC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
  private static final String GCM_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

  @TempDir Path dir;

  private static TlsServer server(TestCa ca, CertifiedKey identity) {
    return Mtls.server().identity(IdentitySource.of(identity)).trust(TrustSource.of(ca.certificate()))
        .listeners().build();
  }

  private static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  /** Answers with the client certificate's serial (hex) and the cipher suite, and closes the connection. */
  private static Handler serialAndSuite() {
    Handler answer = JettyHttps.answering(request -> {
      SSLSession session = AccessControlHandler.sslSession(request);
      try {
        return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber().toString(16) + " "
            + session.getCipherSuite();
      } catch (SSLPeerUnverifiedException e) {
        return "none";
      }
    });
    return new Handler.Wrapper(answer) {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
          org.eclipse.jetty.util.Callback callback) throws Exception {
        response.getHeaders().put(HttpHeader.CONNECTION, "close"); // every request gets a new connection
        return super.handle(request, response, callback);
      }
    };
  }

  private static String serial(CertifiedKey identity) {
    return identity.certificate().getSerialNumber().toString(16);
  }

  /** Runs one GET with a started client and stops it. */
  private static ContentResponse get(HttpClient http, String uri) throws Exception {
    http.start();
    try {
      return http.newRequest(uri).timeout(10, TimeUnit.SECONDS).send();
    } finally {
      http.stop();
    }
  }

  private static PeerVerificationException verificationFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PeerVerificationException rejected) {
        return rejected;
      }
    }
    throw new AssertionError("no PeerVerificationException in the causes of " + failure, failure);
  }

  @Test
  void newHttpClient_presentsTheIdentityAndGets200() throws Exception {
    try (TlsServer tls = server(CA, CA.server("localhost")); TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, serialAndSuite())) {
      ContentResponse response = get(JettyHttpClients.newHttpClient(client), https.uri("/").toString());

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getContentAsString()).startsWith(serial(CLIENT) + " TLS_AES_");
    }
  }

  @Test
  void sslContextFactory_enginesCarryExactlyTheConfiguredParameters() throws Exception {
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
        .protocols("TLSv1.2").cipherSuites(CBC_SUITE, GCM_SUITE).listeners().build()) {
      SslContextFactory.Client factory = JettyHttpClients.sslContextFactory(client);
      factory.start();
      try {
        SSLEngine engine = factory.newSSLEngine("localhost", 8443);

        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2");
        assertThat(engine.getEnabledCipherSuites()).containsExactly(CBC_SUITE, GCM_SUITE);
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(factory.getHostnameVerifier()).isNull();
      } finally {
        factory.stop();
      }
    }
  }

  @Test
  void newHttpClient_aSuiteOnJettysExcludeList_isUsedWhenConfigured() throws Exception {
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).protocols("TLSv1.2").cipherSuites(GCM_SUITE, CBC_SUITE)
        .listeners().build();
        TlsClient cbcOnly = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
            .protocols("TLSv1.2").cipherSuites(CBC_SUITE).listeners().build();
        JettyHttps https = JettyHttps.start(tls, serialAndSuite())) {
      ContentResponse response = get(JettyHttpClients.newHttpClient(cbcOnly), https.uri("/").toString());

      assertThat(response.getContentAsString()).isEqualTo(serial(CLIENT) + " " + CBC_SUITE);
    }
  }

  @Test
  void newHttpClient_serverCertificateForAnotherHost_isRefused() throws Exception {
    try (TlsServer tls = server(CA, CA.server("api.example.test")); TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, serialAndSuite())) {
      Throwable failure = catchThrowable(() -> get(JettyHttpClients.newHttpClient(client), https.uri("/").toString()));

      assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLHandshakeException.class);
      assertThat(verificationFailure(failure).reason()).isEqualTo(FailureReason.NAME_MISMATCH);
    }
  }

  @Test
  void newHttpClient_serverNamedOnlyByItsCommonName_isRefused() throws Exception {
    CertifiedKey commonNameOnly = CA.leaf(CertificateRole.SERVER).commonName("localhost").issue();
    try (TlsServer tls = server(CA, commonNameOnly); TlsClient client = client(CLIENT);
        JettyHttps https = JettyHttps.start(tls, serialAndSuite())) {
      Throwable failure = catchThrowable(() -> get(JettyHttpClients.newHttpClient(client), https.uri("/").toString()));

      assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLHandshakeException.class);
      assertThat(verificationFailure(failure).reason()).isEqualTo(FailureReason.NAME_MISMATCH);

      // Jetty with the JDK's own checks would have accepted it: they fall back to the common name.
      SslContextFactory.Client jdkChecks = new SslContextFactory.Client();
      jdkChecks.setSslContext(CA.sslContext(CLIENT));
      ClientConnector connector = new ClientConnector();
      connector.setSslContextFactory(jdkChecks);
      assertThat(get(new HttpClient(new HttpClientTransportOverHTTP(connector)), https.uri("/").toString())
          .getStatus()).isEqualTo(200);
    }
  }

  @Test
  void newHttpClient_aRotatedClientIdentity_isPresentedOnNewConnections() throws Exception {
    CertifiedKey first = CA.client("billing");
    CertifiedKey second = CA.client("billing");
    TestFiles.PemIdentity files = TestFiles.writePem(dir, "client", first);
    try (TlsServer tls = server(CA, CA.server("localhost"));
        TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(files.certificateChain(), files.privateKey()))
            .trust(TrustSource.of(CA.certificate())).listeners().build();
        JettyHttps https = JettyHttps.start(tls, serialAndSuite())) {
      HttpClient http = JettyHttpClients.newHttpClient(client);
      http.start();
      try {
        String uri = https.uri("/").toString();
        assertThat(http.newRequest(uri).timeout(10, TimeUnit.SECONDS).send().getContentAsString())
            .startsWith(serial(first) + " ");

        TestFiles.writePem(dir, "client", second);
        assertThat(client.reload().get(0).outcome()).isEqualTo(ReloadEvent.Outcome.CHANGED);

        assertThat(http.newRequest(uri).timeout(10, TimeUnit.SECONDS).send().getContentAsString())
            .startsWith(serial(second) + " ");
      } finally {
        http.stop();
      }
    }
  }

  @Test
  void newHttpClient_aRevokedServerCertificate_isRefused() throws Exception {
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().revocationServer(revocation).build();
      CertifiedKey revoked = ca.server("localhost");
      ca.revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE);
      try (TlsServer good = server(ca, ca.server("localhost")); TlsServer bad = server(ca, revoked);
          TlsClient client = Mtls.client().identity(IdentitySource.of(ca.client("billing")))
              .trust(TrustSource.of(ca.certificate())).revocation(RevocationPolicy.hardFail()).listeners().build();
          JettyHttps goodHttps = JettyHttps.start(good, serialAndSuite());
          JettyHttps badHttps = JettyHttps.start(bad, serialAndSuite())) {
        assertThat(get(JettyHttpClients.newHttpClient(client), goodHttps.uri("/").toString()).getStatus())
            .isEqualTo(200);

        Throwable failure = catchThrowable(() -> get(JettyHttpClients.newHttpClient(client),
            badHttps.uri("/").toString()));

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(verificationFailure(failure).reason()).isEqualTo(FailureReason.REVOKED);
      }
    }
  }
}
