package dev.mtls.examples.apacheclient;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A small mTLS HTTPS API on loopback (the JDK's {@code HttpsServer}) that answers
 * {@code hello PRINCIPAL}, so that the client example has something to call.
 */
public final class LocalApi implements AutoCloseable {
  private final TlsServer tls;
  private final HttpsServer server;

  private LocalApi(TlsServer tls, HttpsServer server) {
    this.tls = tls;
    this.server = server;
  }

  /**
   * Starts the API on a free loopback port.
   *
   * @param tls the server configuration, with a principal mapper
   * @return the running API; close it to stop it
   * @throws IOException if it cannot listen
   */
  public static LocalApi start(TlsServer tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(tls.sslParameters());       // client auth REQUIRED lives here
      }
    });
    server.createContext("/", exchange -> {
      String who = tls.principal(((HttpsExchange) exchange).getSSLSession()).getName();
      byte[] body = ("hello " + who).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return new LocalApi(tls, server);
  }

  /**
   * Returns the API's URL for a path, by the name {@code localhost}.
   *
   * @param path a path starting with {@code /}
   * @return the URL
   */
  public String url(String path) {
    return "https://localhost:" + server.getAddress().getPort() + path;
  }

  /** Stops the server and closes its configuration. */
  @Override
  public void close() {
    server.stop(0);
    tls.close();
  }

  /**
   * Makes a throwaway CA with the test kit, writes a client identity and the CA as PEM files
   * ({@code client.crt}, {@code client.key}, {@code ca.pem}) to a directory, and starts the API
   * with a server certificate for {@code localhost} from the same CA.
   *
   * @param dir an existing directory
   * @return the running API
   * @throws IOException if the server cannot listen
   */
  public static LocalApi startWithTestCa(Path dir) throws IOException {
    TestCa ca = TestCa.create();
    TestFiles.writePem(dir, "client", ca.client("example-client"));
    TestFiles.writeCertificates(dir, "ca.pem", ca.certificate());
    return start(Mtls.server()
        .identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))  // cn:NAME
        .build());
  }
}
