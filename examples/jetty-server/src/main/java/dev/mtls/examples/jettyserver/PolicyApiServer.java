package dev.mtls.examples.jettyserver;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.AccessControl;
import dev.mtls.http.jetty.AccessControlHandler;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.http.policy.ReloadingAccessPolicy;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 HTTPS API behind mutual TLS: every request is decided by a policy file on the
 * client certificate's common name, and every decision is written to the audit log (logger
 * {@code dev.mtls.events}, see {@code logback.xml}).
 *
 * <pre>
 * PolicyApiServer PORT SERVER_CERT SERVER_KEY CLIENT_CA POLICY_FILE   (serves until stopped)
 * PolicyApiServer                      (no arguments: a throwaway demo, see {@link Demo})
 * </pre>
 */
public final class PolicyApiServer implements AutoCloseable {
  private final Server jetty;
  private final ServerConnector connector;
  private final ReloadingAccessPolicy policy;

  private PolicyApiServer(Server jetty, ServerConnector connector, ReloadingAccessPolicy policy) {
    this.jetty = jetty;
    this.connector = connector;
    this.policy = policy;
  }

  /**
   * Starts the API.
   *
   * @param tls the server configuration, with a principal mapper; decisions go to its listeners
   * @param policyFile the access rules, read again whenever the file changes
   * @param host the address to listen on, such as {@code 127.0.0.1} or {@code 0.0.0.0}
   * @param port the port, or 0 for a free one
   * @return the running server; close it to stop Jetty and the policy's file watcher
   * @throws Exception if the policy file is invalid or Jetty cannot start
   */
  public static PolicyApiServer start(TlsServer tls, Path policyFile, String host, int port) throws Exception {
    ReloadingAccessPolicy policy = ReloadingAccessPolicy.watch(policyFile);   // a bad file fails here
    AccessControl access = AccessControl.builder(tls).policy(policy).build();

    Server jetty = new Server();
    // The connector speaks TLS exactly as the configuration says: its protocols and cipher
    // suites, client certificates required, none of Jetty's own exclude lists or SNI checks.
    ServerConnector https = JettyServerConnectors.builder(jetty, tls).host(host).port(port).build();
    jetty.addConnector(https);
    // The application only sees requests the policy allows; the others get 401/403/400.
    jetty.setHandler(new AccessControlHandler(access, new InvoiceApi()));
    jetty.setStopTimeout(0);
    try {
      jetty.start();
    } catch (Exception e) {
      policy.close();
      throw e;
    }
    return new PolicyApiServer(jetty, https, policy);
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops Jetty and the policy's file watcher. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {                                 // Jetty's stop() throws Exception
      throw new IllegalStateException("Jetty did not stop", e);
    } finally {
      policy.close();
    }
  }

  /**
   * Serves until the process is stopped, or runs the demo.
   *
   * @param args the port, the server's PEM certificate chain and key, the PEM file of the CA that
   *     signs clients and the policy file; or nothing, for the demo
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      Demo.run(System.out);
      return;
    }
    if (args.length != 5) {
      System.err.println("usage: PolicyApiServer PORT SERVER_CERT SERVER_KEY CLIENT_CA POLICY_FILE");
      System.exit(2);
    }
    TlsServer tls = Mtls.server()
        .identity(IdentitySource.pemFiles(Path.of(args[1]), Path.of(args[2])))
        .trust(TrustSource.pemFile(Path.of(args[3])))       // the CA that signs clients
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))  // cn:billing
        .build();                                            // client certificates REQUIRED
    PolicyApiServer server = start(tls, Path.of(args[4]), "0.0.0.0", Integer.parseInt(args[0]));
    System.out.println("listening on port " + server.port() + "; policy " + args[4]);
    server.jetty.join();
  }

  /** The application: answers {@code hello PRINCIPAL PATH}. It never sees a refused request. */
  static final class InvoiceApi extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      MtlsPrincipal who = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, "hello " + who.getName() + " " + request.getHttpURI().getPath(), callback);
      return true;
    }
  }
}
