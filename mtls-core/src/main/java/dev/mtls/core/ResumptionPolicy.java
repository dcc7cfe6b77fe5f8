package dev.mtls.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a TLS session may be resumed without a full handshake.
 *
 * <p>Resumption saves a full handshake (and its public-key operations) on reconnects, but JSSE
 * resumes sessions <em>without</em> calling the trust manager: a client whose certificate has
 * since expired, been revoked or lost its CA's trust can keep resuming until the session ends. TLS
 * 1.3 stateless session tickets cannot be purged from the server. So every configuration bounds
 * resumption: by default sessions may be resumed for {@link #DEFAULT_LIFETIME}; {@link #disabled()}
 * makes every connection a full handshake. (JSSE's own {@code setSessionTimeout(0)} means
 * <em>unlimited</em>, not off; this policy never uses it.)
 *
 * <p>When trust changes (a CA is removed, a certificate revoked) a configuration also moves new
 * handshakes onto fresh session state, so that no session made under the old trust is resumed;
 * see {@link TlsConfiguration#resetSessions()}.
 */
public final class ResumptionPolicy {
  /** The default bound on a session's resumable lifetime: one hour. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private static final ResumptionPolicy DISABLED = new ResumptionPolicy(Duration.ZERO);

  private final Duration lifetime;

  private ResumptionPolicy(Duration lifetime) {
    this.lifetime = lifetime;
  }

  /**
   * Sessions may be resumed for at most the given time after their full handshake.
   *
   * @param lifetime at least one second
   * @return the policy
   */
  public static ResumptionPolicy bounded(Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "A resumption lifetime must be at least 1 second (use disabled() for none), was " + lifetime);
    }
    if (lifetime.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("A resumption lifetime must fit in int seconds, was " + lifetime);
    }
    return new ResumptionPolicy(lifetime);
  }

  /**
   * Sessions are never resumed: every connection makes a full handshake that calls the trust
   * manager. (Requires the peer's certificate to be checked, which it always is for a client
   * verifying a server and for a server with {@link ClientAuth#REQUIRED}.)
   *
   * @return the policy
   */
  public static ResumptionPolicy disabled() {
    return DISABLED;
  }

  /**
   * The default: {@link #bounded(Duration)} with {@link #DEFAULT_LIFETIME}.
   *
   * @return the policy
   */
  public static ResumptionPolicy defaultPolicy() {
    return bounded(DEFAULT_LIFETIME);
  }

  /**
   * Returns whether sessions may be resumed at all.
   *
   * @return false for {@link #disabled()}
   */
  public boolean enabled() {
    return !lifetime.isZero();
  }

  /**
   * Returns how long a session may be resumed; zero when disabled.
   *
   * @return the lifetime
   */
  public Duration lifetime() {
    return lifetime;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResumptionPolicy p && p.lifetime.equals(lifetime);
  }

  @Override
  public int hashCode() {
    return lifetime.hashCode();
  }

  @Override
  public String toString() {
    return enabled() ? "ResumptionPolicy[bounded " + lifetime + "]" : "ResumptionPolicy[disabled]";
  }
}
