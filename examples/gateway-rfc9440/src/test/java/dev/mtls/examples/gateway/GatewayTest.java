package dev.mtls.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.AccessEvent;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsConfiguration;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API behind the real gateway, with real clients: through the gateway and around it. */
class GatewayTest {
  private static final TestCa CA = TestCa.create();
  private static final BlockingQueue<AccessEvent> DECISIONS = new LinkedBlockingQueue<>();

  private static TlsServer apiTls;
  private static TlsServer gatewayTls;
  private static TlsClient gatewayToApi;
  private static TlsClient alice;
  private static TlsClient mallory;
  private static InvoiceApi api;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    apiTls = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners(new MtlsListener() {
          @Override
          public void onHandshake(HandshakeEvent event) {}

          @Override
          public void onAccess(AccessEvent event) {
            DECISIONS.add(event);
          }
        })
        .build();
    gatewayTls = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).build();
    gatewayToApi = GatewayDemo.client(CA, "gateway");
    alice = GatewayDemo.client(CA, "alice");
    mallory = GatewayDemo.client(CA, "mallory");
    api = InvoiceApi.start(apiTls, GatewayDemo.policy());
    gateway = Gateway.start(gatewayTls, gatewayToApi, api.url());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    api.close();
    for (TlsConfiguration configuration : new TlsConfiguration[] {alice, mallory, gatewayToApi, gatewayTls, apiTls}) {
      configuration.close();
    }
  }

  /**
   * Drops the decisions of earlier tests. Events arrive a few milliseconds after their request,
   * in order: a marker published now arrives after every earlier test's decision, so everything
   * up to it is dropped, and a late decision is never taken for this test's.
   */
  @BeforeEach
  void forgetDecisions() throws InterruptedException {
    AccessEvent marker = new AccessEvent(Instant.now(), null, null, "GET", "/marker", null, false, "marker");
    apiTls.publish(marker);
    AccessEvent event;
    do {
      event = DECISIONS.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("the marker event").isNotNull();
    } while (event != marker);
  }

  private static URI viaGateway(String path) {
    return gateway.url().resolve(path);
  }

  private static URI direct(String path) {
    return api.url().resolve(path);
  }

  private static AccessEvent decision() throws InterruptedException {
    AccessEvent event = DECISIONS.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("the API's access decision").isNotNull();
    return event;
  }

  @Test
  void clientThroughTheGateway_isDecidedOnItsForwardedCertificate() throws Exception {
    assertThat(GatewayDemo.get(alice, viaGateway("/invoices/7"), null))
        .isEqualTo("200 hello cn:alice /invoices/7 (forwarded)");
    AccessEvent event = decision();
    assertThat(event.principal()).isEqualTo("cn:alice");
    assertThat(event.via()).isEqualTo("proxy:cn:gateway");
  }

  @Test
  void deniedClientThroughTheGateway_gets403() throws Exception {
    assertThat(GatewayDemo.get(mallory, viaGateway("/invoices/7"), null)).isEqualTo("403 forbidden");
    assertThat(decision().principal()).isEqualTo("cn:mallory");
  }

  @Test
  void clientForgingTheHeaderAtTheGateway_isDecidedOnTheCertificateItPresented() throws Exception {
    String reply = GatewayDemo.get(mallory, viaGateway("/invoices/7"), CA.client("alice").certificate());

    assertThat(reply).isEqualTo("403 forbidden");
    assertThat(decision().principal()).isEqualTo("cn:mallory");
  }

  @Test
  void directCallerWithAForgedHeader_isNotBelieved() throws Exception {
    String reply = GatewayDemo.get(mallory, direct("/invoices/7"), CA.client("alice").certificate());

    assertThat(reply).isEqualTo("403 forbidden");
    AccessEvent event = decision();
    assertThat(event.principal()).isEqualTo("cn:mallory");
    assertThat(event.via()).isNull();
  }

  @Test
  void allowedDirectCallerWithAForgedHeader_isDecidedOnItsOwnCertificate_andTheHeaderIsRemoved() throws Exception {
    String reply = GatewayDemo.get(alice, direct("/invoices/7"), CA.client("mallory").certificate());

    assertThat(reply).isEqualTo("200 hello cn:alice /invoices/7");
  }

  @Test
  void gatewayForwardingNoCertificate_gets401_neverItsOwnPrincipal() throws Exception {
    assertThat(GatewayDemo.get(gatewayToApi, direct("/invoices/7"), null)).isEqualTo("401 client certificate required");
  }

  @Test
  void gatewayForwardingACertificateFromAnotherCa_gets401() throws Exception {
    TestCa other = TestCa.create();

    String reply = GatewayDemo.get(gatewayToApi, direct("/invoices/7"), other.client("alice").certificate());

    assertThat(reply).isEqualTo("401 client certificate required");
  }
}
