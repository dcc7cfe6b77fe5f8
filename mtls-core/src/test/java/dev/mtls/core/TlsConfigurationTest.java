package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.KeyType;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestKeyStores;
import dev.mtls.testkit.TestTlsServer;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TlsConfigurationTest {
  private static final TestCa CA = TestCa.builder().intermediates(1).build();
  private static final CertifiedKey SERVER_KEY = CA.server("localhost", "127.0.0.1");
  private static final CertifiedKey CLIENT_KEY = CA.client("billing");

  static TlsServer server(CertifiedKey identity) {
    return Mtls.server().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate())).build();
  }

  static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate())).build();
  }

  @ParameterizedTest
  @CsvSource({"TLSv1.3, EC_P256", "TLSv1.2, EC_P256", "TLSv1.3, RSA_2048", "TLSv1.2, RSA_2048"})
  void mutualHandshake_overSockets_bothSidesSeeTheOther(String protocol, KeyType keyType) throws Exception {
    TestCa ca = TestCa.builder().keyType(keyType).build();
    CertifiedKey serverKey = ca.server("localhost");
    CertifiedKey clientKey = ca.client("worker");
    TlsServer server = Mtls.server().identity(IdentitySource.of(serverKey))
        .trust(TrustSource.of(ca.certificate())).protocols(protocol).build();
    TlsClient client = Mtls.client().identity(IdentitySource.of(clientKey))
        .trust(TrustSource.of(ca.certificate())).build();

    try (TestTlsServer tls = TestTlsServer.start(server.sslContext(), TestTlsServer.ClientAuth.REQUIRED, protocol)) {
      SSLSession session = Connections.exchange(client.socketFactory(), "localhost", tls.port());

      TestTlsServer.Connection seen = tls.awaitConnection(Duration.ofSeconds(10));
      assertThat(session.getProtocol()).isEqualTo(protocol);
      assertThat(session.getPeerCertificates()[0]).isEqualTo(serverKey.certificate());
      assertThat(seen.clientChain()).containsExactly(clientKey.certificate());
    }
  }

  @Test
  void mutualHandshake_overEngines_completes() throws Exception {
    TlsServer server = server(SERVER_KEY);
    TlsClient client = client(CLIENT_KEY);

    SSLEngine serverEngine = server.newEngine();
    SSLEngine clientEngine = client.newEngine("localhost", 443);
    EngineHandshake.run(clientEngine, serverEngine);

    assertThat(serverEngine.getSession().getPeerCertificates()[0]).isEqualTo(CLIENT_KEY.certificate());
    assertThat(clientEngine.getSession().getPeerCertificates()[0]).isEqualTo(SERVER_KEY.certificate());
    assertThat(serverEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void sslContext_plainEngines_carryTheConfiguredParameters() {
    TlsServer server = server(SERVER_KEY);

    SSLEngine engine = server.sslContext().createSSLEngine();
    engine.setUseClientMode(false);

    assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(engine.getNeedClientAuth()).isTrue();
    assertThat(engine.getEnabledCipherSuites()).allSatisfy(suite ->
        assertThat(suite).matches(
            "TLS_(AES|CHACHA20)_.*|TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
  }

  @Test
  void defaults_secureParameters() {
    SSLParameters server = server(SERVER_KEY).sslParameters();
    SSLParameters client = client(CLIENT_KEY).sslParameters();

    assertThat(server.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(server.getNeedClientAuth()).isTrue();
    assertThat(server.getUseCipherSuitesOrder()).isTrue();
    assertThat(client.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(client.getCipherSuites()).contains("TLS_AES_128_GCM_SHA256")
        .doesNotContain("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  }

  @Test
  void optionalClientAuth_isExplicitAndWantsCertificates() {
    TlsServer server = Mtls.server().identity(IdentitySource.of(SERVER_KEY))
        .trust(TrustSource.of(CA.certificate())).clientAuth(ClientAuth.OPTIONAL).build();

    assertThat(server.sslParameters().getWantClientAuth()).isTrue();
    assertThat(server.sslParameters().getNeedClientAuth()).isFalse();
  }

  @Test
  void protocols_disabledByTheJvm_failsBuild() {
    assertThatThrownBy(() -> Mtls.server().protocols("TLSv1.3", "TLSv1.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unusable protocol TLSv1.1: this JVM lists it but disables it (see"
            + " jdk.tls.disabledAlgorithms in java.security)");
  }

  @Test
  void protocols_unknown_failsBuild() {
    assertThatThrownBy(() -> Mtls.client().protocols("TLSv9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unsupported protocol TLSv9: this JVM does not implement it");
  }

  @Test
  void cipherSuites_unknown_failsBuild() {
    assertThatThrownBy(() -> Mtls.client().cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_FAKE_SUITE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unsupported cipher suite TLS_FAKE_SUITE: this JVM does not implement it");
  }

  @Test
  void build_withoutIdentity_saysWhatToDo() {
    TlsServerBuilder builder = Mtls.server().trust(TrustSource.of(CA.certificate()));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No identity: call identity(IdentitySource.pemFiles(..)) or another IdentitySource;"
            + " an mTLS peer must present a certificate");
  }

  @Test
  void build_withoutTrust_saysWhatToDo() {
    TlsClientBuilder builder = Mtls.client().identity(IdentitySource.of(CLIENT_KEY));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No trust: call trust(TrustSource.pemFile(..)) with the CA certificates the other"
            + " side's certificate must chain to");
  }

  @Test
  void setter_calledTwice_namesTheValueAlreadySet() {
    TlsServerBuilder builder = Mtls.server().clientAuth(ClientAuth.OPTIONAL);

    assertThatThrownBy(() -> builder.clientAuth(ClientAuth.REQUIRED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clientAuth was already set to OPTIONAL");
  }

  @Test
  void pins_malformed_isRefused() {
    assertThatThrownBy(() -> Mtls.client().pins("sha1/abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an SPKI pin (expected sha256/ and 44 Base64 characters): sha1/abc");
  }

  @Test
  void clientOfAnotherCa_isRefusedByServer() throws Exception {
    TlsServer server = server(SERVER_KEY);
    TlsClient stranger = Mtls.client().identity(IdentitySource.of(TestCa.create().client("mallory")))
        .trust(TrustSource.of(CA.certificate())).build();

    try (TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      assertThatThrownBy(() -> Connections.exchange(stranger.socketFactory(), "localhost", tls.port()))
          .isInstanceOf(IOException.class);

      TestTlsServer.Connection seen = tls.awaitConnection(Duration.ofSeconds(10));
      assertThat(seen.handshakeSucceeded()).isFalse();
      assertThat(seen.failure()).contains("UNTRUSTED_ISSUER");
    }
  }

  @Test
  void clientWithoutCertificate_isRefusedUnderRequired() throws Exception {
    TlsServer server = server(SERVER_KEY);

    try (TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      assertThatThrownBy(() -> Connections.exchange(
              TestKeyStores.sslContext(null, CA.certificate()).getSocketFactory(), "localhost", tls.port()))
          .isInstanceOf(IOException.class);

      assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isFalse();
    }
  }

  @Test
  void keyAndTrustManagerFactories_yieldTheConfiguredManagers() throws Exception {
    TlsServer server = server(SERVER_KEY);

    assertThat(server.keyManagerFactory().getKeyManagers()).hasSize(1);
    assertThat(server.trustManagerFactory().getTrustManagers()).hasSize(1);
    javax.net.ssl.X509KeyManager keys = (javax.net.ssl.X509KeyManager) server.keyManagerFactory().getKeyManagers()[0];
    String[] aliases = keys.getServerAliases("EC", null);
    assertThat(aliases).containsExactly("identity-0.g1");
    assertThat(keys.getCertificateChain(aliases[0])).containsExactlyElementsOf(SERVER_KEY.chain());
    assertThat(server.trustAnchors()).containsExactly(CA.certificate());
    assertThat(server.identities()).containsExactly(SERVER_KEY);
  }

  @Test
  void severalIdentities_serverChoosesBySni() throws Exception {
    CertifiedKey api = CA.server("api.test");
    CertifiedKey admin = CA.server("admin.test");
    TlsServer server = Mtls.server().identity(IdentitySource.of(api, admin))
        .trust(TrustSource.of(CA.certificate())).build();
    TlsClient client = client(CLIENT_KEY);

    SSLEngine serverEngine = server.newEngine();
    SSLEngine clientEngine = client.newEngine("admin.test", 443);
    EngineHandshake.run(clientEngine, serverEngine);

    assertThat(clientEngine.getSession().getPeerCertificates()[0]).isEqualTo(admin.certificate());
  }

  @Test
  void severalIdentities_withoutSni_firstIsChosen() throws Exception {
    CertifiedKey api = CA.server("api.test");
    CertifiedKey admin = CA.server("admin.test");
    TlsServer server = Mtls.server().identity(IdentitySource.of(api, admin))
        .trust(TrustSource.of(CA.certificate())).build();

    SSLEngine serverEngine = server.newEngine();
    SSLEngine clientEngine = TestKeyStores.sslContext(CLIENT_KEY, CA.certificate()).createSSLEngine();
    clientEngine.setUseClientMode(true);
    EngineHandshake.run(clientEngine, serverEngine);

    assertThat(clientEngine.getSession().getPeerCertificates()[0]).isEqualTo(api.certificate());
  }

  @Test
  void severalIdentities_clientChoosesByTheIssuersTheServerAccepts() throws Exception {
    TestCa other = TestCa.create();
    CertifiedKey fromOther = other.client("other-ca-client");
    CertifiedKey fromCa = CA.client("ca-client");
    TlsClient client = Mtls.client().identity(IdentitySource.of(fromOther, fromCa))
        .trust(TrustSource.of(CA.certificate())).listeners().build();
    TlsServer server = Mtls.server().identity(IdentitySource.of(SERVER_KEY))
        .trust(TrustSource.of(CA.certificate())).listeners().build();

    SSLEngine serverEngine = server.newEngine();
    EngineHandshake.run(client.newEngine("localhost", 443), serverEngine);

    assertThat(serverEngine.getSession().getPeerCertificates()[0]).isEqualTo(fromCa.certificate());
  }

  @Test
  void serverSocket_setSSLParametersWithoutSuites_keepsTheConfiguredOnes() throws Exception {
    TlsServer server = server(SERVER_KEY);
    try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) server.serverSocketFactory()
        .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      SSLParameters onlyAlpn = new SSLParameters();
      onlyAlpn.setNeedClientAuth(true);
      onlyAlpn.setApplicationProtocols(new String[] {"h2"});

      listener.setSSLParameters(onlyAlpn);

      assertThat(listener.getEnabledCipherSuites()).containsExactly(server.sslParameters().getCipherSuites());
      assertThat(listener.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
      assertThat(listener.getSSLParameters().getApplicationProtocols()).containsExactly("h2");
    }
  }
}
