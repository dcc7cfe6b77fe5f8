package dev.mtls.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsExchange;
import dev.mtls.core.AccessEvent;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.Slf4jListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.policy.AccessDecision;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.policy.ReloadingAccessPolicy;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access decisions per request over real mTLS connections, and their audit events. */
class AccessControlTest {
  private static final TestCa CA = TestCa.create();
  private static final CertifiedKey ALICE = CA.client("alice");
  private static final CertifiedKey BILLING = CA.client("billing");
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .deny("*", "*", "/internal/**")
      .allow("group:ops", "*", "/admin/**")
      .allow("*", "GET", "/reports/**")
      .build();

  @TempDir Path dir;

  private final BlockingQueue<AccessEvent> events = new LinkedBlockingQueue<>();
  private TlsServer tls;

  @BeforeEach
  void startServer() {
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
        .listeners(recording)
        .build();
  }

  @AfterEach
  void closeServer() {
    tls.close();
  }

  /** Answers an allowed request with 200 "ok", a refused one with its status and client message. */
  private LoopbackHttps start(AccessControl access) throws Exception {
    return LoopbackHttps.start(tls, exchange -> {
      AccessDecision decision = access.check(((HttpsExchange) exchange).getSSLSession(),
          exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      byte[] body = (decision.allowed() ? "ok" : decision.clientMessage()).getBytes(StandardCharsets.UTF_8);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(decision.status(), -1);
      } else {
        exchange.sendResponseHeaders(decision.status(), body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
  }

  private static HttpResponse<String> send(HttpClient http, LoopbackHttps https, String method, String rawPath)
      throws Exception {
    return http.send(HttpRequest.newBuilder(https.uri(rawPath)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static TlsClient clientConfiguration(CertifiedKey identity) {
    return Mtls.client().identity(IdentitySource.of(identity)).trust(TrustSource.of(CA.certificate()))
        .listeners().build();
  }

  private static HttpClient http(TlsClient configuration) {
    return JdkHttpClients.builder(configuration).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private AccessEvent nextEvent() throws InterruptedException {
    AccessEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an access event within 10 s").isNotNull();
    return event;
  }

  @Test
  void check_allowsDeniesAndAuditsEachRequest() throws Exception {
    AccessControl access = AccessControl.builder(tls).policy(POLICY)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    try (TlsClient alice = clientConfiguration(ALICE); TlsClient billing = clientConfiguration(BILLING);
        LoopbackHttps https = start(access)) {
      HttpClient asAlice = http(alice);
      HttpClient asBilling = http(billing);

      HttpResponse<String> allowed = send(asAlice, https, "POST", "/admin/users");
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(nextEvent()).isEqualTo(new AccessEvent(NOW, "cn:alice",
          Certificates.sha256Fingerprint(ALICE.certificate()), "POST", "/admin/users", "policy:2", true,
          "allowed by policy:2"));

      HttpResponse<String> noRule = send(asBilling, https, "GET", "/admin/users");
      assertThat(noRule.statusCode()).isEqualTo(403);
      assertThat(noRule.body()).isEqualTo("forbidden");
      AccessEvent denied = nextEvent();
      assertThat(Slf4jListener.format(denied)).isEqualTo("event=access decision=deny principal=cn:billing"
          + " fingerprint=" + Certificates.sha256Fingerprint(BILLING.certificate())
          + " method=GET path=/admin/users reason=\"no rule allows GET /admin/users\"");

      HttpResponse<String> denyRule = send(asAlice, https, "GET", "/internal/../internal/keys");
      assertThat(denyRule.statusCode()).isEqualTo(403);
      assertThat(denyRule.body()).isEqualTo("forbidden");
      assertThat(Slf4jListener.format(nextEvent())).isEqualTo("event=access decision=deny principal=cn:alice"
          + " fingerprint=" + Certificates.sha256Fingerprint(ALICE.certificate())
          + " method=GET path=/internal/keys rule=policy:1 reason=\"denied by policy:1\"");

      HttpResponse<String> trick = send(asBilling, https, "GET", "/reports/%2e%2e/admin/users");
      assertThat(trick.statusCode()).isEqualTo(400);
      assertThat(trick.body()).isEqualTo("invalid request path");
      assertThat(nextEvent().reason()).isEqualTo(
          "refused path: an encoded dot segment '%2e%2e'; servers disagree on whether to resolve it");

      assertThat(send(asBilling, https, "HEAD", "/reports/2026").statusCode()).isEqualTo(200);
      assertThat(nextEvent().rule()).isEqualTo("policy:3");
    }
  }

  @Test
  void check_withoutClientCertificate_isUnauthorized() throws Exception {
    AccessControl access = AccessControl.builder(tls).policy(POLICY).build();
    SSLContext noCertificate = SSLContext.getInstance("TLS");
    noCertificate.init(null, CA.trustManagerFactory().getTrustManagers(), null);
    try (LoopbackHttps https = start(access)) {
      HttpClient anonymous = HttpClient.newBuilder().sslContext(noCertificate)
          .connectTimeout(Duration.ofSeconds(10)).build();

      HttpResponse<String> response = send(anonymous, https, "GET", "/reports/2026");

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("client certificate required");
      assertThat(Slf4jListener.format(nextEvent()))
          .isEqualTo("event=access decision=deny method=GET path=/reports/2026"
              + " reason=\"no verified client principal\"");
    }
  }

  @Test
  void check_withAReloadingPolicy_usesThePolicyInForce() throws Exception {
    Path file = dir.resolve("access.policy");
    Files.writeString(file, "allow cn:billing GET /reports/**\n");
    try (ReloadingAccessPolicy policy = ReloadingAccessPolicy.builder(file).debounce(Duration.ofMillis(20)).build();
        TlsClient billing = clientConfiguration(BILLING);
        LoopbackHttps https = start(AccessControl.builder(tls).policy(policy).build())) {
      HttpClient asBilling = http(billing);
      assertThat(send(asBilling, https, "GET", "/admin").statusCode()).isEqualTo(403);

      Files.writeString(file, "allow cn:billing GET /reports/**\nallow cn:billing GET /admin\n");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (policy.current().rules().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      assertThat(send(asBilling, https, "GET", "/admin").statusCode()).isEqualTo(200);
      assertThat(events.stream().map(AccessEvent::allowed)).containsExactly(false, true);
    }
  }

  @Test
  void builder_refusesAMissingOrSecondPolicy() {
    assertThatThrownBy(() -> AccessControl.builder(tls).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("policy(..) is required: the rules that decide each request");
    assertThatThrownBy(() -> AccessControl.builder(tls).policy(POLICY).policy(POLICY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("policy was already set to AccessPolicy[policy: 1 deny, 2 allow]");
  }
}
