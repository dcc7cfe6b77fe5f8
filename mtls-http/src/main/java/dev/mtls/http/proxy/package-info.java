/**
 * Client certificates forwarded by TLS-terminating proxies.
 *
 * <p>When a reverse proxy such as Envoy, NGINX or a cloud load balancer terminates the client's
 * TLS connection, the server behind it sees the proxy, not the client. Proxies pass the client's
 * certificate on in a header: RFC 9440's {@code Client-Cert} and {@code Client-Cert-Chain}, or
 * Envoy's {@code x-forwarded-client-cert}. Any client can send such a header too, so it means
 * something only on a connection from a proxy the server trusts, and even then only after the
 * certificate in it has been verified again: a misconfigured or compromised proxy must not be
 * able to name any principal it likes.
 *
 * <p>{@link dev.mtls.http.proxy.ForwardedCertificates} names the trusted proxies (by their own
 * mTLS principal and/or address) and the format, and parses headers strictly.
 * {@link dev.mtls.http.AccessControl} uses it, off by default: it verifies the forwarded chain
 * with the server configuration's current trust and decides the request on the forwarded
 * client's principal, and tells the HTTP adapters which headers to remove from requests that do
 * not come from a trusted proxy.
 */
package dev.mtls.http.proxy;
