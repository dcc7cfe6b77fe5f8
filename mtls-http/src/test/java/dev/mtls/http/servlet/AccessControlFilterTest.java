package dev.mtls.http.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.AccessControl;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.http.jetty.AccessControlHandler;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet filter in Jetty 12 ee10, with real clients. */
class AccessControlFilterTest {
  private static final TestCa CA = TestCa.create();
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .allow("group:ops", "*", "/app/admin/**")
      .allow("*", "GET", "/app/public/**")
      .build();

  /** The request URIs the servlet saw. */
  private final Queue<String> reached = new ConcurrentLinkedQueue<>();
  private TlsServer tls;
  private TlsClient alice;
  private TlsClient billing;
  private Server jetty;
  private ServerConnector https;
  private ServerConnector plain;

  @BeforeEach
  void start() throws Exception {
    tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .clientAuth(ClientAuth.OPTIONAL)
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)
            .withGroups(p -> p.getName().equals("cn:alice") ? Set.of("ops") : Set.of()))
        .listeners().build();
    alice = client(CA.client("alice"));
    billing = client(CA.client("billing"));
    jetty = new Server();
    https = JettyServerConnectors.builder(jetty, tls).host("127.0.0.1").build();
    plain = new ServerConnector(jetty);
    plain.setHost("127.0.0.1");
    jetty.addConnector(https);
    jetty.addConnector(plain);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addFilter(new FilterHolder(new AccessControlFilter(AccessControl.builder(tls).policy(POLICY).build())),
        "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new WhoAmI(reached)), "/*");
    jetty.setHandler(context);
    jetty.setStopTimeout(0);
    jetty.start();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    alice.close();
    billing.close();
    tls.close();
  }

  private static TlsClient client(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  /** Answers with what the servlet API says about the user. */
  private static final class WhoAmI extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Queue<String> reached;

    WhoAmI(Queue<String> reached) {
      this.reached = reached;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      reached.add(request.getRequestURI());
      MtlsPrincipal principal = (MtlsPrincipal) request.getAttribute(AccessControlFilter.PRINCIPAL_ATTRIBUTE);
      response.setContentType("text/plain");
      response.getWriter().print(request.getUserPrincipal().getName() + " " + request.getRemoteUser() + " "
          + request.getAuthType() + " ops=" + request.isUserInRole("ops") + " attribute=" + principal.getName());
    }
  }

  private URI uri(String rawPath) {
    return URI.create("https://localhost:" + https.getLocalPort() + rawPath);
  }

  private static HttpResponse<String> get(TlsClient client, URI uri) throws Exception {
    return JdkHttpClients.builder(client).connectTimeout(Duration.ofSeconds(10)).build()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void doFilter_allowedRequest_reachesTheServletAsTheCertificatesUser() throws Exception {
    HttpResponse<String> ops = get(alice, uri("/app/admin/users"));
    HttpResponse<String> reader = get(billing, uri("/app/public/report"));

    assertThat(ops.statusCode()).isEqualTo(200);
    assertThat(ops.body()).isEqualTo("cn:alice cn:alice CLIENT_CERT ops=true attribute=cn:alice");
    assertThat(reader.statusCode()).isEqualTo(200);
    assertThat(reader.body()).isEqualTo("cn:billing cn:billing CLIENT_CERT ops=false attribute=cn:billing");
  }

  @Test
  void doFilter_deniedRequest_gets403AndTheServletIsNotCalled() throws Exception {
    HttpResponse<String> response = get(billing, uri("/app/admin/users"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("forbidden");
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain;charset=utf-8");
    assertThat(reached).isEmpty();
  }

  @Test
  void doFilter_withoutClientCertificate_gets401() throws Exception {
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, CA.trustManagerFactory().getTrustManagers(), null);
    HttpResponse<String> response = HttpClient.newBuilder().sslContext(anonymous)
        .connectTimeout(Duration.ofSeconds(10)).build()
        .send(HttpRequest.newBuilder(uri("/app/public/report")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("client certificate required");
    assertThat(reached).isEmpty();
  }

  @Test
  void doFilter_withoutTlsSession_gets401LikeARequestWithoutCertificate() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.getLocalPort() + "/app/public/report")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("client certificate required");
    assertThat(reached).isEmpty();
  }

  @Test
  void doFilter_pathTricks_neverReachADeniedResource() throws Exception {
    List<String> tricks = List.of("/app/public/../admin/users", "/app/public/%2e%2e/admin/users",
        "/app/public/..%2fadmin/users", "//app/admin/users", "/app//admin/users", "/app/admin%2fusers",
        "/app/pub%2Flic/../admin/users", "/app/public/..;/admin/users", "/app/%61dmin/users", "/app/ADMIN/users",
        "/app/public/%252e%252e/admin/users", "/app/public/..%5cadmin/users");
    for (String trick : tricks) {
      assertThat(rawStatus(billing, trick)).as("status of %s", trick).isIn(400, 403, 404);
    }
    assertThat(rawStatus(alice, "/app/public/../admin/users")).isEqualTo(200);
    assertThat(reached).containsExactly("/app/public/../admin/users");
  }

  /** The status of a GET with exactly this request target. */
  private int rawStatus(TlsClient client, String rawTarget) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", https.getLocalPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + rawTarget + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return Integer.parseInt(response.substring(response.indexOf(' ') + 1, response.indexOf(' ') + 4));
    }
  }

  @Test
  void principalAttribute_isTheSameForTheFilterAndTheJettyHandler() {
    assertThat(AccessControlFilter.PRINCIPAL_ATTRIBUTE).isEqualTo(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
  }

  /** Stands in for a container that does not expose the TLS session (Tomcat, Undertow). */
  private static final class HideJettySession implements jakarta.servlet.Filter {
    @Override
    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
        jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
      chain.doFilter(new jakarta.servlet.http.HttpServletRequestWrapper((HttpServletRequest) request) {
        @Override
        public Object getAttribute(String name) {
          return name.equals("org.eclipse.jetty.io.Endpoint.SslSessionData") ? null : super.getAttribute(name);
        }
      }, response);
    }
  }

  @Test
  void doFilter_inAContainerWithoutTheSession_decidesOnTheVerifiedCertificateChain() throws Exception {
    Server other = new Server();
    ServerConnector connector = JettyServerConnectors.builder(other, tls).host("127.0.0.1").build();
    other.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addFilter(new FilterHolder(new HideJettySession()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new AccessControlFilter(AccessControl.builder(tls).policy(POLICY).build())),
        "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new WhoAmI(reached)), "/*");
    other.setHandler(context);
    other.start();
    try {
      URI base = URI.create("https://localhost:" + connector.getLocalPort());
      HttpResponse<String> ops = get(alice, base.resolve("/app/admin/users"));
      HttpResponse<String> denied = get(billing, base.resolve("/app/admin/users"));

      assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
      assertThat(ops.body()).isEqualTo("cn:alice cn:alice CLIENT_CERT ops=true attribute=cn:alice");
      assertThat(denied.statusCode()).isEqualTo(403);
    } finally {
      other.stop();
    }
  }

  @Test
  void constructor_refusesProxiesTrustedByAddressAlone() {
    AccessControl byAddress = AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(dev.mtls.http.proxy.ForwardedCertificates.builder(
            dev.mtls.http.proxy.ForwardedCertificates.Format.RFC_9440).trustedProxyAddresses("10.0.0.0/8").build())
        .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AccessControlFilter(byAddress))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot trust proxies by address alone").hasMessageContaining("X-Forwarded-For");
  }
}
