package dev.mtls.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.AccessEvent;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.ReloadEvent;
import dev.mtls.core.Slf4jListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.http.policy.AccessDecision;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.proxy.ForwardedCertificates;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates forwarded by a TLS-terminating proxy, over real mTLS connections: the proxy
 * is a JDK HttpClient with the proxy's own certificate that adds the forwarding headers.
 */
class ForwardedAccessTest {
  private static final TestCa CA = TestCa.create();
  private static final TestCa OTHER_CA = TestCa.create();
  private static final CertifiedKey ENVOY = CA.client("envoy");
  private static final CertifiedKey ALICE = CA.client("alice");
  private static final CertifiedKey BILLING = CA.client("billing");
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .allow("group:ops", "*", "/admin/**")
      .allow("*", "GET", "/reports/**")
      .build();
  private static final ForwardedCertificates RFC_9440_FROM_ENVOY =
      ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).trustedProxies("cn:envoy").build();
  private static final ForwardedCertificates XFCC_FROM_ENVOY =
      ForwardedCertificates.builder(ForwardedCertificates.Format.ENVOY_XFCC).trustedProxies("cn:envoy").build();

  @TempDir Path dir;

  private final BlockingQueue<AccessEvent> events = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  private MtlsListener recording() {
    return new MtlsListener() {
      @Override
      public void onHandshake(HandshakeEvent event) {}

      @Override
      public void onAccess(AccessEvent event) {
        events.add(event);
      }
    };
  }

  private TlsServer tls(TrustSource trust, RevocationPolicy revocation) {
    var builder = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(trust)
        .clientAuth(ClientAuth.OPTIONAL)
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)
            .withGroups(p -> p.getName().equals("cn:alice") ? Set.of("ops") : Set.of()))
        .listeners(recording());
    if (revocation != null) {
      builder.revocation(revocation);
    }
    return closing(builder.build());
  }

  private TlsServer tls() {
    return tls(TrustSource.of(CA.certificate()), null);
  }

  /**
   * Decides each request with {@code check(HttpRequestView)}, answers with the decision's status and
   * client message, and says in {@code x-strip} whether the adapter would strip the headers.
   */
  private LoopbackHttps start(TlsServer tls, AccessControl access) throws Exception {
    return closing(LoopbackHttps.start(tls, exchange -> {
      HttpRequestView request = HttpRequestView.of(((HttpsExchange) exchange).getSSLSession(),
          exchange.getRemoteAddress(), exchange.getRequestHeaders()::get, exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath());
      respond(exchange, access.check(request), access.stripsForwardedHeaders(request));
    }));
  }

  /** Like a servlet container that reports only the client's chain: {@code ofCertificates}. */
  private LoopbackHttps startWithCertificatesOnly(TlsServer tls, AccessControl access) throws Exception {
    return closing(LoopbackHttps.start(tls, exchange -> {
      List<X509Certificate> chain = new ArrayList<>();
      try {
        for (Certificate each : ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()) {
          chain.add((X509Certificate) each);
        }
      } catch (SSLPeerUnverifiedException e) {
        chain.clear(); // no client certificate
      }
      HttpRequestView request = HttpRequestView.ofCertificates(chain, exchange.getRemoteAddress(),
          exchange.getRequestHeaders()::get, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      respond(exchange, access.check(request), access.stripsForwardedHeaders(request));
    }));
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, AccessDecision decision, boolean strip)
      throws java.io.IOException {
    byte[] body = (decision.allowed() ? "ok" : decision.clientMessage()).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("x-strip", String.valueOf(strip));
    exchange.sendResponseHeaders(decision.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private HttpClient http(CertifiedKey identity) {
    TlsClient client = closing(Mtls.client().identity(IdentitySource.of(identity))
        .trust(TrustSource.of(CA.certificate())).listeners().build());
    return JdkHttpClients.builder(client).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpClient anonymous() throws Exception {
    SSLContext noCertificate = SSLContext.getInstance("TLS");
    noCertificate.init(null, CA.trustManagerFactory().getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(noCertificate).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpResponse<String> send(HttpClient http, LoopbackHttps https, String method, String rawPath,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(https.uri(rawPath))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private AccessEvent nextEvent() throws InterruptedException {
    AccessEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an access event within 10 s").isNotNull();
    return event;
  }

  /** RFC 9440's byte sequence: the DER in base64 between colons. */
  static String byteSequence(X509Certificate certificate) {
    try {
      return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Envoy's URL-encoded PEM: spaces as %20 (never '+', which is a base64 character). */
  static String urlEncodedPem(X509Certificate... certificates) {
    return URLEncoder.encode(Pem.writeCertificates(certificates), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String fingerprint(CertifiedKey key) {
    return Certificates.sha256Fingerprint(key.certificate());
  }

  @Test
  void rfc9440_fromATrustedProxy_isDecidedOnTheForwardedPrincipal() throws Exception {
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());
    HttpClient envoy = http(ENVOY);

    HttpResponse<String> allowed = send(envoy, https, "POST", "/admin/users",
        "Client-Cert", byteSequence(ALICE.certificate()));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("x-strip")).hasValue("false");
    AccessEvent event = nextEvent();
    assertThat(Slf4jListener.format(event)).isEqualTo("event=access decision=allow principal=cn:alice"
        + " fingerprint=" + fingerprint(ALICE) + " via=proxy:cn:envoy method=POST path=/admin/users"
        + " rule=policy:1 reason=\"allowed by policy:1\"");

    HttpResponse<String> denied = send(envoy, https, "POST", "/admin/users",
        "Client-Cert", byteSequence(BILLING.certificate()));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("forbidden");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::fingerprint, AccessEvent::via)
        .containsExactly("cn:billing", fingerprint(BILLING), "proxy:cn:envoy");
  }

  @Test
  void rfc9440_withClientCertChain_buildsThePathThroughTheForwardedIntermediates() throws Exception {
    TestCa deep = TestCa.builder().intermediates(1).build();
    CertifiedKey carol = deep.client("carol");
    assertThat(carol.chain()).hasSize(2);
    TlsServer tls = tls(TrustSource.of(CA.certificate(), deep.certificate()), null);
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());
    HttpClient envoy = http(ENVOY);

    HttpResponse<String> withChain = send(envoy, https, "GET", "/reports/2026",
        "Client-Cert", byteSequence(carol.certificate()), "Client-Cert-Chain", byteSequence(carol.chain().get(1)));
    HttpResponse<String> withoutChain = send(envoy, https, "GET", "/reports/2026",
        "Client-Cert", byteSequence(carol.certificate()));

    assertThat(withChain.statusCode()).isEqualTo(200);
    assertThat(nextEvent().principal()).isEqualTo("cn:carol");
    assertThat(withoutChain.statusCode()).isEqualTo(401);
    assertThat(nextEvent().certificateFailure()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
  }

  @Test
  void header_fromAnUntrustedClientIdentity_isIgnoredAndToBeStripped() throws Exception {
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());

    HttpResponse<String> response = send(http(BILLING), https, "POST", "/admin/users",
        "Client-Cert", byteSequence(ALICE.certificate()));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-strip")).hasValue("true");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::fingerprint, AccessEvent::via)
        .containsExactly("cn:billing", fingerprint(BILLING), null);
  }

  @Test
  void header_fromAnUntrustedAddress_isIgnoredAndToBeStripped() throws Exception {
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
            .trustedProxies("cn:envoy").trustedProxyAddresses("10.0.0.0/8", "fd00::/8").build()).build());

    HttpResponse<String> response = send(http(ENVOY), https, "POST", "/admin/users",
        "Client-Cert", byteSequence(ALICE.certificate()));

    assertThat(response.statusCode()).as("decided on cn:envoy, which no rule allows").isEqualTo(403);
    assertThat(response.headers().firstValue("x-strip")).hasValue("true");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via).containsExactly("cn:envoy", null);
  }

  @Test
  void header_fromATrustedAddress_isReadEvenWithoutAProxyCertificate() throws Exception {
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
            .trustedProxyAddresses("127.0.0.0/8", "::1").build()).build());

    HttpResponse<String> response = send(anonymous(), https, "GET", "/admin/users",
        "Client-Cert", byteSequence(ALICE.certificate()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-strip")).hasValue("false");
    AccessEvent event = nextEvent();
    assertThat(event.principal()).isEqualTo("cn:alice");
    assertThat(event.via()).matches("proxy:(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)");
  }

  @Test
  void header_overIpv6_isReadFromATrustedIpv6BlockOnly() throws Exception {
    InetAddress ipv6Loopback = InetAddress.getByName("::1");
    TlsServer tls = closing(Mtls.server().identity(IdentitySource.of(CA.server("localhost", "::1")))
        .trust(TrustSource.of(CA.certificate())).clientAuth(ClientAuth.OPTIONAL)
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).listeners(recording()).build());
    AccessPolicy readers = AccessPolicy.builder().allow("cn:alice", "GET", "/reports/**").build();
    HttpsServer server;
    try {
      server = HttpsServer.create(new InetSocketAddress(ipv6Loopback, 0), 0);
    } catch (java.io.IOException e) {
      Assumptions.abort("no IPv6 loopback: " + e.getMessage());
      return;
    }
    server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(tls.sslParameters());
      }
    });
    AccessControl trustingIpv6 = AccessControl.builder(tls).policy(readers).forwardedCertificates(
        ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).trustedProxyAddresses("::1/128").build())
        .build();
    AccessControl trustingOtherIpv6 = AccessControl.builder(tls).policy(readers).forwardedCertificates(
        ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).trustedProxyAddresses("fd00::/8").build())
        .build();
    for (var access : List.of(Map.entry("/trusting", trustingIpv6), Map.entry("/other", trustingOtherIpv6))) {
      server.createContext(access.getKey(), exchange -> {
        HttpRequestView request = HttpRequestView.of(((HttpsExchange) exchange).getSSLSession(),
            exchange.getRemoteAddress(), exchange.getRequestHeaders()::get, "GET", "/reports/2026");
        respond(exchange, access.getValue().check(request), access.getValue().stripsForwardedHeaders(request));
      });
    }
    server.start();
    resources.add(() -> server.stop(0));
    int port = server.getAddress().getPort();
    HttpClient envoy = http(ENVOY);

    HttpResponse<String> trusted = envoy.send(HttpRequest.newBuilder(URI.create("https://[::1]:" + port + "/trusting"))
        .header("Client-Cert", byteSequence(ALICE.certificate())).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> untrusted = envoy.send(HttpRequest.newBuilder(URI.create("https://[::1]:" + port + "/other"))
        .header("Client-Cert", byteSequence(ALICE.certificate())).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(trusted.statusCode()).isEqualTo(200);
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via)
        .containsExactly("cn:alice", "proxy:cn:envoy");
    assertThat(untrusted.statusCode()).as("decided on cn:envoy").isEqualTo(403);
    assertThat(untrusted.headers().firstValue("x-strip")).hasValue("true");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via).containsExactly("cn:envoy", null);
  }

  /** Runs curl and returns its output (the status code, by -w); skips the test without curl. */
  private String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "20"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("curl not installed");
      return null;
    }
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("curl ends within 30 s").isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("curl exit status, output: %s", output).isZero();
      return output;
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void curlAsTheProxy_forwardsInBothFormats() throws Exception {
    TlsServer tls = tls();
    LoopbackHttps rfc = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());
    LoopbackHttps xfcc = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(XFCC_FROM_ENVOY).build());
    TestFiles.PemIdentity envoy = TestFiles.writePem(dir, "envoy", ENVOY);
    Path ca = TestFiles.writeCertificates(dir, "ca.pem", CA.certificate());

    String viaRfc = curl("--cacert", ca.toString(), "--cert", envoy.certificateChain().toString(),
        "--key", envoy.privateKey().toString(), "--resolve", "localhost:" + rfc.uri("/").getPort() + ":127.0.0.1",
        "-H", "Client-Cert: " + byteSequence(ALICE.certificate()), "-o", dir.resolve("body").toString(),
        "-w", "%{http_code}",
        "-X", "POST", rfc.uri("/admin/users").toString());
    assertThat(viaRfc).isEqualTo("200");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via)
        .containsExactly("cn:alice", "proxy:cn:envoy");

    String viaXfcc = curl("--cacert", ca.toString(), "--cert", envoy.certificateChain().toString(),
        "--key", envoy.privateKey().toString(), "--resolve", "localhost:" + xfcc.uri("/").getPort() + ":127.0.0.1",
        "-H", "x-forwarded-client-cert: By=spiffe://example.org/envoy;Cert=\"" + urlEncodedPem(BILLING.certificate())
            + "\";Subject=\"CN=billing\"", "-o", dir.resolve("body").toString(), "-w", "%{http_code}",
        "-X", "POST", xfcc.uri("/admin/users").toString());
    assertThat(viaXfcc).as("cn:billing may not POST to /admin").isEqualTo("403");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via)
        .containsExactly("cn:billing", "proxy:cn:envoy");
  }

  @Test
  void trustedProxy_withoutAForwardedCertificate_isUnauthorizedNotItself() throws Exception {
    TlsServer tls = tls();
    AccessPolicy envoyMayReadReports = AccessPolicy.builder().allow("cn:envoy", "GET", "/reports/**").build();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(envoyMayReadReports)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());

    HttpResponse<String> response = send(http(ENVOY), https, "GET", "/reports/2026");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("client certificate required");
    assertThat(Slf4jListener.format(nextEvent())).isEqualTo("event=access decision=deny via=proxy:cn:envoy"
        + " method=GET path=/reports/2026 reason=\"the trusted proxy forwarded no client certificate\"");
  }

  @Test
  void forwardedCertificate_fromAnUntrustedCa_isRejected() throws Exception {
    CertifiedKey mallory = OTHER_CA.client("alice");
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());

    HttpResponse<String> response = send(http(ENVOY), https, "GET", "/reports/2026",
        "Client-Cert", byteSequence(mallory.certificate()));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("client certificate required");
    AccessEvent event = nextEvent();
    assertThat(event.principal()).isNull();
    assertThat(event.fingerprint()).isEqualTo(fingerprint(mallory));
    assertThat(event.certificateFailure()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    assertThat(event.reason()).startsWith("forwarded certificate rejected: UNTRUSTED_ISSUER: ");
    assertThat(Slf4jListener.format(event)).contains(" via=proxy:cn:envoy ")
        .contains(" certificate_failure=UNTRUSTED_ISSUER ");
  }

  @Test
  void forwardedCertificate_thatExpired_isRejected() throws Exception {
    CertifiedKey expired = CA.broken(CertificateRole.CLIENT).expired();
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(XFCC_FROM_ENVOY).build());

    HttpResponse<String> response = send(http(ENVOY), https, "GET", "/reports/2026",
        "x-forwarded-client-cert", "Hash=00;Cert=\"" + urlEncodedPem(expired.certificate()) + "\"");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(nextEvent().certificateFailure()).isEqualTo(FailureReason.EXPIRED);
  }

  @Test
  void forwardedCertificate_thatIsRevoked_isRejectedWithRevocationConfigured() throws Exception {
    TestCa revoking = TestCa.create();
    CertifiedKey proxy = revoking.client("envoy");
    CertifiedKey victim = revoking.client("victim");
    CertifiedKey fine = revoking.client("fine");
    revoking.revoke(victim.certificate(), RevocationReason.KEY_COMPROMISE);
    TlsServer tls = tls(TrustSource.of(CA.certificate(), revoking.certificate()),
        RevocationPolicy.hardFail().sources(RevocationPolicy.Source.CRL).crls(revoking.crl()));
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());
    HttpClient envoy = http(proxy);

    HttpResponse<String> revoked = send(envoy, https, "GET", "/reports/2026", "Client-Cert",
        byteSequence(victim.certificate()));
    HttpResponse<String> good = send(envoy, https, "GET", "/reports/2026", "Client-Cert",
        byteSequence(fine.certificate()));

    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(nextEvent().certificateFailure()).isEqualTo(FailureReason.REVOKED);
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(nextEvent().principal()).isEqualTo("cn:fine");
  }

  @Test
  void malformedHeaders_fromATrustedProxy_areBadRequests() throws Exception {
    TlsServer tls = tls();
    AccessControl rfc = AccessControl.builder(tls).policy(POLICY).forwardedCertificates(
        ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440).trustedProxies("cn:envoy")
            .maxHeaderLength(1024).build()).build();
    AccessControl xfcc = AccessControl.builder(tls).policy(POLICY).forwardedCertificates(XFCC_FROM_ENVOY).build();
    LoopbackHttps rfcHttps = start(tls, rfc);
    LoopbackHttps xfccHttps = start(tls, xfcc);
    HttpClient envoy = http(ENVOY);
    String alice = byteSequence(ALICE.certificate());
    String base64 = alice.substring(1, alice.length() - 1);

    List<List<String>> rfcCases = List.of(
        List.of("Client-Cert", ":MIIB*qD:"),
        List.of("Client-Cert", base64),
        List.of("Client-Cert", ":" + base64),
        List.of("Client-Cert", ":" + base64 + ":;a=1"),
        List.of("Client-Cert", ":MAA=:"),
        List.of("Client-Cert", ":" + "A".repeat(2000) + ":"),
        List.of("Client-Cert-Chain", alice),
        List.of("Client-Cert", alice, "Client-Cert-Chain", alice + ",,"));
    for (List<String> headers : rfcCases) {
      HttpResponse<String> response = send(envoy, rfcHttps, "GET", "/reports/2026", headers.toArray(new String[0]));
      assertThat(response.statusCode()).as("%s", headers).isEqualTo(400);
      assertThat(response.body()).isEqualTo("invalid forwarded client certificate");
    }
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < rfcCases.size(); i++) {
      AccessEvent event = nextEvent();
      assertThat(event.via()).isEqualTo("proxy:cn:envoy");
      reasons.add(event.reason());
    }
    assertThat(reasons).containsExactly(
        "malformed forwarded certificate: Client-Cert: found '*' at position 5 of the base64 in the value;"
            + " expected A-Z, a-z, 0-9, '+', '/' or '='",
        "malformed forwarded certificate: Client-Cert: found the value starting with 'M'; expected a byte"
            + " sequence ':BASE64:' of a DER certificate",
        "malformed forwarded certificate: Client-Cert: found no closing ':' in the value; expected a byte"
            + " sequence ':BASE64:' of a DER certificate",
        "malformed forwarded certificate: Client-Cert: found ';' after the closing ':' of the value;"
            + " expected no parameters",
        "malformed forwarded certificate: Client-Cert: found 2 bytes for the client certificate that are not"
            + " an X.509 certificate (" + reasonOf(() -> java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(new byte[] {0x30, 0}))) + ")",
        "malformed forwarded certificate: Client-Cert: found 2002 characters; expected at most 1024"
            + " (ForwardedCertificates.Builder.maxHeaderLength)",
        "malformed forwarded certificate: Client-Cert-Chain: found without Client-Cert; expected the client"
            + " certificate in Client-Cert whenever a chain is sent",
        "malformed forwarded certificate: Client-Cert-Chain: found an empty list member (member 2); expected"
            + " byte sequences separated by commas");

    String pem = urlEncodedPem(ALICE.certificate());
    List<String> xfccCases = List.of(
        "Hash=00;Cert=\"" + pem,
        "Hash=00;Cert=\"" + pem + "\"garbage",
        "Hash=00;Cert=\"" + pem.replace("%0A", "\\n") + "\"",
        "Hash=00;Subject=\"CN=a\"b\";Cert=\"" + pem + "\"",
        "Hash=00;Cert=" + pem.substring(0, 40) + "%G0",
        "Hash;Cert=\"" + pem + "\"");
    for (String header : xfccCases) {
      HttpResponse<String> response = send(envoy, xfccHttps, "GET", "/reports/2026",
          "x-forwarded-client-cert", header);
      assertThat(response.statusCode()).as(header).isEqualTo(400);
      assertThat(nextEvent().reason()).startsWith("malformed forwarded certificate: x-forwarded-client-cert: found");
    }
  }

  private interface Failing {
    void run() throws Exception;
  }

  private static String reasonOf(Failing failing) {
    try {
      failing.run();
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void xfcc_withSeveralElements_usesTheLastOne() throws Exception {
    CertifiedKey mallory = OTHER_CA.client("mallory");
    TlsServer tls = tls();
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(XFCC_FROM_ENVOY).build());
    HttpClient envoy = http(ENVOY);
    String aliceElement = "By=spiffe://example.org/envoy;Hash=ab12;Cert=\"" + urlEncodedPem(ALICE.certificate())
        + "\";Subject=\"CN=alice,O=\\\"Example, Inc.\\\"\";URI=;DNS=alice.example.org";
    String malloryElement = "By=spiffe://example.org/edge;Cert=\"" + urlEncodedPem(mallory.certificate()) + "\"";

    HttpResponse<String> aliceLast = send(envoy, https, "POST", "/admin/users",
        "x-forwarded-client-cert", malloryElement + "," + aliceElement.replace("URI=;", ""));
    HttpResponse<String> malloryLast = send(envoy, https, "POST", "/admin/users",
        "x-forwarded-client-cert", aliceElement.replace("URI=;", "") + "," + malloryElement);
    HttpResponse<String> twoFieldLines = send(envoy, https, "POST", "/admin/users",
        "x-forwarded-client-cert", malloryElement, "x-forwarded-client-cert", aliceElement.replace("URI=;", ""));

    assertThat(aliceLast.statusCode()).isEqualTo(200);
    assertThat(nextEvent().principal()).isEqualTo("cn:alice");
    assertThat(malloryLast.statusCode()).isEqualTo(401);
    assertThat(nextEvent().certificateFailure()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    assertThat(twoFieldLines.statusCode()).isEqualTo(200);
    assertThat(nextEvent().principal()).isEqualTo("cn:alice");
  }

  @Test
  void xfcc_withChain_usesTheWholeChain() throws Exception {
    TestCa deep = TestCa.builder().intermediates(1).build();
    CertifiedKey carol = deep.client("carol");
    TlsServer tls = tls(TrustSource.of(CA.certificate(), deep.certificate()), null);
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(XFCC_FROM_ENVOY).build());

    HttpResponse<String> response = send(http(ENVOY), https, "GET", "/reports/2026", "x-forwarded-client-cert",
        "Hash=00;Cert=\"" + urlEncodedPem(carol.certificate()) + "\";Chain=\""
            + urlEncodedPem(carol.chain().toArray(new X509Certificate[0])) + "\"");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(nextEvent().principal()).isEqualTo("cn:carol");
  }

  @Test
  void forwarding_isOffByDefault_andTheHeadersAreIgnored() throws Exception {
    TlsServer tls = tls();
    AccessControl access = AccessControl.builder(tls).policy(POLICY).build();
    LoopbackHttps https = start(tls, access);

    HttpResponse<String> response = send(http(ENVOY), https, "POST", "/admin/users",
        "Client-Cert", byteSequence(ALICE.certificate()),
        "x-forwarded-client-cert", "Cert=\"" + urlEncodedPem(ALICE.certificate()) + "\"");

    assertThat(response.statusCode()).as("decided on cn:envoy").isEqualTo(403);
    assertThat(access.forwardedHeaderNames()).isEmpty();
    assertThat(response.headers().firstValue("x-strip")).hasValue("false");
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via).containsExactly("cn:envoy", null);
  }

  @Test
  void forwardedHeaderNames_areTheFormatsHeaders() {
    TlsServer tls = tls();

    assertThat(AccessControl.builder(tls).policy(POLICY).forwardedCertificates(RFC_9440_FROM_ENVOY).build()
        .forwardedHeaderNames()).containsExactly("Client-Cert", "Client-Cert-Chain");
    assertThat(AccessControl.builder(tls).policy(POLICY).forwardedCertificates(XFCC_FROM_ENVOY).build()
        .forwardedHeaderNames()).containsExactly("x-forwarded-client-cert");
  }

  @Test
  void trustRotation_refusesAForwardedChainOfTheOldCa() throws Exception {
    TestCa oldCa = TestCa.create();
    TestCa newCa = TestCa.create();
    CertifiedKey oldAlice = oldCa.client("alice");
    Path trust = dir.resolve("clients-ca.pem");
    Files.writeString(trust, Pem.writeCertificates(CA.certificate(), oldCa.certificate()));
    TlsServer tls = tls(TrustSource.pemFile(trust), null);
    LoopbackHttps https = start(tls, AccessControl.builder(tls).policy(POLICY)
        .forwardedCertificates(RFC_9440_FROM_ENVOY).build());
    HttpClient envoy = http(ENVOY);
    assertThat(send(envoy, https, "GET", "/reports/2026", "Client-Cert", byteSequence(oldAlice.certificate()))
        .statusCode()).isEqualTo(200);
    assertThat(nextEvent().principal()).isEqualTo("cn:alice");

    Files.writeString(trust, Pem.writeCertificates(CA.certificate(), newCa.certificate()));
    assertThat(tls.reload()).extracting(ReloadEvent::outcome).contains(ReloadEvent.Outcome.CHANGED);

    HttpResponse<String> afterRotation = send(envoy, https, "GET", "/reports/2026",
        "Client-Cert", byteSequence(oldAlice.certificate()));
    assertThat(afterRotation.statusCode()).isEqualTo(401);
    assertThat(nextEvent().certificateFailure()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    assertThat(send(envoy, https, "GET", "/reports/2026", "Client-Cert",
        byteSequence(newCa.client("bob").certificate())).statusCode()).isEqualTo(200);
  }

  @Test
  void ofCertificates_verifiesTheReportedChainAndForwardsFromATrustedProxy() throws Exception {
    TlsServer tls = tls();
    AccessControl access = AccessControl.builder(tls).policy(POLICY).forwardedCertificates(RFC_9440_FROM_ENVOY)
        .build();
    LoopbackHttps https = startWithCertificatesOnly(tls, access);

    HttpResponse<String> direct = send(http(ALICE), https, "POST", "/admin/users");
    HttpResponse<String> forwarded = send(http(ENVOY), https, "GET", "/admin/users",
        "Client-Cert", byteSequence(ALICE.certificate()));
    HttpResponse<String> none = send(anonymous(), https, "GET", "/reports/2026");

    assertThat(direct.statusCode()).isEqualTo(200);
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via).containsExactly("cn:alice", null);
    assertThat(forwarded.statusCode()).isEqualTo(200);
    assertThat(nextEvent()).extracting(AccessEvent::principal, AccessEvent::via)
        .containsExactly("cn:alice", "proxy:cn:envoy");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(nextEvent().reason()).isEqualTo("no verified client principal");
  }

  @Test
  void ofCertificates_withAChainTheServerDoesNotTrust_isUnauthorized() throws Exception {
    TlsServer tls = tls();
    AccessControl access = AccessControl.builder(tls).policy(POLICY).build();
    CertifiedKey stranger = OTHER_CA.client("alice");
    Function<String, List<String>> noHeaders = name -> List.of();

    AccessDecision decision = access.check(HttpRequestView.ofCertificates(stranger.chain(), null, noHeaders,
        "GET", "/reports/2026"));

    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.reason()).startsWith("client certificate rejected: UNTRUSTED_ISSUER: ");
    AccessEvent event = nextEvent();
    assertThat(event.fingerprint()).isEqualTo(fingerprint(stranger));
    assertThat(event.certificateFailure()).isEqualTo(FailureReason.UNTRUSTED_ISSUER);
    assertThat(event.via()).isNull();
  }
}
