package dev.mtls.http;

import dev.mtls.core.AccessEvent;
import dev.mtls.core.TlsServer;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.http.policy.AccessDecision;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.policy.AccessRule;
import dev.mtls.http.policy.ReloadingAccessPolicy;
import dev.mtls.pki.Certificates;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
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
 */
public final class AccessControl {
  private static final String FINGERPRINT_KEY = "dev.mtls.http.fingerprint";

  private final TlsServer server;
  private final Supplier<AccessPolicy> policy;
  private final Clock clock;

  private AccessControl(Builder builder) {
    this.server = builder.server;
    this.policy = builder.policy;
    this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
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
   * Decides one request and publishes the decision as an {@link AccessEvent}.
   *
   * @param session the server-side TLS session the request arrived on
   * @param method the request method
   * @param rawPath the request path as received: percent-encoded, without query or fragment
   * @return the decision
   * @throws IllegalStateException if the server configuration has no principal mapper
   */
  public AccessDecision check(SSLSession session, String method, String rawPath) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    X509Certificate peer = peerCertificate(session);
    MtlsPrincipal principal = null;
    String fingerprint = null;
    if (peer != null) {
      fingerprint = fingerprint(session, peer);
      try {
        principal = server.principal(session);
      } catch (SSLPeerUnverifiedException e) {
        principal = null; // the chain no longer verifies (trust was rotated): treated as no principal
      }
    }
    AccessDecision decision = policy.get().decide(principal, method, rawPath);
    server.publish(new AccessEvent(clock.instant(), principal == null ? null : principal.getName(), fingerprint,
        method, decision.path(), decision.rule().map(AccessRule::id).orElse(null), decision.allowed(),
        decision.reason()));
    return decision;
  }

  private static X509Certificate peerCertificate(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** The fingerprint, computed once per session. */
  private static String fingerprint(SSLSession session, X509Certificate peer) {
    Object cached = session.getValue(FINGERPRINT_KEY);
    if (cached instanceof String text) {
      return text;
    }
    String fingerprint = Certificates.sha256Fingerprint(peer);
    session.putValue(FINGERPRINT_KEY, fingerprint);
    return fingerprint;
  }

  /**
   * Configures {@link AccessControl}. The policy is required; each setter may be called once.
   */
  public static final class Builder {
    private final TlsServer server;
    private Supplier<AccessPolicy> policy;
    private Object policySource;
    private Clock clock;

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
