package dev.mtls.core;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.pki.CertifiedKey;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * What {@link TlsServer} and {@link TlsClient} share: an immutable mTLS configuration that hands
 * out plain JSSE objects.
 *
 * <p>The {@link #sslContext()} is the configuration: every engine and socket it creates already
 * carries the configuration's {@link #sslParameters()} (protocols, cipher suites, client
 * authentication, endpoint identification), and its trust manager runs mtls's verification. Its
 * key and trust managers are also offered as factories ({@link #keyManagerFactory()},
 * {@link #trustManagerFactory()}) for frameworks such as Netty and gRPC that take factories; those
 * frameworks must then be given the parameters too.
 */
public abstract sealed class TlsConfiguration implements AutoCloseable permits TlsServer, TlsClient {
  private static final Provider PROVIDER = new Provider("mtls", "1.0", "mtls key and trust managers") {
    private static final long serialVersionUID = 1L;
  };

  private final ConfiguredSslContext context;
  private final SSLParameters parameters;
  private final IdentityKeyManager keyManager;
  private final VerifyingTrustManager trustManager;
  private final ResumptionPolicy resumption;
  private final EventDispatcher dispatcher;
  private final PrincipalResolver principals;
  private final MaterialReloader reloader;
  private final dev.mtls.core.revocation.RevocationChecker revocation;

  TlsConfiguration(TlsBuilder.Parts parts) {
    this.dispatcher = parts.dispatcher();
    this.principals = parts.principals();
    this.context = parts.context();
    this.parameters = parts.parameters();
    this.keyManager = parts.keyManager();
    this.trustManager = parts.trustManager();
    this.resumption = parts.resumption();
    this.reloader = parts.reloader();
    this.revocation = parts.revocation();
  }

  /**
   * Returns the TLS context. Engines and sockets it creates carry this configuration's
   * parameters; the object stays the same for the configuration's life.
   *
   * @return the context
   */
  public SSLContext sslContext() {
    return context;
  }

  /**
   * Returns a copy of the parameters every engine and socket of this configuration gets:
   * protocols, cipher suites, client authentication and (for clients) endpoint identification.
   * These live on {@code SSLParameters}, not on {@code SSLContext}; code that builds its own
   * engines from {@link #keyManagerFactory()} and {@link #trustManagerFactory()} must apply them.
   *
   * @return a fresh copy
   */
  public SSLParameters sslParameters() {
    return ConfiguredSslContext.merge(parameters, new SSLParameters());
  }

  /**
   * Returns a key manager factory that yields this configuration's key manager.
   *
   * <p>A context that other code builds from this factory and {@link #trustManagerFactory()}
   * gets mtls's key selection and verification, but neither the {@link #sslParameters()} nor the
   * resumption bound: apply the parameters to its engines, and set its session contexts' timeout
   * to {@code resumption().lifetime()} (JSSE's default is 24 hours).
   *
   * @return an initialised factory
   */
  public KeyManagerFactory keyManagerFactory() {
    return new KeyManagerFactory(new FixedKeyManagers(keyManager), PROVIDER, "mtls") { };
  }

  /**
   * Returns a trust manager factory that yields this configuration's trust manager.
   *
   * @return an initialised factory
   */
  public TrustManagerFactory trustManagerFactory() {
    return new TrustManagerFactory(new FixedTrustManagers(trustManager), PROVIDER, "mtls") { };
  }

  /**
   * Returns the peer verifier this configuration's trust manager uses.
   *
   * @return the verifier
   */
  public PeerVerifier verifier() {
    return trustManager.verifier();
  }

  /**
   * Reads the identity and trust sources again and puts what changed into use for new
   * handshakes, without touching handshakes in flight or the {@link #sslContext()} object.
   *
   * <p>New identity material is validated before use: there must be at least one identity, each
   * private key must match its certificate, each certificate of a chain must be issued and signed
   * by the next, every certificate must be valid now, the end-entity certificate must not be a CA
   * and its extended key usage (if any) must allow this side's role (serverAuth for a server,
   * clientAuth for a client), and, with {@link TlsBuilder#identityAnchors identity anchors}, the
   * chain must verify to one of them. New trust material must read as at least one certificate,
   * one of them valid now. Material that fails (a half-written file, say) is refused and the old
   * material keeps serving; an automatic reload that fails is retried (after 1 s, doubling up to
   * 5 min) until it succeeds or the files change again. (The material given when the
   * configuration is built is used as given, so that tests can present flawed certificates on
   * purpose; only identity anchors are checked then.) Without identity anchors, a chain file cut
   * exactly between two certificates reads as a shorter valid chain: configure them to refuse
   * that too.
   *
   * <p>Any change {@linkplain #resetSessions() resets sessions}: no session made under the old
   * anchors is resumed, and peers that would resume (and so see no certificate) see the new
   * identity. Contexts that other code built from {@link #keyManagerFactory()} and
   * {@link #trustManagerFactory()} get the new material but keep their own session caches.
   *
   * <p>Each outcome other than {@code UNCHANGED} is also sent to the listeners. Reloads, whether
   * from this method or from a watcher, run one at a time.
   *
   * @return the identity's outcome, then (if the configuration has a trust source) the trust's
   */
  public List<ReloadEvent> reload() {
    return reloader.reload();
  }

  /**
   * Returns the identities this configuration presents, in the order they were loaded.
   *
   * @return the identities
   */
  public List<CertifiedKey> identities() {
    return keyManager.identities();
  }

  /**
   * Returns the trusted certificates.
   *
   * @return the trust anchors
   */
  public List<X509Certificate> trustAnchors() {
    return List.copyOf(trustManager.verifier().trustAnchors());
  }

  /**
   * Returns the resumption policy.
   *
   * @return the policy
   */
  public ResumptionPolicy resumption() {
    return resumption;
  }

  /**
   * Moves new handshakes onto fresh session state: no session established before this call is
   * resumed afterwards, under any resumption policy, even by holders of the same
   * {@link #sslContext()} object. Handshakes in flight finish. Call it when trust changes (the
   * rotation and revocation features call it themselves).
   */
  public void resetSessions() {
    context.reset();
  }

  /**
   * Creates a new engine with this configuration's parameters.
   *
   * @return the engine
   */
  public SSLEngine newEngine() {
    return context.createSSLEngine();
  }

  /**
   * Returns the peer's principal for a session of this configuration, as the configured
   * {@link TlsBuilder#principals principal mapper} named it. It is computed once, during the
   * full handshake, and kept with the session.
   *
   * @param session an established session (from {@code SSLSocket.getSession()} or
   *     {@code SSLEngine.getSession()})
   * @return the principal
   * @throws SSLPeerUnverifiedException if the peer presented no certificate
   * @throws IllegalStateException if this configuration has no principal mapper
   */
  public MtlsPrincipal principal(SSLSession session) throws SSLPeerUnverifiedException {
    if (principals == null) {
      throw new IllegalStateException("No principal mapper: configure one with principals(..)");
    }
    return principals.principalOf(session, trustManager.verifier());
  }

  /**
   * Returns the peer's principal for a connected socket of this configuration.
   *
   * @param socket a socket whose handshake has completed
   * @return the principal
   * @throws SSLPeerUnverifiedException if the peer presented no certificate
   */
  public MtlsPrincipal principal(SSLSocket socket) throws SSLPeerUnverifiedException {
    return principal(socket.getSession());
  }

  /**
   * Returns the peer's principal for an engine of this configuration.
   *
   * @param engine an engine whose handshake has completed
   * @return the principal
   * @throws SSLPeerUnverifiedException if the peer presented no certificate
   */
  public MtlsPrincipal principal(SSLEngine engine) throws SSLPeerUnverifiedException {
    return principal(engine.getSession());
  }

  /**
   * Sends an access decision about a request made over one of this configuration's connections
   * to its listeners, on the event thread, the way handshake events go: the caller (a request
   * thread) only pays for queueing it, and if the listeners fall behind by more than the queue
   * holds, the event is dropped and the drop counted and logged. Without listeners, or once
   * closed, the event is discarded. {@code mtls-http}'s access control calls this once per
   * request.
   *
   * @param event the decision
   */
  public void publish(AccessEvent event) {
    Objects.requireNonNull(event, "event");
    if (dispatcher != null) {
      dispatcher.publish(event);
    }
  }

  ConfiguredSslContext configuredContext() {
    return context;
  }

  /**
   * Stops the threads this configuration started (the file watcher, the maintenance thread that
   * runs expiry checks and reload retries, the revocation checker's CRL refresh thread and CRL
   * file watcher, and the event thread), after delivering the events
   * already queued, and waits for them (a few seconds at most): no automatic reload, expiry check
   * or event delivery happens after this returns. Handshakes after close still work with the
   * material last loaded, without events; an explicit {@link #reload()} still works.
   */
  @Override
  public void close() {
    reloader.close();
    if (revocation != null) {
      revocation.close();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  private static final class FixedKeyManagers extends KeyManagerFactorySpi {
    private final KeyManager[] managers;

    FixedKeyManagers(KeyManager manager) {
      this.managers = new KeyManager[] {manager};
    }

    @Override
    protected void engineInit(KeyStore ks, char[] password) {}

    @Override
    protected void engineInit(ManagerFactoryParameters spec) {}

    @Override
    protected KeyManager[] engineGetKeyManagers() {
      return managers.clone();
    }
  }

  private static final class FixedTrustManagers extends TrustManagerFactorySpi {
    private final TrustManager[] managers;

    FixedTrustManagers(TrustManager manager) {
      this.managers = new TrustManager[] {manager};
    }

    @Override
    protected void engineInit(KeyStore ks) {}

    @Override
    protected void engineInit(ManagerFactoryParameters spec) {}

    @Override
    protected TrustManager[] engineGetTrustManagers() {
      return managers.clone();
    }
  }
}
