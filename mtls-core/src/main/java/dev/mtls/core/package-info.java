/**
 * Mutual TLS configurations: {@code SSLContext}s for mTLS servers and clients with secure
 * defaults, and what they report.
 *
 * <p>Start from {@link dev.mtls.core.Mtls#server()} or {@link dev.mtls.core.Mtls#client()}: a
 * builder takes the identity ({@link dev.mtls.core.IdentitySource}: PEM files, PKCS#12, key
 * stores, held keys), the trust ({@link dev.mtls.core.TrustSource}: the CAs the peer's
 * certificate must chain to), and options (protocols, cipher suites, pins, a principal mapper,
 * revocation, rotation, listeners). The result, a {@link dev.mtls.core.TlsServer} or
 * {@link dev.mtls.core.TlsClient}, is plain JSSE: hand its {@code sslContext()} <em>and</em>
 * {@code sslParameters()} to any server or client (protocols, suites, client authentication and
 * endpoint identification live on the parameters, and forgetting them is the most common mTLS
 * bug), or use the adapters of {@code mtls-http}.
 *
 * <p>Defaults: TLS 1.3 and 1.2 with AEAD, forward-secret suites; servers require a client
 * certificate; peers are verified strictly by {@link dev.mtls.core.verify.PeerVerifier} with a
 * typed reason for every refusal; clients check the server's host name against subject
 * alternative names only; session resumption is bounded (see
 * {@link dev.mtls.core.ResumptionPolicy}).
 *
 * <p>What a configuration reports goes to {@link dev.mtls.core.MtlsListener}s as
 * {@link dev.mtls.core.MtlsEvent}s: one {@link dev.mtls.core.HandshakeEvent} per handshake
 * outcome (including failures that never reach a trust manager), {@link dev.mtls.core.ReloadEvent}
 * and {@link dev.mtls.core.ExpiryEvent} for rotation, and {@link dev.mtls.core.AccessEvent}s that
 * HTTP adapters publish. The default listener writes one SLF4J line per event with stable
 * {@code key=value} fields. Events are delivered on a thread of the configuration, never on the
 * handshake's, and a slow or failing listener cannot stall a handshake.
 *
 * <p>Identity and trust can be reloaded underneath the same {@code SSLContext}
 * ({@link dev.mtls.core.ReloadPolicy}: on demand, by watching files, or by polling); new material
 * is validated before it is used, and material that fails keeps the old in service. A
 * configuration that runs threads (events, file watching, revocation refresh) is
 * {@link java.lang.AutoCloseable}: one {@code close()} stops them all.
 */
package dev.mtls.core;
