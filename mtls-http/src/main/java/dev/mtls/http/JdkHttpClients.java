package dev.mtls.http;

import dev.mtls.core.TlsClient;
import java.net.http.HttpClient;
import java.util.Objects;

/**
 * The JDK's {@link HttpClient} with an mtls client configuration.
 *
 * <pre>{@code
 * try (TlsClient tls = Mtls.client()
 *     .identity(IdentitySource.pemFiles(Path.of("client.crt"), Path.of("client.key")))
 *     .trust(TrustSource.pemFile(Path.of("servers-ca.pem")))
 *     .build()) {
 *   HttpClient http = JdkHttpClients.builder(tls).connectTimeout(Duration.ofSeconds(5)).build();
 *   HttpResponse<String> response = http.send(
 *       HttpRequest.newBuilder(URI.create("https://api.internal:8443/invoices")).build(),
 *       HttpResponse.BodyHandlers.ofString());
 * }
 * }</pre>
 *
 * <p>The client presents the configuration's identity and verifies the server with mtls's
 * verifier: the chain against the configuration's trust anchors, then the host name of the
 * request's URI against the certificate's subject alternative names only (RFC 6125; the JDK
 * alone would also accept a certificate whose only name is its common name). Both the context and
 * the parameters are set, because protocols, cipher suites and endpoint identification live on
 * {@code SSLParameters}, and a client given only the context would fall back to the JDK's.
 *
 * <p>The {@code HttpClient} takes its context once, when built. Rotation still reaches it: the
 * configuration reloads identity and trust underneath the same context object. Closing the
 * configuration stops its threads but leaves the context usable, with the material last loaded.
 * The JDK 17 {@code HttpClient} cannot be closed; its threads end when it is no longer reachable.
 */
public final class JdkHttpClients {
  private JdkHttpClients() {}

  /**
   * Returns a new builder with the configuration's context and parameters set. Anything else
   * (timeouts, redirects, HTTP version, executor) is the JDK's default until set.
   *
   * @param client the mtls client configuration
   * @return a builder to finish and {@code build()}
   */
  public static HttpClient.Builder builder(TlsClient client) {
    Objects.requireNonNull(client, "client");
    return HttpClient.newBuilder()
        .sslContext(client.sslContext())
        .sslParameters(client.sslParameters());
  }
}
