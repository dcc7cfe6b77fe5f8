package dev.mtls.examples.spiffe;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMapper;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.AccessControl;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.http.jetty.AccessControlHandler;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.http.policy.AccessPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * One workload of a SPIFFE trust domain: it serves its API over mTLS with Jetty and calls other
 * workloads with the JDK's {@code HttpClient}, presenting the same X.509 SVID both ways. Peers
 * are known by their SPIFFE IDs ({@code spiffe:spiffe://example.org/ns/shop/orders} as policy
 * principals); a certificate without a SPIFFE ID of the trust domain names nobody.
 */
public final class Workload implements AutoCloseable {
  /** The trust domain of this example's workloads. */
  public static final String TRUST_DOMAIN = "example.org";

  private final String name;
  private final TlsServer serverTls;
  private final TlsClient clientTls;
  private final HttpClient http;
  private final Server jetty;
  private final ServerConnector connector;

  private Workload(String name, TlsServer serverTls, TlsClient clientTls, Server jetty, ServerConnector connector) {
    this.name = name;
    this.serverTls = serverTls;
    this.clientTls = clientTls;
    this.http = JdkHttpClients.builder(clientTls).connectTimeout(Duration.ofSeconds(10)).build();
    this.jetty = jetty;
    this.connector = connector;
  }

  /**
   * A response, and the SPIFFE ID of the workload that gave it.
   *
   * @param status the HTTP status code
   * @param body the body
   * @param server the server's principal, {@code spiffe:spiffe://...}
   */
  public record Reply(int status, String body, String server) {}

  /**
   * Starts a workload on a free loopback port.
   *
   * @param name a short name for its answers, such as {@code billing}
   * @param svid the workload's certificate and key (from the SPIFFE Workload API, or files)
   * @param bundle the trust domain's CA certificates
   * @param policy which callers may make which requests
   * @return the running workload; close it to stop it
   * @throws Exception if Jetty cannot start
   */
  public static Workload start(String name, IdentitySource svid, TrustSource bundle, AccessPolicy policy)
      throws Exception {
    PrincipalMapper spiffeIds = PrincipalMappers.spiffe(TRUST_DOMAIN);  // peer -> spiffe:spiffe://example.org/..
    TlsServer serverTls = Mtls.server().identity(svid).trust(bundle)
        .principals(spiffeIds)
        .admitUnmappedClients()        // a caller without an ID of the trust domain: 403, not an alert
        .build();
    // Clients map the server too: a server without a SPIFFE ID of the trust domain fails the handshake.
    TlsClient clientTls = Mtls.client().identity(svid).trust(bundle).principals(spiffeIds).build();

    Server jetty = new Server();
    ServerConnector https = JettyServerConnectors.builder(jetty, serverTls).host("127.0.0.1").build();
    jetty.addConnector(https);
    AccessControl access = AccessControl.builder(serverTls).policy(policy).build();
    jetty.setHandler(new AccessControlHandler(access, new Api(name)));
    jetty.setStopTimeout(0);
    jetty.start();
    return new Workload(name, serverTls, clientTls, jetty, https);
  }

  /**
   * Returns this workload's base URL, by the name {@code localhost}.
   *
   * @return the URL, such as {@code https://localhost:8443}
   */
  public URI url() {
    return URI.create("https://localhost:" + connector.getLocalPort());
  }

  /**
   * Calls another workload with this workload's SVID.
   *
   * @param target the other workload's base URL
   * @param method the request method
   * @param path the request path
   * @return the response and the server's SPIFFE ID
   * @throws IOException if the call fails, for instance because the server has no SPIFFE ID of
   *     the trust domain
   * @throws InterruptedException if interrupted while waiting
   */
  public Reply call(URI target, String method, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(target.resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    MtlsPrincipal server = clientTls.principal(response.sslSession().orElseThrow());
    return new Reply(response.statusCode(), response.body(), server.getName());
  }

  /** Stops Jetty and closes both configurations. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {                          // Jetty's stop() throws Exception
      throw new IllegalStateException("Jetty of " + name + " did not stop", e);
    } finally {
      serverTls.close();
      clientTls.close();
    }
  }

  /** The workload's API: answers {@code NAME: hello CALLER METHOD PATH} to allowed requests. */
  private static final class Api extends Handler.Abstract {
    private final String name;

    Api(String name) {
      this.name = name;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      MtlsPrincipal caller = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      String body = name + ": hello " + caller.getName() + " " + request.getMethod() + " "
          + request.getHttpURI().getPath();
      Content.Sink.write(response, true, body, callback);
      return true;
    }
  }
}
