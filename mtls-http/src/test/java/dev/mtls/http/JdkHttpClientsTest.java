package dev.mtls.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpsExchange;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.ReloadEvent;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import dev.mtls.testkit.TestRevocationServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JDK HttpClient against a real HTTPS server on loopback. */
class JdkHttpClientsTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey CLIENT = CA.client("billing");

  private static TlsServer server(CertifiedKey identity) {
    return Mtls.server().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners().build();
  }

  private static TlsClient client() {
    return Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  /** Answers with the principal of the client certificate the server saw. */
  private static LoopbackHttps start(TlsServer tls) throws Exception {
    return LoopbackHttps.start(tls, exchange -> {
      byte[] body;
      try {
        body = tls.principal(((HttpsExchange) exchange).getSSLSession()).getName().getBytes(StandardCharsets.UTF_8);
      } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
        body = "none".getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  private static HttpClient http(TlsClient tls) {
    return JdkHttpClients.builder(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void builder_presentsTheClientIdentityAndGets200() throws Exception {
    try (TlsServer tls = server(CA.server("localhost")); TlsClient client = client();
        LoopbackHttps https = start(tls)) {
      HttpResponse<String> response = http(client).send(
          HttpRequest.newBuilder(https.uri("/whoami")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("cn:billing");
      assertThat(response.sslSession()).hasValueSatisfying(
          session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
    }
  }

  @Test
  void builder_serverCertificateForAnotherHost_isRefused() throws Exception {
    try (TlsServer tls = server(CA.server("api.example.test")); TlsClient client = client();
        LoopbackHttps https = start(tls)) {
      Throwable failure = catchThrowable(() -> http(client).send(
          HttpRequest.newBuilder(https.uri("/")).build(), HttpResponse.BodyHandlers.ofString()));

      assertThat(failure).isInstanceOf(SSLHandshakeException.class);
      assertThat(verificationFailure(failure).reason()).isEqualTo(FailureReason.NAME_MISMATCH);
    }
  }

  @Test
  void builder_serverNamedOnlyByItsCommonName_isRefused() throws Exception {
    CertifiedKey commonNameOnly = CA.leaf(CertificateRole.SERVER).commonName("localhost").issue();
    try (TlsServer tls = server(commonNameOnly); TlsClient client = client();
        LoopbackHttps https = start(tls)) {
      Throwable failure = catchThrowable(() -> http(client).send(
          HttpRequest.newBuilder(https.uri("/")).build(), HttpResponse.BodyHandlers.ofString()));

      assertThat(failure).isInstanceOf(SSLHandshakeException.class);
      PeerVerificationException rejected = verificationFailure(failure);
      assertThat(rejected.reason()).isEqualTo(FailureReason.NAME_MISMATCH);

      // The JDK's own check would have accepted it: it falls back to the common name.
      HttpClient plain = HttpClient.newBuilder().sslContext(CA.sslContext(CLIENT))
          .connectTimeout(Duration.ofSeconds(10)).build();
      assertThat(plain.send(HttpRequest.newBuilder(https.uri("/")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void builder_presentsTheReloadedIdentityWithoutBeingRebuilt(@TempDir Path dir) throws Exception {
    CertifiedKey first = CA.client("billing");
    CertifiedKey second = CA.client("billing");
    TestFiles.PemIdentity files = TestFiles.writePem(dir, "client", first);
    try (TlsServer tls = server(CA.server("localhost"));
        TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(files.certificateChain(), files.privateKey()))
            .trust(TrustSource.of(CA.certificate())).listeners().build();
        LoopbackHttps https = startClosingEachConnection(tls)) {
      HttpClient http = http(client);
      assertThat(get(http, https)).isEqualTo(serial(first));

      TestFiles.writePem(dir, "client", second);
      assertThat(client.reload()).extracting(ReloadEvent::outcome).containsExactly(
          ReloadEvent.Outcome.CHANGED, ReloadEvent.Outcome.UNCHANGED);

      assertThat(get(http, https)).as("the same HttpClient, a new connection").isEqualTo(serial(second));
    }
  }

  @Test
  void builder_withRevocation_refusesARevokedServerCertificate() throws Exception {
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().revocationServer(revocation).build();
      CertifiedKey revoked = ca.server("localhost");
      ca.revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE);
      try (TlsServer good = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
              .trust(TrustSource.of(ca.certificate())).listeners().build();
          TlsServer bad = Mtls.server().identity(IdentitySource.of(revoked))
              .trust(TrustSource.of(ca.certificate())).listeners().build();
          TlsClient client = Mtls.client().identity(IdentitySource.of(ca.client("billing")))
              .trust(TrustSource.of(ca.certificate())).revocation(RevocationPolicy.hardFail()).listeners().build();
          LoopbackHttps goodHttps = startClosingEachConnection(good);
          LoopbackHttps badHttps = startClosingEachConnection(bad)) {
        HttpClient http = http(client);
        assertThat(get(http, goodHttps)).isNotEmpty();

        Throwable failure = catchThrowable(() -> get(http, badHttps));

        PeerVerificationException rejected = verificationFailure(failure);
        assertThat(rejected.reason()).isEqualTo(FailureReason.REVOKED);
        assertThat(rejected.getMessage()).contains("reason KEY_COMPROMISE");
      }
    }
  }

  /** Answers with the serial number of the client's certificate and closes the connection. */
  private static LoopbackHttps startClosingEachConnection(TlsServer tls) throws Exception {
    return LoopbackHttps.start(tls, exchange -> {
      SSLSession session = ((HttpsExchange) exchange).getSSLSession();
      byte[] body = ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber().toString(16)
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Connection", "close");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  private static String get(HttpClient http, LoopbackHttps https) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(https.uri("/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static String serial(CertifiedKey key) {
    return key.certificate().getSerialNumber().toString(16);
  }

  private static PeerVerificationException verificationFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PeerVerificationException rejected) {
        return rejected;
      }
    }
    throw new AssertionError("no PeerVerificationException in the causes of " + failure, failure);
  }
}
