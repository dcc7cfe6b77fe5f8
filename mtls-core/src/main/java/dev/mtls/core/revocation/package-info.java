/**
 * Revocation checking: whether the certificates of a verified path have been revoked, from
 * stapled OCSP responses, OCSP responders and CRLs, with soft or hard failure, timeouts, a
 * per-handshake deadline and caching. Configure it with {@code TlsBuilder.revocation(..)} and a
 * {@link dev.mtls.core.revocation.RevocationPolicy}; nothing here touches
 * {@code java.security.Security} or system properties.
 *
 * <h2>What JSSE allows</h2>
 * JSSE staples OCSP responses for a server's own certificate only when the JVM-wide system
 * property {@code jdk.tls.server.enableStatusRequestExtension} is true, and it cannot staple
 * client certificates at all. mtls never sets the property: stapling by your servers is a
 * decision for the whole JVM. Clients configured here use a staple whenever a server sends one,
 * and fall back to the other sources otherwise. JSSE clients request staples by default, over
 * TLS 1.2 and 1.3 (the system property {@code jdk.tls.client.enableStatusRequestExtension}
 * defaults to true on JDK 17 and later). If your JVM sets it to false, clients do not ask, servers
 * send no staples and {@link dev.mtls.core.revocation.RevocationPolicy.Source#STAPLED_OCSP} never
 * answers: list another source after it.
 */
package dev.mtls.core.revocation;
