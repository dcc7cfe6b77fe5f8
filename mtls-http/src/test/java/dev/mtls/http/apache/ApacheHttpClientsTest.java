package dev.mtls.http.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpsExchange;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.HandshakeFailure;
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
import dev.mtls.http.LoopbackHttps;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestRevocationServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real Apache HttpClient 5 clients, classic and async, against a real HTTPS server on loopback. */
class ApacheHttpClientsTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey CLIENT = CA.client("billing");
  private static final HostnameVerificationPolicy[] PLAIN_POLICIES = {
      HostnameVerificationPolicy.BUILTIN, HostnameVerificationPolicy.CLIENT};

  @TempDir Path dir;

  /** The two kinds of Apache client. */
  enum Kind { CLASSIC, ASYNC }

  /** What the server answered, or throws what the client threw. */
  record Answer(int status, String body) {}

  /** One Apache client, classic or async, behind one call. */
  interface Http extends AutoCloseable {
    Answer get(URI uri) throws Exception;

    @Override
    void close() throws IOException;
  }

  static Http http(Kind kind, TlsClient tls) {
    return kind == Kind.CLASSIC ? classic(ApacheHttpClients.classic(tls).build()) : async(ApacheHttpClients.async(tls)
        .build());
  }

  private static Http classic(CloseableHttpClient client) {
    return new Http() {
      @Override
      public Answer get(URI uri) throws Exception {
        return client.execute(new HttpGet(uri),
            response -> new Answer(response.getCode(), EntityUtils.toString(response.getEntity())));
      }

      @Override
      public void close() throws IOException {
        client.close();
      }
    };
  }

  private static Http async(CloseableHttpAsyncClient client) {
    client.start();
    return new Http() {
      @Override
      public Answer get(URI uri) throws Exception {
        try {
          SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(uri).build(), null)
              .get(20, TimeUnit.SECONDS);
          return new Answer(response.getCode(), response.getBodyText());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }

      @Override
      public void close() {
        client.close(CloseMode.GRACEFUL);
      }
    };
  }

  /**
   * A plain Apache client of the given kind, without mtls: JSSE's trust manager, and either
   * JSSE's {@code HTTPS} endpoint identification (policy BUILTIN) or Apache's
   * {@code DefaultHostnameVerifier} (policy CLIENT; set explicitly, as Apache 5.6 checks no name
   * under CLIENT without a verifier).
   */
  private static Http plain(Kind kind, SSLContext context, HostnameVerificationPolicy policy) {
    DefaultClientTlsStrategy strategy = new DefaultClientTlsStrategy(context, policy,
        policy == HostnameVerificationPolicy.CLIENT ? new DefaultHostnameVerifier() : null);
    return kind == Kind.CLASSIC
        ? classic(HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setTlsSocketStrategy(strategy).build()).build())
        : async(HttpAsyncClients.custom().setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setTlsStrategy(strategy).build()).build());
  }

  private static TlsServer server(CertifiedKey identity) {
    return Mtls.server().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners().build();
  }

  private static TlsClient client() {
    return Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  /**
   * Answers with what the server saw of the connection: the client's principal, the serial
   * number of its certificate, the protocol and the cipher suite. Every connection is closed
   * after one request, so the next request makes a new one.
   */
  private static LoopbackHttps start(TlsServer tls) throws IOException {
    return LoopbackHttps.start(tls, exchange -> {
      SSLSession session = ((HttpsExchange) exchange).getSSLSession();
      byte[] body = (tls.principal(session).getName() + " "
          + ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber().toString(16) + " "
          + session.getProtocol() + " " + session.getCipherSuite()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Connection", "close");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  private static String serial(CertifiedKey key) {
    return key.certificate().getSerialNumber().toString(16);
  }

  static PeerVerificationException verificationFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PeerVerificationException rejected) {
        return rejected;
      }
    }
    throw new AssertionError("no PeerVerificationException in the causes of " + failure, failure);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_presentsTheClientIdentityAndGets200(Kind kind) throws Exception {
    try (TlsServer tls = server(CA.server("localhost")); TlsClient client = client();
        LoopbackHttps https = start(tls); Http http = http(kind, client)) {
      Answer answer = http.get(https.uri("/whoami"));

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).startsWith("cn:billing " + serial(CLIENT) + " TLSv1.3 TLS_");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void connectionManager_withThePoolSettingsOfTheUser_presentsTheClientIdentity(Kind kind) throws Exception {
    try (TlsServer tls = server(CA.server("localhost")); TlsClient client = client();
        LoopbackHttps https = start(tls);
        Http http = kind == Kind.CLASSIC
            ? classic(HttpClients.custom().setConnectionManager(ApacheHttpClients.classicConnectionManager(client)
                .setMaxConnTotal(2).setMaxConnPerRoute(1).build()).build())
            : async(HttpAsyncClients.custom().setConnectionManager(ApacheHttpClients.asyncConnectionManager(client)
                .setMaxConnTotal(2).setMaxConnPerRoute(1).build()).build())) {
      assertThat(http.get(https.uri("/")).body()).startsWith("cn:billing " + serial(CLIENT) + " TLSv1.3 TLS_");
      assertThat(http.get(https.uri("/")).body()).startsWith("cn:billing " + serial(CLIENT) + " TLSv1.3 TLS_");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_serverCertificateForAnotherHost_isRefused(Kind kind) throws Exception {
    try (TlsServer tls = server(CA.server("api.example.test")); TlsClient client = client();
        LoopbackHttps https = start(tls); Http http = http(kind, client)) {
      Throwable failure = catchThrowable(() -> http.get(https.uri("/")));

      assertThat(failure).isInstanceOf(SSLException.class);
      PeerVerificationException rejected = verificationFailure(failure);
      assertThat(rejected.reason()).isEqualTo(FailureReason.NAME_MISMATCH);
      assertThat(rejected.getMessage()).startsWith("NAME_MISMATCH: certificate [0] does not name DNS:localhost:"
          + " its subject alternative names are [DNS:api.example.test]");

      // The plain clients of the next test check names too: they refuse this certificate. (With
      // HttpClient 5.4 to 5.6.3 the plain async client under BUILTIN accepts it: the bug the
      // adapter does not depend on.)
      for (HostnameVerificationPolicy policy : PLAIN_POLICIES) {
        try (Http plain = plain(kind, CA.sslContext(CLIENT), policy)) {
          assertThat(catchThrowable(() -> plain.get(https.uri("/")))).as("plain client, policy %s", policy)
              .isInstanceOf(SSLException.class);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_serverNamedOnlyByItsCommonName_isRefused(Kind kind) throws Exception {
    CertifiedKey commonNameOnly = CA.leaf(CertificateRole.SERVER).commonName("localhost").issue();
    try (TlsServer tls = server(commonNameOnly); TlsClient client = client();
        LoopbackHttps https = start(tls); Http http = http(kind, client)) {
      Throwable failure = catchThrowable(() -> http.get(https.uri("/")));

      assertThat(failure).isInstanceOf(SSLException.class);
      PeerVerificationException rejected = verificationFailure(failure);
      assertThat(rejected.reason()).isEqualTo(FailureReason.NAME_MISMATCH);
      assertThat(rejected.getMessage()).startsWith("NAME_MISMATCH: certificate [0] does not name DNS:localhost:"
          + " its subject alternative names are [] (the subject's common name is never used)");

      // The same client without mtls would have accepted it: JSSE's HTTPS endpoint identification
      // (policy BUILTIN) and Apache's DefaultHostnameVerifier (policy CLIENT) both fall back to the
      // common name.
      for (HostnameVerificationPolicy policy : PLAIN_POLICIES) {
        try (Http plain = plain(kind, CA.sslContext(CLIENT), policy)) {
          assertThat(plain.get(https.uri("/")).status()).as("plain client, policy %s", policy).isEqualTo(200);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_usesTheConfiguredProtocolAndCipherSuite(Kind kind) throws Exception {
    String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    try (TlsServer tls = server(CA.server("localhost"));
        TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
            .protocols("TLSv1.2").cipherSuites(suite).listeners().build();
        LoopbackHttps https = start(tls); Http http = http(kind, client)) {
      Answer answer = http.get(https.uri("/"));

      assertThat(answer.body()).isEqualTo("cn:billing " + serial(CLIENT) + " TLSv1.2 " + suite);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_protocolTheServerRefuses_isNotWidened(Kind kind) throws Exception {
    BlockingQueue<HandshakeEvent> events = new LinkedBlockingQueue<>();
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
            .trust(TrustSource.of(CA.certificate())).protocols("TLSv1.3")
            .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).listeners(events::add)
            .build();
        TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.of(CA.certificate()))
            .protocols("TLSv1.2").listeners().build();
        LoopbackHttps https = start(tls); Http http = http(kind, client)) {
      Throwable failure = catchThrowable(() -> http.get(https.uri("/")));

      assertThat(failure).isInstanceOf(IOException.class);
      HandshakeEvent refused = events.poll(10, TimeUnit.SECONDS);
      assertThat(refused).as("the server's handshake event").isNotNull();
      assertThat(refused.failure()).isEqualTo(HandshakeFailure.NO_COMMON_PROTOCOL);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_presentsTheReloadedIdentityWithoutBeingRebuilt(Kind kind) throws Exception {
    Path chain = dir.resolve("client.crt");
    Path key = dir.resolve("client.key");
    CertifiedKey first = CA.client("billing");
    CertifiedKey second = CA.client("billing");
    write(chain, key, first);
    try (TlsServer tls = server(CA.server("localhost"));
        TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(chain, key))
            .trust(TrustSource.of(CA.certificate())).listeners().build();
        LoopbackHttps https = start(tls); Http http = http(kind, client)) {
      assertThat(http.get(https.uri("/")).body()).startsWith("cn:billing " + serial(first) + " ");

      write(chain, key, second);
      assertThat(client.reload()).extracting(ReloadEvent::outcome).first().isEqualTo(ReloadEvent.Outcome.CHANGED);

      assertThat(http.get(https.uri("/")).body()).startsWith("cn:billing " + serial(second) + " ");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_followsReloadedTrustWithoutBeingRebuilt(Kind kind) throws Exception {
    TestCa next = TestCa.create();
    Path anchors = dir.resolve("servers-ca.pem");
    Files.writeString(anchors, Pem.writeCertificates(CA.certificate()));
    try (TlsServer current = server(CA.server("localhost"));
        TlsServer moved = Mtls.server().identity(IdentitySource.of(next.server("localhost")))
            .trust(TrustSource.of(CA.certificate()))
            .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).listeners().build();
        TlsClient client = Mtls.client().identity(IdentitySource.of(CLIENT)).trust(TrustSource.pemFile(anchors))
            .listeners().build();
        LoopbackHttps currentHttps = start(current); LoopbackHttps movedHttps = start(moved);
        Http http = http(kind, client)) {
      assertThat(http.get(currentHttps.uri("/")).status()).isEqualTo(200);
      assertThat(verificationFailure(catchThrowable(() -> http.get(movedHttps.uri("/")))).reason())
          .isEqualTo(FailureReason.UNTRUSTED_ISSUER);

      Files.writeString(anchors, Pem.writeCertificates(next.certificate()));
      client.reload();

      assertThat(http.get(movedHttps.uri("/")).status()).isEqualTo(200);
      assertThat(verificationFailure(catchThrowable(() -> http.get(currentHttps.uri("/")))).reason())
          .isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void client_withRevocation_refusesARevokedServerCertificate(Kind kind) throws Exception {
    try (TestRevocationServer revocation = TestRevocationServer.start()) {
      TestCa ca = TestCa.builder().revocationServer(revocation).build();
      CertifiedKey revoked = ca.server("localhost");
      ca.revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE);
      CertifiedKey clientKey = ca.client("billing");
      try (TlsServer good = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
              .trust(TrustSource.of(ca.certificate()))
              .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).listeners().build();
          TlsServer bad = Mtls.server().identity(IdentitySource.of(revoked)).trust(TrustSource.of(ca.certificate()))
              .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).listeners().build();
          TlsClient client = Mtls.client().identity(IdentitySource.of(clientKey))
              .trust(TrustSource.of(ca.certificate())).revocation(RevocationPolicy.hardFail()).listeners().build();
          LoopbackHttps goodHttps = start(good); LoopbackHttps badHttps = start(bad); Http http = http(kind, client)) {
        assertThat(http.get(goodHttps.uri("/")).status()).isEqualTo(200);

        PeerVerificationException rejected = verificationFailure(catchThrowable(() -> http.get(badHttps.uri("/"))));

        assertThat(rejected.reason()).isEqualTo(FailureReason.REVOKED);
        assertThat(rejected.getMessage()).contains("was revoked at").contains("reason KEY_COMPROMISE");
      }
    }
  }

  private static void write(Path chain, Path key, CertifiedKey identity) throws IOException {
    Files.writeString(chain, Pem.writeCertificates(identity.chain()));
    Files.writeString(key, Pem.writePrivateKey(identity.privateKey()));
  }
}
