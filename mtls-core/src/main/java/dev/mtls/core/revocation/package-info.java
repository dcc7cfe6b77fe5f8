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
 * decision for the whole JVM. Clients configured here use a staple whenever a server sends one
 * (JSSE clients request them by default), and fall back to the other sources otherwise.
 */
package dev.mtls.core.revocation;
