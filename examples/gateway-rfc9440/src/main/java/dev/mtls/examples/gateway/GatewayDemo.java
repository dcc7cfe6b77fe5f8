package dev.mtls.examples.gateway;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Runs the API and the gateway with certificates from a throwaway CA: alice calls through the
 * gateway and is decided on her forwarded certificate; mallory calls the API directly with a
 * forged {@code Client-Cert} header naming alice, and is decided on her own.
 */
public final class GatewayDemo {
  private GatewayDemo() {}

  /**
   * The API's rules: alice may read invoices; nobody else may do anything.
   *
   * @return the policy
   */
  public static AccessPolicy policy() {
    return AccessPolicy.builder().name("invoices")
        .allow("cn:alice", "GET", "/invoices/**")
        .build();
  }

  /**
   * Runs the demo and prints the responses.
   *
   * @param args ignored
   * @throws Exception if a server cannot start or a call fails
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  static void run(PrintStream out) throws Exception {
    TestCa ca = TestCa.create();
    try (TlsServer apiTls = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
            .trust(TrustSource.of(ca.certificate()))
            .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))  // cn:gateway
            .build();
        TlsServer gatewayTls = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
            .trust(TrustSource.of(ca.certificate())).build();
        TlsClient gatewayToApi = client(ca, "gateway");
        TlsClient alice = client(ca, "alice");
        TlsClient mallory = client(ca, "mallory");
        InvoiceApi api = InvoiceApi.start(apiTls, policy());
        Gateway gateway = Gateway.start(gatewayTls, gatewayToApi, api.url())) {
      out.println("alice via the gateway:         " + get(alice, gateway.url().resolve("/invoices/7"), null));
      X509Certificate forged = ca.client("alice").certificate();            // anyone can copy a certificate
      out.println("mallory direct, forged header: " + get(mallory, api.url().resolve("/invoices/7"), forged));
    }
  }

  static TlsClient client(TestCa ca, String name) {
    return Mtls.client().identity(IdentitySource.of(ca.client(name))).trust(TrustSource.of(ca.certificate()))
        .build();
  }

  /**
   * Sends a GET, optionally with a {@code Client-Cert} header of the caller's choosing.
   *
   * @param client the caller's configuration
   * @param uri the URL
   * @param claimed a certificate to claim in {@code Client-Cert}, or null for none
   * @return the status and the body
   * @throws IOException if the call fails
   * @throws InterruptedException if interrupted while waiting
   * @throws CertificateEncodingException if the claimed certificate cannot be encoded
   */
  static String get(TlsClient client, URI uri, X509Certificate claimed)
      throws IOException, InterruptedException, CertificateEncodingException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (claimed != null) {
      request.header("Client-Cert", ":" + Base64.getEncoder().encodeToString(claimed.getEncoded()) + ":");
    }
    HttpResponse<String> response = JdkHttpClients.builder(client).build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
