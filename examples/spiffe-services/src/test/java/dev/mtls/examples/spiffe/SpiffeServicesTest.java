package dev.mtls.examples.spiffe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.TrustSource;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real workloads on loopback calling each other with SVIDs from one test CA. */
class SpiffeServicesTest {
  private static final AccessPolicy NOBODY = AccessPolicy.builder().deny("*", "*", "/**").build();

  private static Workload billing;
  private static Workload orders;
  private static Workload stranger;
  private static Workload foreign;
  private static Workload noSpiffeId;

  @BeforeAll
  static void start() throws Exception {
    TestCa ca = TestCa.create();
    TrustSource bundle = TrustSource.of(ca.certificate());
    billing = Workload.start("billing", IdentitySource.of(SpiffeServices.svid(ca, SpiffeServices.BILLING)), bundle,
        SpiffeServices.billingPolicy());
    orders = Workload.start("orders", IdentitySource.of(SpiffeServices.svid(ca, SpiffeServices.ORDERS)), bundle,
        SpiffeServices.ordersPolicy());
    stranger = Workload.start("stranger",
        IdentitySource.of(SpiffeServices.svid(ca, "spiffe://example.org/ns/shop/sa/stranger")), bundle, NOBODY);
    // Same CA, another trust domain: the CA vouches for the certificate, the mapper does not.
    foreign = Workload.start("foreign",
        IdentitySource.of(SpiffeServices.svid(ca, "spiffe://other.example/ns/shop/sa/orders")), bundle, NOBODY);
    noSpiffeId = Workload.start("plain", IdentitySource.of(ca.server("localhost")), bundle, NOBODY);
  }

  @AfterAll
  static void stop() {
    for (Workload workload : new Workload[] {billing, orders, stranger, foreign, noSpiffeId}) {
      if (workload != null) {
        workload.close();
      }
    }
  }

  @Test
  void ordersCallsBilling_isAllowed_andEachSideKnowsTheOtherBySpiffeId() throws Exception {
    Workload.Reply reply = orders.call(billing.url(), "POST", "/invoices/7");

    assertThat(reply).isEqualTo(new Workload.Reply(200,
        "billing: hello spiffe:spiffe://example.org/ns/shop/sa/orders POST /invoices/7",
        "spiffe:spiffe://example.org/ns/shop/sa/billing"));
  }

  @Test
  void billingCallsOrders_isAllowed() throws Exception {
    Workload.Reply reply = billing.call(orders.url(), "GET", "/orders/7");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("orders: hello spiffe:spiffe://example.org/ns/shop/sa/billing GET /orders/7");
  }

  @Test
  void billingWritingOrders_isDenied_onlyReadsAreAllowed() throws Exception {
    assertThat(billing.call(orders.url(), "POST", "/orders/7").status()).isEqualTo(403);
  }

  @Test
  void anotherWorkloadOfTheTrustDomain_isDenied() throws Exception {
    Workload.Reply reply = stranger.call(billing.url(), "GET", "/invoices/7");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body()).isEqualTo("forbidden");
  }

  @Test
  void workloadOfAnotherTrustDomain_isDenied_thoughItsPathLooksLikeOrders() throws Exception {
    assertThat(foreign.call(billing.url(), "GET", "/invoices/7").status()).isEqualTo(403);
  }

  @Test
  void serverWithoutASpiffeId_isRefusedByTheCaller() {
    assertThatThrownBy(() -> orders.call(noSpiffeId.url(), "GET", "/orders/7")).isInstanceOf(IOException.class)
        .hasMessageContaining("PRINCIPAL_REJECTED");
  }
}
