package dev.mtls.core;

import dev.mtls.core.verify.PeerVerificationException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * An immutable mTLS server configuration. Build one with {@link Mtls#server()}.
 *
 * <pre>{@code
 * TlsServer server = Mtls.server()
 *     .identity(IdentitySource.pemFiles(Path.of("server.crt"), Path.of("server.key")))
 *     .trust(TrustSource.pemFile(Path.of("clients-ca.pem")))
 *     .build();
 * SSLServerSocket listener = (SSLServerSocket) server.serverSocketFactory().createServerSocket(8443);
 * }</pre>
 */
public final class TlsServer extends TlsConfiguration {
  private final ClientChainCache clientChains;

  TlsServer(TlsBuilder.Parts parts) {
    super(parts);
    this.clientChains = parts.principals() == null ? null
        : new ClientChainCache(parts.trustManager(), parts.principals(), parts.context(), parts.clock());
  }

  /**
   * Returns a server socket factory whose server sockets require (or request) client
   * certificates and use this configuration's protocols and suites.
   *
   * @return the factory
   */
  public SSLServerSocketFactory serverSocketFactory() {
    return sslContext().getServerSocketFactory();
  }

  /**
   * Creates a server-mode engine with this configuration's parameters.
   *
   * @return the engine, in server mode
   */
  @Override
  public javax.net.ssl.SSLEngine newEngine() {
    javax.net.ssl.SSLEngine engine = super.newEngine();
    engine.setUseClientMode(false);
    ConfiguredSslContext.apply(sslParameters(), engine);
    return engine;
  }

  /**
   * Verifies a client's certificate chain that arrived outside a handshake of this configuration,
   * exactly as a handshake would, and names its principal with the configured
   * {@link TlsBuilder#principals principal mapper}. This is for chains a TLS-terminating proxy
   * forwarded in a header, and for servlet containers that report the client's chain but not
   * their TLS session: the proxy's or the container's word is not taken for it.
   *
   * <p>The chain is verified by the {@linkplain #verifier() current verifier}, so trust reloads
   * apply at once, as a client peer (the clientAuth extended key usage, the configured profile,
   * pins and allowed client names), with revocation checked as configured (there are no stapled
   * responses).
   *
   * <p>Successes are kept, keyed by the chain's SHA-256, so that the same chain arriving on
   * every request is verified once: each is kept for at most one minute and never past the
   * earliest notAfter of its path, for at most 1024 chains, and all are dropped when trust is
   * reloaded, revocation files change or {@link #resetSessions()} is called. A revocation that
   * becomes known later (a new OCSP answer, a downloaded CRL) therefore applies to a chain within
   * a minute. Failures are not kept.
   *
   * @param chain the client's chain, its own certificate first, then intermediates in any order
   * @return the verified path and the principal
   * @throws PeerVerificationException with the typed {@linkplain PeerVerificationException#reason()
   *     reason} if the chain is rejected, or {@code PRINCIPAL_REJECTED} if it is valid but maps to
   *     no principal
   * @throws IllegalStateException if this configuration has no principal mapper
   */
  public VerifiedClient verifyClient(List<X509Certificate> chain) throws PeerVerificationException {
    Objects.requireNonNull(chain, "chain");
    if (clientChains == null) {
      throw new IllegalStateException("No principal mapper: configure one with principals(..)");
    }
    return clientChains.verify(List.copyOf(chain));
  }
}
