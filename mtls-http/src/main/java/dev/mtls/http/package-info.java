/**
 * mtls for HTTP: client adapters that apply an mtls configuration to an HTTP client, and access
 * control for HTTP servers on top of mutual TLS.
 *
 * <p>An mTLS configuration produces plain JSSE objects, and any HTTP stack can use them; what goes
 * wrong in practice is that a stack is given the {@code SSLContext} but not the
 * {@code SSLParameters} (protocols, cipher suites, client authentication and endpoint
 * identification live on the parameters), or that host names are checked by the stack's own
 * rules rather than the configuration's. The adapters here apply both. For the JDK's
 * {@code java.net.http.HttpClient}: {@link dev.mtls.http.JdkHttpClients}.
 *
 * <p>On the server side, the TLS handshake establishes who the client is; what it may do is
 * decided per request by {@link dev.mtls.http.AccessControl} with an access policy from
 * {@link dev.mtls.http.policy}, and every decision is reported to the configuration's listeners
 * as an audit event.
 *
 * <p>Behind a TLS-terminating proxy, {@link dev.mtls.http.proxy} takes the client's certificate
 * from the proxy's header (RFC 9440 or Envoy's), from trusted proxies only, and verifies it again.
 *
 * <p>Nothing in this package needs a framework. The adapters whose dependencies are optional (the
 * user brings the framework) live in packages of their own: {@link dev.mtls.http.jetty} (Jetty 12
 * server connectors, access-control handler and client), {@link dev.mtls.http.servlet} (a Jakarta
 * Servlet 6 filter) and {@link dev.mtls.http.apache} (Apache HttpClient 5, classic and async).
 */
package dev.mtls.http;
