package dev.mtls.http;

import dev.mtls.core.AccessEvent;
import dev.mtls.core.TlsServer;
import dev.mtls.core.UnmappedPeerException;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.http.policy.AccessDecision;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.policy.AccessRule;
import dev.mtls.http.policy.ReloadingAccessPolicy;
import dev.mtls.http.proxy.ForwardedCertificateException;
import dev.mtls.http.proxy.ForwardedCertificates;
import dev.mtls.pki.Certificates;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Decides each request on an mTLS server connection with an access policy, and reports each
 * decision to the server configuration's listeners. This is what the HTTP server adapters call
 * once per request; use it directly with a server that has no adapter.
 *
 * <pre>{@code
 * AccessControl access = AccessControl.builder(tlsServer).policy(policy).build();
 * // per request, on the server's connection:
 * AccessDecision decision = access.check(sslSession, request.method(), request.rawPath());
 * if (!decision.allowed()) {
 *   respond(decision.status(), decision.clientMessage());  // never decision.reason()
 *   return;
 * }
 * }</pre>
 *
 * <p>For each request it takes the client's principal from the session (as the configuration's
 * {@linkplain dev.mtls.core.TlsBuilder#principals principal mapper} named it, once per
 * handshake), asks the policy, and publishes an {@link AccessEvent} with the principal, the
 * SHA-256 fingerprint of the client's certificate, the method, the canonical path, the deciding
 * rule, the decision and the reason. Events travel like handshake events: queued without blocking
 * the request thread and delivered on the configuration's event thread, so the default listener
 * writes one line per decision on logger {@code dev.mtls.events} (wrapped here):
 *
 * <pre>
 * event=access decision=deny principal=cn:intern fingerprint=3F:A2:.. method=GET path=/admin
 *     rule=access.policy:2 reason="denied by access.policy:2"
 * </pre>
 *
 * <h2>Behind a TLS-terminating proxy</h2>
 *
 * <p>Off by default. With {@link Builder#forwardedCertificates(ForwardedCertificates)}, a request
 * given as an {@link HttpRequestView} from a connection of a trusted proxy is decided on the
 * certificate the proxy forwarded in a header, not on the proxy's own:
 *
 * <ul>
 *   <li>The forwarded chain is verified again with the server configuration's current trust and
 *       mapped to a principal by its mapper ({@link TlsServer#verifyClient(List)}); the policy
 *       decides on that principal. The event's principal and fingerprint are the forwarded
 *       client's, and its {@code via} names the proxy ({@code via=proxy:cn:envoy}).
 *   <li>A forwarded chain that fails verification: 401 ({@code client certificate required}),
 *       as for a client that presents no certificate over TLS; one that verifies but maps to no
 *       principal: 403 ({@code no principal for this certificate}), as over TLS with
 *       {@link dev.mtls.core.TlsServerBuilder#admitUnmappedClients()}. The event carries the
 *       typed {@link AccessEvent#certificateFailure() reason}.
 *   <li>The proxy's own certificate is verified again on every request with the current trust
 *       and revocation ({@link TlsServer#verifyClient(List)}, cached briefly), so a proxy whose
 *       certificate is revoked, or whose CA leaves the trust, stops being trusted even on a
 *       connection that stays open.
 *   <li>A trusted proxy's request without a forwarded certificate: 401. It is never decided on
 *       the proxy's own principal.
 *   <li>A malformed header from a trusted proxy: 400 ({@code invalid forwarded client
 *       certificate}); the event's reason names the header and the problem.
 *   <li>The headers on a request from any other connection are ignored, and must not reach the
 *       application: adapters remove the {@link #forwardedHeaderNames() headers} from requests for
 *       which {@link #stripsForwardedHeaders(HttpRequestView)} is true, and hide the proxy's own
 *       TLS session and certificates from requests whose decision names the proxy
 *       ({@link AccessDecision#via()}).
 *   <li>Trust a proxy by address only where the address is the connection's own: never one taken
 *       from an {@code X-Forwarded-For} header or a PROXY protocol preamble, which any client can
 *       write. Envoy's {@code FORWARD_ONLY} and {@code ALWAYS_FORWARD_ONLY} modes pass on a
 *       client's own {@code x-forwarded-client-cert}: configure Envoy to sanitize or set it
 *       ({@code SANITIZE_SET}). Forwarded chains make long headers; raise the server's request
 *       header limit (Jetty's is 8 KiB) if clients present long chains.
 * </ul>
 */
public final class AccessControl {
  /**
   * The request attribute under which the adapters hand an allowed request's
   * {@link MtlsPrincipal} to the application.
   */
  public static final String PRINCIPAL_ATTRIBUTE = "dev.mtls.http.principal";

  private static final String PEER_KEY = "dev.mtls.http.peer";

  private final TlsServer server;
  private final Supplier<AccessPolicy> policy;
  private final Clock clock;
  private final ForwardedCertificates forwarded;

  private AccessControl(Builder builder) {
    this.server = builder.server;
    this.policy = builder.policy;
    this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
    this.forwarded = builder.forwarded;
  }

  /**
   * Starts configuring access control for a server configuration.
   *
   * @param server the configuration whose connections the requests arrive on; it needs a
   *     principal mapper
   * @return a new builder
   */
  public static Builder builder(TlsServer server) {
    return new Builder(Objects.requireNonNull(server, "server"));
  }

  /**
   * Decides one request and publishes the decision as an {@link AccessEvent}, with the client's
   * certificate taken from the session. Forwarded-certificate headers are not read: behind a
   * proxy, use {@link #check(HttpRequestView)} (on a trusted proxy's connection this method
   * finds no forwarded certificate, so refuses the request, 401).
   *
   * @param session the server-side TLS session the request arrived on
   * @param method the request method
   * @param rawPath the request path as received: percent-encoded, without query or fragment
   * @return the decision
   * @throws IllegalStateException if the server configuration has no principal mapper
   */
  public AccessDecision check(SSLSession session, String method, String rawPath) {
    Objects.requireNonNull(session, "session");
    return check(HttpRequestView.of(session, null, name -> List.of(), method, rawPath));
  }

  /**
   * Decides one request and publishes the decision as an {@link AccessEvent}: on the certificate
   * of its connection, or, from a trusted proxy, on the certificate the proxy forwarded (see
   * above).
   *
   * @param request the request
   * @return the decision
   * @throws IllegalStateException if the server configuration has no principal mapper
   */
  public AccessDecision check(HttpRequestView request) {
    Objects.requireNonNull(request, "request");
    Peer connection = connectionPeer(request);
    String method = request.method();
    String rawPath = request.rawPath();
    if (forwarded == null || !forwarded.trusts(connection.principal(), address(request))) {
      AccessDecision decision = connection.failure() != null
          ? refused(connection.failure(), rawPath, "client certificate")
          : policy.get().decide(connection.principal(), method, rawPath);
      publish(connection, method, decision);
      return decision;
    }
    String via = "proxy:" + (connection.principal() != null ? connection.principal().getName()
        : address(request) != null ? address(request).getHostAddress() : "unknown");
    AccessDecision decision;
    Peer client = Peer.NONE;
    try {
      List<X509Certificate> chain = forwarded.read(request.headers());
      if (chain.isEmpty()) {
        decision = AccessDecision.unauthenticated(rawPath, "the trusted proxy forwarded no client certificate");
      } else {
        client = verified(chain);
        decision = client.failure() != null
            ? refused(client.failure(), rawPath, "forwarded certificate")
            : policy.get().decide(client.principal(), method, rawPath);
      }
    } catch (ForwardedCertificateException e) {
      decision = AccessDecision.malformedForwardedCertificate(rawPath,
          "malformed forwarded certificate: " + e.getMessage());
    }
    decision = decision.forwardedBy(via);
    publish(client, method, decision);
    return decision;
  }

  /**
   * Returns the names of the forwarded-certificate headers: the ones adapters remove from a
   * request for which {@link #stripsForwardedHeaders(HttpRequestView)} is true.
   *
   * @return the configured format's header names; empty if forwarding is not configured
   */
  public List<String> forwardedHeaderNames() {
    return forwarded == null ? List.of() : forwarded.headerNames();
  }

  /**
   * Returns the forwarded-certificate configuration, if any.
   *
   * @return the configuration given to {@link Builder#forwardedCertificates}; empty if none
   */
  public Optional<ForwardedCertificates> forwardedCertificates() {
    return Optional.ofNullable(forwarded);
  }

  /**
   * Returns whether a request's forwarded-certificate headers are to be removed before the
   * application sees them: forwarding is configured and the request does not come from a trusted
   * proxy, so its headers are some client's claim that nobody checked. Requests from a trusted
   * proxy keep them: such a request reaches the application only if it was allowed on the
   * certificate in them, verified.
   *
   * @param request the request
   * @return true if the adapter must remove the {@link #forwardedHeaderNames()}
   */
  public boolean stripsForwardedHeaders(HttpRequestView request) {
    Objects.requireNonNull(request, "request");
    return forwarded != null && !forwarded.trusts(connectionPeer(request).principal(), address(request));
  }

  /**
   * The decision for a client whose certificate was refused: 403 if it verified but maps to no
   * principal, else 401, as a request without a (valid) certificate.
   */
  private static AccessDecision refused(PeerVerificationException failure, String rawPath, String what) {
    return failure.reason() == FailureReason.PRINCIPAL_REJECTED
        ? AccessDecision.unmapped(rawPath, what + ": " + failure.getMessage())
        : AccessDecision.unauthenticated(rawPath, what + " rejected: " + failure.getMessage());
  }

  /** A client as far as this request knows it: principal, fingerprint, or why it was rejected. */
  private record Peer(MtlsPrincipal principal, String fingerprint, PeerVerificationException failure) {
    static final Peer NONE = new Peer(null, null, null);
  }

  private Peer connectionPeer(HttpRequestView request) {
    if (request.certificates() != null) {
      return request.certificates().isEmpty() ? Peer.NONE : verified(request.certificates());
    }
    SSLSession session = request.session();
    Peer fromSession = session == null ? Peer.NONE : sessionPeer(session);
    if (fromSession != Peer.NONE && forwarded != null && forwarded.trusts(fromSession.principal(), address(request))) {
      // A trusted proxy speaks for every client: its own chain is verified again with the current
      // trust and revocation (cached briefly, dropped on reload), not taken from the session,
      // which would outlive a rotation or a revocation for as long as the connection stays open.
      return verified(peerChain(session), fromSession.fingerprint());
    }
    return fromSession;
  }

  /**
   * The client as its TLS session knows it: mapped once per handshake, and kept with the session
   * with its fingerprint, so that the requests of a connection after the first one read one
   * session value. A peer whose chain no longer verifies (trust was rotated since) is not kept:
   * it has no principal, and the next request asks again.
   */
  private Peer sessionPeer(SSLSession session) {
    if (session.getValue(PEER_KEY) instanceof Peer known) {
      return known;
    }
    List<X509Certificate> chain = peerChain(session);
    if (chain.isEmpty()) {
      return Peer.NONE;
    }
    String fingerprint = Certificates.sha256Fingerprint(chain.get(0));
    Peer peer;
    try {
      peer = new Peer(server.principal(session), fingerprint, null);
    } catch (UnmappedPeerException e) {
      peer = new Peer(null, fingerprint, e.rejection());
    } catch (SSLPeerUnverifiedException e) {
      return new Peer(null, fingerprint, null); // the chain no longer verifies: treated as no principal
    }
    session.putValue(PEER_KEY, peer);
    return peer;
  }

  private Peer verified(List<X509Certificate> chain) {
    return verified(chain, Certificates.sha256Fingerprint(chain.get(0)));
  }

  /** The chain verified again with the current trust; the fingerprint is its first certificate's. */
  private Peer verified(List<X509Certificate> chain, String fingerprint) {
    try {
      return new Peer(server.verifyClient(chain).principal(), fingerprint, null);
    } catch (PeerVerificationException e) {
      return new Peer(null, fingerprint, e);
    }
  }

  private static InetAddress address(HttpRequestView request) {
    return request.remoteAddress() == null ? null : request.remoteAddress().getAddress();
  }

  private void publish(Peer peer, String method, AccessDecision decision) {
    FailureReason failure = peer.failure() == null ? null : peer.failure().reason();
    server.publish(new AccessEvent(clock.instant(), peer.principal() == null ? null : peer.principal().getName(),
        peer.fingerprint(), method, decision.path(), decision.rule().map(AccessRule::id).orElse(null),
        decision.allowed(), decision.reason(), decision.via().orElse(null), failure));
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : session.getPeerCertificates()) {
        chain.add((X509Certificate) certificate);
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /**
   * Configures {@link AccessControl}. The policy is required; each setter may be called once.
   */
  public static final class Builder {
    private final TlsServer server;
    private Supplier<AccessPolicy> policy;
    private Object policySource;
    private Clock clock;
    private ForwardedCertificates forwarded;

    private Builder(TlsServer server) {
      this.server = server;
    }

    /**
     * Sets a fixed policy.
     *
     * @param fixed the policy
     * @return this builder
     * @throws IllegalStateException if a policy was already set
     */
    public Builder policy(AccessPolicy fixed) {
      Objects.requireNonNull(fixed, "policy");
      checkPolicyUnset();
      this.policySource = fixed;
      this.policy = () -> fixed;
      return this;
    }

    /**
     * Sets a policy that follows its file: each request is decided by the policy in force when
     * it arrives. Closing the reloading policy stays the caller's job.
     *
     * @param reloading the policy
     * @return this builder
     * @throws IllegalStateException if a policy was already set
     */
    public Builder policy(ReloadingAccessPolicy reloading) {
      Objects.requireNonNull(reloading, "policy");
      checkPolicyUnset();
      this.policySource = reloading;
      this.policy = reloading::current;
      return this;
    }

    /**
     * Reads client certificates that trusted proxies forward in a header.
     *
     * <p>If unset, off: forwarded-certificate headers are never read, and every request is
     * decided on its own connection's certificate.
     *
     * @param configuration the format and the trusted proxies
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder forwardedCertificates(ForwardedCertificates configuration) {
      Objects.requireNonNull(configuration, "forwardedCertificates");
      if (forwarded != null) {
        throw new IllegalStateException("forwardedCertificates was already set to " + forwarded);
      }
      this.forwarded = configuration;
      return this;
    }

    /**
     * Sets the clock that timestamps events.
     *
     * <p>If unset, the system clock in UTC.
     *
     * @param eventClock the clock
     * @return this builder
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock eventClock) {
      Objects.requireNonNull(eventClock, "clock");
      if (clock != null) {
        throw new IllegalStateException("clock was already set to " + clock);
      }
      this.clock = eventClock;
      return this;
    }

    /**
     * Builds the access control.
     *
     * @return the access control
     * @throws IllegalStateException if no policy was set
     */
    public AccessControl build() {
      if (policy == null) {
        throw new IllegalStateException("policy(..) is required: the rules that decide each request");
      }
      return new AccessControl(this);
    }

    private void checkPolicyUnset() {
      if (policySource != null) {
        throw new IllegalStateException("policy was already set to " + policySource);
      }
    }
  }
}
