package dev.mtls.examples.gateway;

import dev.mtls.core.TlsServer;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.AccessControl;
import dev.mtls.http.jetty.AccessControlHandler;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.proxy.ForwardedCertificates;
import java.net.URI;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The API behind the gateway (Jetty 12). Requests on the gateway's own mTLS connections are
 * decided on the client certificate the gateway forwards in {@code Client-Cert}, verified again
 * against this server's trust; requests from anyone else are decided on their own certificate,
 * and a {@code Client-Cert} header they send is ignored and removed.
 */
public final class InvoiceApi implements AutoCloseable {
  private final Server jetty;
  private final ServerConnector connector;

  private InvoiceApi(Server jetty, ServerConnector connector) {
    this.jetty = jetty;
    this.connector = connector;
  }

  /**
   * Starts the API on a free loopback port.
   *
   * @param tls the server configuration, with a principal mapper that names the gateway
   *     {@code cn:gateway} (the subject's common name, for instance)
   * @param policy which clients may make which requests
   * @return the running API
   * @throws Exception if Jetty cannot start
   */
  public static InvoiceApi start(TlsServer tls, AccessPolicy policy) throws Exception {
    // Only the gateway's own mTLS identity may forward a client's certificate. With an address
    // too (.trustedProxyAddresses("10.0.0.0/8")), a connection must match both.
    ForwardedCertificates forwarded = ForwardedCertificates.builder(ForwardedCertificates.Format.RFC_9440)
        .trustedProxies("cn:gateway")
        .build();
    AccessControl access = AccessControl.builder(tls).policy(policy).forwardedCertificates(forwarded).build();

    Server jetty = new Server();
    ServerConnector https = JettyServerConnectors.builder(jetty, tls).host("127.0.0.1").build();
    jetty.addConnector(https);
    jetty.setHandler(new AccessControlHandler(access, new Application()));
    jetty.setStopTimeout(0);
    jetty.start();
    return new InvoiceApi(jetty, https);
  }

  /**
   * Returns the API's base URL, by the name {@code localhost}.
   *
   * @return the URL
   */
  public URI url() {
    return URI.create("https://localhost:" + connector.getLocalPort());
  }

  /** Stops Jetty. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {                          // Jetty's stop() throws Exception
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /**
   * The application: answers {@code hello PRINCIPAL PATH}, and says whether a {@code Client-Cert}
   * header reached it (only ever on a request the gateway forwarded).
   */
  private static final class Application extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      // The client's principal: from the forwarded certificate behind the gateway, else the
      // connection's own.
      MtlsPrincipal client = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      boolean header = request.getHeaders().contains("Client-Cert");
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, "hello " + client.getName() + " " + request.getHttpURI().getPath()
          + (header ? " (forwarded)" : ""), callback);
      return true;
    }
  }
}
