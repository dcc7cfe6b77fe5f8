package dev.mtls.examples.gateway;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.http.JdkHttpClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A tiny TLS-terminating gateway (the JDK's {@code HttpsServer} and {@code HttpClient}) standing in
 * for Envoy, nginx or a cloud load balancer: it requires a client certificate, then forwards the
 * request to the API over its own mTLS connection, passing the client's certificate on in RFC 9440
 * headers. What a client sent in those headers is never passed on.
 *
 * <pre>
 * Client-Cert: :MIIB...:                 the client's certificate, base64 DER between colons
 * Client-Cert-Chain: :MIIC...:, :MIID...:  the intermediates the client sent, if any
 * </pre>
 */
public final class Gateway implements AutoCloseable {
  private final HttpsServer server;

  private Gateway(HttpsServer server) {
    this.server = server;
  }

  /**
   * Starts the gateway on a free loopback port.
   *
   * @param front the configuration clients connect to: client certificates required
   * @param toApi the configuration the gateway calls the API with: the gateway's own identity
   * @param api the API's base URL
   * @return the running gateway
   * @throws IOException if it cannot listen
   */
  public static Gateway start(TlsServer front, TlsClient toApi, URI api) throws IOException {
    HttpClient http = JdkHttpClients.builder(toApi).build();
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(front.sslContext()) {
      @Override
      public void configure(HttpsParameters params) {
        params.setSSLParameters(front.sslParameters());     // client certificates REQUIRED
      }
    });
    server.createContext("/", exchange -> forward((HttpsExchange) exchange, http, api));
    server.start();
    return new Gateway(server);
  }

  private static void forward(HttpsExchange exchange, HttpClient http, URI api) throws IOException {
    int status;
    byte[] body;
    try {
      HttpResponse<byte[]> response = http.send(toApi(exchange, api), HttpResponse.BodyHandlers.ofByteArray());
      status = response.statusCode();
      body = response.body();
    } catch (IOException | CertificateEncodingException e) {
      status = 502;
      body = "bad gateway".getBytes(StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 503;
      body = "shutting down".getBytes(StandardCharsets.UTF_8);
    }
    try (exchange) {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** The request to the API: method, path, query and body as received, and the client's certificates. */
  private static HttpRequest toApi(HttpsExchange exchange, URI api)
      throws IOException, CertificateEncodingException {
    Certificate[] chain = exchange.getSSLSession().getPeerCertificates();   // verified in the handshake
    URI received = exchange.getRequestURI();
    URI target = URI.create(api + received.getRawPath() + (received.getRawQuery() != null
        ? "?" + received.getRawQuery() : ""));
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(target)
        .method(exchange.getRequestMethod(), body.length == 0
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        // Only headers the gateway sets itself: a Client-Cert the client sent is not passed on.
        .header("Client-Cert", byteSequence(chain[0]));
    List<String> intermediates = new ArrayList<>();
    for (int i = 1; i < chain.length; i++) {
      intermediates.add(byteSequence(chain[i]));
    }
    if (!intermediates.isEmpty()) {
      request.header("Client-Cert-Chain", String.join(", ", intermediates));
    }
    return request.build();
  }

  /** An RFC 8941 byte sequence: the certificate's DER in base64, between colons. */
  private static String byteSequence(Certificate certificate) throws CertificateEncodingException {
    return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
  }

  /**
   * Returns the gateway's base URL, by the name {@code localhost}.
   *
   * @return the URL
   */
  public URI url() {
    return URI.create("https://localhost:" + server.getAddress().getPort());
  }

  /** Stops the gateway. */
  @Override
  public void close() {
    server.stop(0);
  }
}
