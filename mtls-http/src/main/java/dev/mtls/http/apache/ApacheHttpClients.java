package dev.mtls.http.apache;

import dev.mtls.core.TlsClient;
import java.util.Objects;
import javax.net.ssl.SSLParameters;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;

/**
 * Apache HttpClient 5 (classic and async) with an mtls client configuration.
 *
 * <pre>{@code
 * try (TlsClient tls = Mtls.client()
 *     .identity(IdentitySource.pemFiles(Path.of("client.crt"), Path.of("client.key")))
 *     .trust(TrustSource.pemFile(Path.of("servers-ca.pem")))
 *     .build();
 *     CloseableHttpClient http = ApacheHttpClients.classic(tls).build()) {
 *   String body = http.execute(new HttpGet("https://api.internal:8443/invoices"),
 *       response -> EntityUtils.toString(response.getEntity()));
 * }
 * }</pre>
 *
 * <p>Both clients reach TLS through a {@linkplain #tlsStrategy TLS strategy}, which this class
 * builds from the configuration:
 * <ul>
 *   <li>The configuration's context, so the client presents its identity and mtls's trust
 *       manager verifies the server: the chain against the configuration's trust anchors, then
 *       the host the client connected to against the certificate's subject alternative names
 *       only (RFC 6125). Apache's {@code DefaultHostnameVerifier} and the JDK's {@code HTTPS}
 *       endpoint identification would both accept a certificate whose only name is its common
 *       name; mtls does not.
 *   <li>The configuration's protocols and cipher suites, passed explicitly: given none, Apache
 *       filters the engine's own with lists of its own.
 *   <li>Host name verification policy {@code BOTH}, with mtls's subject-alternative-name check
 *       as the verifier Apache runs after the handshake. The trust manager's check does not
 *       depend on Apache's policy at all (HttpClient 5.4 to 5.6.3 ignored the built-in policy on
 *       the async client, so with a plain JSSE trust manager no name was checked); the second
 *       check makes sure the name Apache connected to is the one verified, whatever version of
 *       HttpClient is on the class path (5.4 or later: the policy appeared in 5.4).
 * </ul>
 *
 * <p>Everything else (pool sizes, timeouts, proxies, HTTP version) is Apache's default until set.
 * The {@code classic} and {@code async} builders come with a connection manager already built
 * from default pool settings; to size the pool, start from {@link #classicConnectionManager} or
 * {@link #asyncConnectionManager} instead, and give the result to
 * {@code HttpClients.custom().setConnectionManager(..)} (or {@code HttpAsyncClients}):
 *
 * <pre>{@code
 * CloseableHttpAsyncClient http = HttpAsyncClients.custom()
 *     .setConnectionManager(ApacheHttpClients.asyncConnectionManager(tls).setMaxConnPerRoute(20).build())
 *     .build();
 * http.start();
 * }</pre>
 *
 * <p>Protocols or cipher suites set in an Apache {@code TlsConfig} replace the configuration's on
 * the async client: leave them unset. The async client negotiates HTTP/2 by ALPN where the server
 * offers it; the configuration's protocols and suites hold for both versions.
 *
 * <p>The clients take the context once, when built. Rotation still reaches them: the
 * configuration reloads identity and trust underneath the same context object, and new
 * connections use the new material (pooled connections stay as they were made). Closing the
 * configuration stops its threads but leaves the context usable, with the material last loaded;
 * close the Apache client yourself.
 */
public final class ApacheHttpClients {
  private ApacheHttpClients() {}

  /**
   * Returns a TLS strategy with the configuration's context, protocols and cipher suites, and
   * mtls's host name check. It serves both kinds of connection manager: classic
   * ({@code setTlsSocketStrategy}) and async ({@code setTlsStrategy}).
   *
   * @param client the mtls client configuration
   * @return the strategy
   */
  public static DefaultClientTlsStrategy tlsStrategy(TlsClient client) {
    Objects.requireNonNull(client, "client");
    SSLParameters parameters = client.sslParameters();
    return new DefaultClientTlsStrategy(client.sslContext(), parameters.getProtocols(),
        parameters.getCipherSuites(), SSLBufferMode.STATIC, HostnameVerificationPolicy.BOTH,
        new SubjectAltNameVerifier(client));
  }

  /**
   * Returns a classic connection manager builder with the configuration's TLS strategy set.
   * Set pool and socket options on it, build it and give it to
   * {@code HttpClients.custom().setConnectionManager(..)}.
   *
   * @param client the mtls client configuration
   * @return a builder to finish and {@code build()}
   */
  public static PoolingHttpClientConnectionManagerBuilder classicConnectionManager(TlsClient client) {
    return PoolingHttpClientConnectionManagerBuilder.create().setTlsSocketStrategy(tlsStrategy(client));
  }

  /**
   * Returns a classic client builder whose connection manager (Apache's default pool settings)
   * uses the configuration. Setting another connection manager on it drops the configuration.
   *
   * @param client the mtls client configuration
   * @return a builder to finish and {@code build()}
   */
  public static HttpClientBuilder classic(TlsClient client) {
    return HttpClients.custom().setConnectionManager(classicConnectionManager(client).build());
  }

  /**
   * Returns an async connection manager builder with the configuration's TLS strategy set. Set
   * pool options on it, build it and give it to
   * {@code HttpAsyncClients.custom().setConnectionManager(..)}.
   *
   * @param client the mtls client configuration
   * @return a builder to finish and {@code build()}
   */
  public static PoolingAsyncClientConnectionManagerBuilder asyncConnectionManager(TlsClient client) {
    return PoolingAsyncClientConnectionManagerBuilder.create().setTlsStrategy(tlsStrategy(client));
  }

  /**
   * Returns an async client builder whose connection manager (Apache's default pool settings)
   * uses the configuration. Setting another connection manager on it drops the configuration.
   * Start the built client before use.
   *
   * @param client the mtls client configuration
   * @return a builder to finish and {@code build()}
   */
  public static HttpAsyncClientBuilder async(TlsClient client) {
    return HttpAsyncClients.custom().setConnectionManager(asyncConnectionManager(client).build());
  }
}
