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
 * <p>Nothing in this package needs a framework. Adapters for Jetty and Apache HttpClient, whose
 * dependencies are optional, will live in packages of their own.
 */
package dev.mtls.http;
