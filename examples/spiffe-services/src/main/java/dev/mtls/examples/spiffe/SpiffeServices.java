package dev.mtls.examples.spiffe;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.TrustSource;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import java.io.PrintStream;

/**
 * Two workloads of the trust domain {@code example.org} that call each other: {@code orders}
 * creates invoices at {@code billing}, and {@code billing} reads orders back from {@code orders}.
 * Each one allows only the other, by SPIFFE ID; a third workload of the same trust domain is
 * refused by both.
 */
public final class SpiffeServices {
  /** The SPIFFE ID of the orders workload. */
  public static final String ORDERS = "spiffe://example.org/ns/shop/sa/orders";
  /** The SPIFFE ID of the billing workload. */
  public static final String BILLING = "spiffe://example.org/ns/shop/sa/billing";

  private SpiffeServices() {}

  /**
   * Billing's rules: only orders may create and read invoices.
   *
   * @return the policy
   */
  public static AccessPolicy billingPolicy() {
    return AccessPolicy.builder().name("billing")
        .allow("spiffe:" + ORDERS, "GET,POST", "/invoices/**")
        .build();
  }

  /**
   * Orders' rules: only billing may read orders.
   *
   * @return the policy
   */
  public static AccessPolicy ordersPolicy() {
    return AccessPolicy.builder().name("orders")
        .allow("spiffe:" + BILLING, "GET", "/orders/**")
        .build();
  }

  /**
   * Issues an X.509 SVID for a workload: a SPIFFE ID as its only URI name, a DNS name for the
   * address it is reached at, and both server and client use, since a workload is both.
   *
   * @param ca the trust domain's CA (here the test kit's; in production, SPIRE or your CA)
   * @param spiffeId the workload's SPIFFE ID
   * @return the SVID
   */
  public static CertifiedKey svid(TestCa ca, String spiffeId) {
    return ca.leaf(CertificateRole.SERVER_AND_CLIENT).spiffeId(spiffeId).names("localhost").issue();
  }

  /**
   * Starts both workloads, makes the calls and prints what each side answered.
   *
   * @param args ignored
   * @throws Exception if a workload cannot start or a call fails
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Starts both workloads and a stranger, makes the calls and prints the replies.
   *
   * @param out where to print
   * @throws Exception if a workload cannot start or a call fails
   */
  static void run(PrintStream out) throws Exception {
    TestCa ca = TestCa.create();
    TrustSource bundle = TrustSource.of(ca.certificate());
    try (Workload billing = Workload.start("billing", IdentitySource.of(svid(ca, BILLING)), bundle, billingPolicy());
        Workload orders = Workload.start("orders", IdentitySource.of(svid(ca, ORDERS)), bundle, ordersPolicy());
        Workload stranger = Workload.start("stranger",
            IdentitySource.of(svid(ca, "spiffe://example.org/ns/shop/sa/stranger")), bundle,
            AccessPolicy.builder().deny("*", "*", "/**").build())) {
      print(out, "orders   -> billing POST /invoices/7", orders.call(billing.url(), "POST", "/invoices/7"));
      print(out, "billing  -> orders  GET  /orders/7  ", billing.call(orders.url(), "GET", "/orders/7"));
      print(out, "stranger -> billing GET  /invoices/7", stranger.call(billing.url(), "GET", "/invoices/7"));
    }
  }

  private static void print(PrintStream out, String call, Workload.Reply reply) {
    out.println(call + ": " + reply.status() + " " + reply.body() + "  (answered by " + reply.server() + ")");
  }
}
