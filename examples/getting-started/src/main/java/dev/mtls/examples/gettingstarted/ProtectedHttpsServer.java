package dev.mtls.examples.gettingstarted;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.TlsServer;
import dev.mtls.http.AccessControl;
import dev.mtls.http.policy.AccessDecision;
import dev.mtls.http.policy.ReloadingAccessPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The JDK's HTTPS server behind mutual TLS and a policy file that it follows while it runs. */
public final class ProtectedHttpsServer implements AutoCloseable {
  private final HttpsServer server;
  private final ReloadingAccessPolicy policy;

  private ProtectedHttpsServer(HttpsServer server, ReloadingAccessPolicy policy) {
    this.server = server;
    this.policy = policy;
  }

  /**
   * Starts a server on loopback that decides every request with a policy file.
   *
   * @param tls the server configuration, with a principal mapper; decisions go to its listeners
   * @param policyFile the rules, read again whenever the file changes
   * @return the running server; close it to stop the server and the policy's watcher
   * @throws IOException if the server cannot listen
   */
  public static ProtectedHttpsServer start(TlsServer tls, Path policyFile) throws IOException {
    ReloadingAccessPolicy policy = ReloadingAccessPolicy.watch(policyFile);  // a bad file fails here
    AccessControl access = AccessControl.builder(tls).policy(policy).build();
    HttpsServer server;
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      policy.close();                                                          // stops its watcher thread
      throw e;
    }
    server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(tls.sslParameters());                        // client auth lives here
      }
    });
    server.createContext("/", exchange -> {
      AccessDecision decision = access.check(((HttpsExchange) exchange).getSSLSession(),
          exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()); // the raw, encoded path
      String body = decision.allowed() ? "hello from " + decision.path()
          : decision.clientMessage();                                          // never decision.reason()
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(decision.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return new ProtectedHttpsServer(server, policy);
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops the server and the policy's watcher. */
  @Override
  public void close() {
    server.stop(0);
    policy.close();
  }
}
