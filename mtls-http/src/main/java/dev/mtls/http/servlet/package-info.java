/**
 * mtls for Jakarta Servlet 6 containers: {@link dev.mtls.http.servlet.AccessControlFilter} decides
 * each request with {@link dev.mtls.http.AccessControl} and makes the client's principal the
 * request's user ({@code getUserPrincipal()}, {@code getRemoteUser()}, {@code isUserInRole(..)},
 * auth type {@code CLIENT_CERT}).
 *
 * <p>The filter needs the connection's TLS session, which Jetty 12 exposes to servlets; see the
 * filter for other containers. The servlet API is a {@code provided} dependency: the container
 * brings it.
 */
package dev.mtls.http.servlet;
