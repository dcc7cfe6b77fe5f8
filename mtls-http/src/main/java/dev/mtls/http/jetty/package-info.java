/**
 * mtls for Jetty 12: HTTPS connectors, per-request access control and an HTTP client, each
 * applying an mtls configuration exactly.
 *
 * <p>Jetty's TLS factory has settings of its own that it applies even to a supplied
 * {@code SSLContext}: exclude lists for protocols and cipher suites, client-authentication flags,
 * an SNI requirement, an SNI host check on requests and, on the client, a host-name verifier.
 * Left alone, they quietly change what the mtls configuration says. The classes here set each of
 * them so that the configuration decides:
 *
 * <ul>
 *   <li>{@link dev.mtls.http.jetty.JettyServerConnectors}: a {@code ServerConnector} for HTTP/1.1,
 *       and HTTP/2 with ALPN when Jetty's HTTP/2 server is on the class path;
 *   <li>{@link dev.mtls.http.jetty.AccessControlHandler}: a core {@code Handler} that decides each
 *       request with {@link dev.mtls.http.AccessControl} and hands the client's principal to the
 *       application;
 *   <li>{@link dev.mtls.http.jetty.JettyHttpClients}: Jetty's {@code HttpClient} that presents the
 *       configuration's identity and verifies servers with mtls's verifier, host name included.
 * </ul>
 *
 * <p>For Jetty's servlet environment (ee10) see {@link dev.mtls.http.servlet}. Jetty is an
 * optional dependency of this module: add {@code jetty-server} (and for HTTP/2
 * {@code jetty-http2-server} and {@code jetty-alpn-java-server}), or {@code jetty-client}.
 */
package dev.mtls.http.jetty;
