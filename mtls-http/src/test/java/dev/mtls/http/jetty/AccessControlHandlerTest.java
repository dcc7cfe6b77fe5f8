package dev.mtls.http.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.AccessEvent;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.http.AccessControl;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.proxy.ForwardedCertificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access-control handler in a real Jetty server, with real clients. */
class AccessControlHandlerTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey ALICE = CA.client("alice");
  private static final CertifiedKey BILLING = CA.client("billing");
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .allow("group:ops", "*", "/admin/**")
      .allow("*", "GET", "/public/**")
      .build();

  private final BlockingQueue<AccessEvent> events = new LinkedBlockingQueue<>();
  /** The raw paths the application saw. */
  private final Queue<String> reached = new ConcurrentLinkedQueue<>();
  private TlsServer tls;
  private TlsClient alice;
  private TlsClient billing;

  @BeforeEach
  void configure() {
    MtlsListener recording = new MtlsListener() {
      @Override
      public void onHandshake(HandshakeEvent event) {}

      @Override
      public void onAccess(AccessEvent event) {
        events.add(event);
      }
    };
    tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .clientAuth(ClientAuth.OPTIONAL)
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)
            .withGroups(p -> p.getName().equals("cn:alice") ? Set.of("ops") : Set.of()))
        .listeners(recording).build();
    alice = client(ALICE);
    billing = client(BILLING);
  }

  @AfterEach
  void close() {
    alice.close();
    billing.close();
    tls.close();
  }

  private static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  /** The application: answers with the principal attribute's name and the path it was given. */
  private Handler application() {
    return JettyHttps.answering(request -> {
      reached.add(request.getHttpURI().getPath());
      MtlsPrincipal principal = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      return principal.getName() + " " + request.getHttpURI().getPath();
    });
  }

  /** The application behind access control with {@link #POLICY}. */
  private AccessControlHandler guarding(Handler application) {
    return new AccessControlHandler(AccessControl.builder(tls).policy(POLICY).build(), application);
  }

  private JettyHttps start() throws Exception {
    return JettyHttps.start(tls, guarding(application()));
  }

  private static HttpResponse<String> send(TlsClient client, HttpClient.Version version, URI uri) throws Exception {
    HttpClient http = JdkHttpClients.builder(client).version(version).connectTimeout(Duration.ofSeconds(10)).build();
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handle_allowedPrincipal_reachesTheApplicationWithThePrincipal() throws Exception {
    try (JettyHttps https = start()) {
      HttpResponse<String> h11 = send(alice, HttpClient.Version.HTTP_1_1, https.uri("/admin/users"));
      HttpResponse<String> h2 = send(billing, HttpClient.Version.HTTP_2, https.uri("/public/report"));

      assertThat(h11.statusCode()).isEqualTo(200);
      assertThat(h11.body()).isEqualTo("cn:alice /admin/users");
      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(h2.statusCode()).isEqualTo(200);
      assertThat(h2.body()).isEqualTo("cn:billing /public/report");
      assertThat(events.poll(10, TimeUnit.SECONDS).allowed()).isTrue();
    }
  }

  @Test
  void principalAttribute_isListedAndMayBeReplacedOrRemoved_besideJettysOwn() throws Exception {
    Handler application = JettyHttps.answering(request -> {
      boolean listed = request.getAttributeNameSet().contains(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      boolean tlsListed = request.getAttributeNameSet().contains(EndPoint.SslSessionData.ATTRIBUTE);
      boolean tlsReadable = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) != null;
      request.setAttribute("app.note", "kept");
      request.setAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE, "replaced");
      Object replaced = request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      request.removeAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      return "listed=" + listed + " tls=" + tlsListed + "/" + tlsReadable + " note=" + request.getAttribute("app.note")
          + " replaced=" + replaced + " removed=" + request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE)
          + " stillListed=" + request.getAttributeNameSet().contains(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
    });
    try (JettyHttps https = JettyHttps.start(tls, guarding(application))) {
      HttpResponse<String> response = send(alice, HttpClient.Version.HTTP_1_1, https.uri("/admin/users"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .isEqualTo("listed=true tls=true/true note=kept replaced=replaced removed=null stillListed=false");
    }
  }

  @Test
  void principalAttribute_isTheApplications_notSeenByHandlersAroundThisOne() throws Exception {
    BlockingQueue<String> seenOutside = new LinkedBlockingQueue<>();
    Handler outer = new Handler.Wrapper(guarding(application())) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean handled = super.handle(request, response, callback);
        seenOutside.add(request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE) instanceof MtlsPrincipal who
            ? who.getName() : "no principal");
        return handled;
      }
    };
    try (JettyHttps https = JettyHttps.start(tls, outer)) {
      HttpResponse<String> response = send(alice, HttpClient.Version.HTTP_1_1, https.uri("/admin/users"));

      assertThat(response.body()).isEqualTo("cn:alice /admin/users"); // the application's view
      // the outer handler runs on after the response went out: wait for it
      assertThat(seenOutside.poll(10, TimeUnit.SECONDS)).isEqualTo("no principal"); // documented
    }
  }

  @Test
  void handle_deniedPrincipal_gets403AndTheApplicationIsNotCalled() throws Exception {
    try (JettyHttps https = start()) {
      HttpResponse<String> response = send(billing, HttpClient.Version.HTTP_1_1, https.uri("/admin/users"));

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).isEqualTo("forbidden");
      assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
      assertThat(reached).isEmpty();
      AccessEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.principal()).isEqualTo("cn:billing");
      assertThat(event.path()).isEqualTo("/admin/users");
      assertThat(event.allowed()).isFalse();
    }
  }

  @Test
  void handle_optionalClientAuthWithoutACertificate_gets401() throws Exception {
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, CA.trustManagerFactory().getTrustManagers(), null);
    try (JettyHttps https = start()) {
      HttpClient withoutCertificate = HttpClient.newBuilder().sslContext(anonymous)
          .connectTimeout(Duration.ofSeconds(10)).build();

      HttpResponse<String> response = withoutCertificate.send(
          HttpRequest.newBuilder(https.uri("/public/report")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("client certificate required");
      assertThat(reached).isEmpty();
      assertThat(events.poll(10, TimeUnit.SECONDS).reason()).isEqualTo("no verified client principal");
    }
  }

  @Test
  void handle_aConnectionWithoutTls_gets401() throws Exception {
    try (JettyHttps https = JettyHttps.start(jetty -> {
      ServerConnector plain = new ServerConnector(jetty);
      plain.setHost("127.0.0.1");
      return plain;
    }, guarding(application()))) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + https.port() + "/public/report")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("client certificate required");
      assertThat(reached).isEmpty();
    }
  }

  @Test
  void handle_pathTricks_neverReachADeniedResource() throws Exception {
    List<String> tricks = List.of(
        "/public/../admin/users", "/public/%2e%2e/admin/users", "/public/%2E%2E/admin/users",
        "/%2e%2e/admin/users", "/public/..%2fadmin/users", "/public/..%2Fadmin/users", "//admin/users",
        "///admin//users", "/admin%2fusers", "/admin%2Fusers", "/pub%2Flic/../admin/users",
        "/public/./../admin/users", "/public/..;/admin/users", "/public;x=1/../admin/users",
        "/%61dmin/users", "/public/%252e%252e/admin/users", "/%2561dmin/users", "/ADMIN/users",
        "/Admin/users", "/admin/users%00", "/public/%c0%ae%c0%ae/admin/users", "/public/..%5cadmin/users",
        "/public/.%2e/admin/users", "/admin/./users", "/public/x/../../admin/users");
    try (JettyHttps https = start()) {
      for (String trick : tricks) {
        JettyHttps.RawResponse response = JettyHttps.rawGet(billing, https.port(), trick, "localhost");
        assertThat(response.status()).as("status of %s", trick).isIn(400, 403);
      }
      // Sanity: the same client reaches what it may, and alice what billing may not.
      assertThat(JettyHttps.rawGet(billing, https.port(), "/public/../public/report", "localhost").status())
          .isEqualTo(200);
      assertThat(JettyHttps.rawGet(alice, https.port(), "/public/../admin/users", "localhost").status())
          .isEqualTo(200);
      assertThat(reached).containsExactly("/public/../public/report", "/public/../admin/users");
    }
  }

  @Test
  void handle_emptySegmentBeforeDotDot_isRefusedEvenWhereJettyAllowsIt() throws Exception {
    // LEGACY URI compliance lets "//" and ".." through to the application. Merging the slashes
    // first would make /admin/x//../../public/report read /public/report (allowed to billing),
    // while Jetty, like RFC 3986, routes it to /admin/public/report.
    HttpConfiguration legacy = new HttpConfiguration();
    legacy.setUriCompliance(UriCompliance.LEGACY);
    try (JettyHttps https = JettyHttps.start(jetty -> JettyServerConnectors.builder(jetty, tls).host("127.0.0.1")
        .httpConfiguration(legacy).build(), guarding(application()))) {
      JettyHttps.RawResponse response =
          JettyHttps.rawGet(billing, https.port(), "/admin/x//../../public/report", "localhost");

      assertThat(response.status()).isEqualTo(400);
      assertThat(reached).isEmpty();
      assertThat(JettyHttps.rawGet(billing, https.port(), "/public/x/../report", "localhost").status())
          .as("LEGACY still serves what the policy allows").isEqualTo(200);
    }
  }

  /** Jetty with the handler trusting cn:envoy to forward client certificates as RFC 9440 headers. */
  private JettyHttps startBehindProxy(Queue<String> headersSeen) throws Exception {
    AccessControl access = AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
            .trustedProxies("cn:envoy").build())
        .build();
    return JettyHttps.start(tls, new AccessControlHandler(access, JettyHttps.answering(request -> {
      headersSeen.add(String.valueOf(request.getHeaders().get("Client-Cert")));
      MtlsPrincipal principal = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      boolean tlsVisible = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) != null;
      return principal.getName() + (tlsVisible ? " tls-visible" : "");
    })));
  }

  private static String clientCertHeader(CertifiedKey identity) throws Exception {
    return ":" + Base64.getEncoder().encodeToString(identity.certificate().getEncoded()) + ":";
  }

  private static HttpResponse<String> sendWithHeader(TlsClient client, URI uri, String header) throws Exception {
    HttpClient http = JdkHttpClients.builder(client).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return http.send(HttpRequest.newBuilder(uri).header("Client-Cert", header).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handle_trustedProxy_isDecidedOnTheForwardedCertificate() throws Exception {
    Queue<String> headersSeen = new ConcurrentLinkedQueue<>();
    try (TlsClient envoy = client(CA.client("envoy")); JettyHttps https = startBehindProxy(headersSeen)) {
      HttpResponse<String> asAlice = sendWithHeader(envoy, https.uri("/admin/users"), clientCertHeader(ALICE));
      HttpResponse<String> asBilling = sendWithHeader(envoy, https.uri("/admin/users"), clientCertHeader(BILLING));
      HttpResponse<String> untrusted = sendWithHeader(envoy, https.uri("/public/report"),
          clientCertHeader(TestCa.create().client("alice")));

      assertThat(asAlice.statusCode()).isEqualTo(200);
      assertThat(asAlice.body()).as("the application sees the forwarded client, not the proxy's TLS session")
          .isEqualTo("cn:alice");
      assertThat(asBilling.statusCode()).isEqualTo(403);
      assertThat(untrusted.statusCode()).as("a forwarded certificate is verified again").isEqualTo(401);
      assertThat(headersSeen).as("a trusted proxy's header reaches the application").hasSize(1)
          .allMatch(header -> header.startsWith(":MII"));
      AccessEvent first = events.poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.principal()).isEqualTo("cn:alice");
      assertThat(first.via()).isEqualTo("proxy:cn:envoy");
    }
  }

  @Test
  void handle_trustedProxy_isVerifiedAgainOnAnOpenConnectionAfterTrustRotates(@TempDir Path dir) throws Exception {
    TestCa proxyCa = TestCa.create();
    Path trust = dir.resolve("clients-ca.pem");
    Files.writeString(trust, Pem.writeCertificates(CA.certificate(), proxyCa.certificate()));
    try (TlsServer rotating = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
            .trust(TrustSource.pemFile(trust))
            .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
            .listeners().build();
        TlsClient envoy = Mtls.client().identity(IdentitySource.of(proxyCa.client("envoy")))
            .trust(TrustSource.of(CA.certificate())).listeners().build();
        JettyHttps https = JettyHttps.start(rotating, new AccessControlHandler(AccessControl.builder(rotating)
            .policy(POLICY)
            .forwardedCertificates(ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
                .trustedProxies("cn:envoy").build())
            .build(), application()))) {
      HttpClient http = JdkHttpClients.builder(envoy).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      HttpRequest request = HttpRequest.newBuilder(https.uri("/public/report"))
          .header("Client-Cert", clientCertHeader(ALICE)).build();
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      // The proxy's CA leaves the trust; the proxy's connection stays open (keep-alive).
      Files.writeString(trust, Pem.writeCertificates(CA.certificate()));
      rotating.reload();

      HttpResponse<String> after = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).as("the proxy no longer verifies: no longer trusted").isEqualTo(401);
    }
  }

  @Test
  void handle_headerFromAnUntrustedClient_isIgnoredAndRemoved() throws Exception {
    Queue<String> headersSeen = new ConcurrentLinkedQueue<>();
    try (JettyHttps https = startBehindProxy(headersSeen)) {
      // billing claims to be alice (who may use /admin) through the header: not a trusted proxy.
      HttpResponse<String> claimsAlice = sendWithHeader(billing, https.uri("/admin/users"), clientCertHeader(ALICE));
      HttpResponse<String> ownRequest = sendWithHeader(billing, https.uri("/public/report"), clientCertHeader(ALICE));

      assertThat(claimsAlice.statusCode()).isEqualTo(403);
      assertThat(ownRequest.statusCode()).isEqualTo(200);
      assertThat(ownRequest.body()).isEqualTo("cn:billing tls-visible");
      assertThat(headersSeen).as("the application never sees the unvouched header").containsExactly("null");
    }
  }

  @Test
  void handle_clientThatMapsToNoPrincipal_gets403WhenAdmitted() throws Exception {
    // Principals from URI SANs: the test kit's client certificates have none.
    try (TlsServer admitting = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
            .trust(TrustSource.of(CA.certificate()))
            .principals(PrincipalMappers.subjectAlternativeName(GeneralName.Kind.URI))
            .admitUnmappedClients()
            .listeners(new MtlsListener() {
              @Override
              public void onHandshake(HandshakeEvent event) {}

              @Override
              public void onAccess(AccessEvent event) {
                events.add(event);
              }
            }).build();
        JettyHttps https = JettyHttps.start(admitting, new AccessControlHandler(
            AccessControl.builder(admitting).policy(POLICY).build(), application()))) {
      HttpResponse<String> response = send(billing, HttpClient.Version.HTTP_1_1, https.uri("/public/report"));

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).isEqualTo("no principal for this certificate");
      assertThat(reached).isEmpty();
      AccessEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.certificateFailure()).isEqualTo(FailureReason.PRINCIPAL_REJECTED);
      assertThat(event.fingerprint()).isNotNull();
      assertThat(event.reason()).contains("CN=billing").contains("maps to no principal");
    }
  }

  @Test
  void handle_clientThatMapsToNoPrincipal_failsTheHandshakeByDefault() throws Exception {
    try (TlsServer strict = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
            .trust(TrustSource.of(CA.certificate()))
            .principals(PrincipalMappers.subjectAlternativeName(GeneralName.Kind.URI))
            .listeners().build();
        JettyHttps https = JettyHttps.start(strict, new AccessControlHandler(
            AccessControl.builder(strict).policy(POLICY).build(), application()))) {
      assertThatThrownBy(() -> send(billing, HttpClient.Version.HTTP_1_1, https.uri("/public/report")))
          .isInstanceOf(java.io.IOException.class);
      assertThat(reached).isEmpty();
    }
  }
}
