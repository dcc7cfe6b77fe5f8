package dev.mtls.http;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * What {@link AccessControl} needs to know about one request, whatever the HTTP server: where the
 * client's certificate comes from (the TLS session, or the chain a servlet container reports),
 * the connection's source address, the headers, the method and the raw path. The HTTP adapters
 * make one per request; so can code for servers without an adapter.
 *
 * <pre>{@code
 * // the JDK's HttpsServer:
 * HttpRequestView request = HttpRequestView.of(exchange.getSSLSession(), exchange.getRemoteAddress(),
 *     exchange.getRequestHeaders()::get, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
 * // a servlet container that offers only the certificates:
 * HttpRequestView request = HttpRequestView.ofCertificates(chain, remote,
 *     name -> Collections.list(servletRequest.getHeaders(name)), servletRequest.getMethod(), rawPath);
 * }</pre>
 *
 * <p>The header lookup returns every field line of a header, in the order received, matching
 * the name case-insensitively as HTTP does; an empty list or null when there is none.
 */
public final class HttpRequestView {
  private final SSLSession session;
  private final List<X509Certificate> certificates;
  private final InetSocketAddress remoteAddress;
  private final Function<String, List<String>> headers;
  private final String method;
  private final String rawPath;

  private HttpRequestView(SSLSession session, List<X509Certificate> certificates, InetSocketAddress remoteAddress,
      Function<String, List<String>> headers, String method, String rawPath) {
    this.session = session;
    this.certificates = certificates;
    this.remoteAddress = remoteAddress;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.method = Objects.requireNonNull(method, "method");
    this.rawPath = Objects.requireNonNull(rawPath, "rawPath");
  }

  /**
   * A request on a TLS connection of the server configuration (or on a plain connection, from a
   * proxy trusted by its address).
   *
   * @param session the server-side TLS session the request arrived on, or null for a plain
   *     connection
   * @param remoteAddress the connection's source address, or null if unknown
   * @param headers every field line of a header by name
   * @param method the request method
   * @param rawPath the request path as received: percent-encoded, without query or fragment
   * @return the view
   */
  public static HttpRequestView of(SSLSession session, InetSocketAddress remoteAddress,
      Function<String, List<String>> headers, String method, String rawPath) {
    return new HttpRequestView(session, null, remoteAddress, headers, method, rawPath);
  }

  /**
   * A request whose server reports the client's certificate chain but not the TLS session, as
   * servlet containers do with the {@code jakarta.servlet.request.X509Certificate} attribute. The
   * chain is verified again with the server configuration's trust
   * ({@link dev.mtls.core.TlsServer#verifyClient(List)}), not taken on the container's word.
   *
   * @param chain the client's chain, its own certificate first; empty if it presented none
   * @param remoteAddress the connection's source address, or null if unknown
   * @param headers every field line of a header by name
   * @param method the request method
   * @param rawPath the request path as received: percent-encoded, without query or fragment
   * @return the view
   */
  public static HttpRequestView ofCertificates(List<X509Certificate> chain, InetSocketAddress remoteAddress,
      Function<String, List<String>> headers, String method, String rawPath) {
    return new HttpRequestView(null, List.copyOf(Objects.requireNonNull(chain, "chain")), remoteAddress, headers,
        method, rawPath);
  }

  SSLSession session() {
    return session;
  }

  /** The reported chain, or null if the certificate comes from the session. */
  List<X509Certificate> certificates() {
    return certificates;
  }

  InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  Function<String, List<String>> headers() {
    return headers;
  }

  String method() {
    return method;
  }

  String rawPath() {
    return rawPath;
  }

  /** Returns the method and the raw path, for debugging. */
  @Override
  public String toString() {
    return "HttpRequestView[" + method + " " + rawPath + " from " + remoteAddress + "]";
  }
}
