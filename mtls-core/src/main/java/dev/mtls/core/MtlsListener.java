package dev.mtls.core;

/**
 * Receives a configuration's events: one {@link HandshakeEvent} per handshake outcome; when
 * material is reloaded or nears its expiry, {@link ReloadEvent}s and {@link ExpiryEvent}s; and
 * one {@link AccessEvent} per access decision that an access policy (in {@code mtls-http})
 * publishes (the latter three have default methods that ignore them, so a lambda receives
 * handshakes only).
 *
 * <p>Listeners are called on the configuration's own event thread, never on a handshake's
 * thread: a slow or throwing listener cannot stall or fail a handshake. Delivery is bounded: if
 * listeners fall behind by more than the queue's capacity, newer events are dropped and the drop
 * is counted and logged. The thread stops when the configuration is closed.
 *
 * <h2>What is observable</h2>
 * Events come from the engines and sockets the configuration's {@code SSLContext} creates, which
 * it decorates: successes, rejections by this side's verifier (with the typed reason), and
 * failures JSSE raises before any certificate is checked (no client certificate under
 * {@code REQUIRED}, no common protocol or cipher suite, an alert from the peer). Not observable:
 * handshakes on engines or sockets made from the key and trust manager factories by other code,
 * and connections that close before a handshake starts. A TLS 1.3 client completes its handshake
 * before the server has checked its certificate; if the server then refuses it, the client
 * reports a success followed by a {@link HandshakeFailure#REJECTED_BY_PEER} failure (or
 * {@link HandshakeFailure#CONNECTION_FAILED}, when the server closes the connection before the
 * client reads its alert).
 */
@FunctionalInterface
public interface MtlsListener {

  /**
   * Called once per handshake outcome.
   *
   * @param event the outcome
   */
  void onHandshake(HandshakeEvent event);

  /**
   * Called when identity or trust material was reloaded with new material or failed to reload.
   * Reloads that found the material unchanged are not reported.
   *
   * @param event the outcome
   */
  default void onReload(ReloadEvent event) {}

  /**
   * Called when a certificate in use crosses one of the configured expiry thresholds.
   *
   * @param event the warning
   */
  default void onExpiry(ExpiryEvent event) {}

  /**
   * Called once per access decision published with {@link TlsConfiguration#publish(AccessEvent)}.
   *
   * @param event the decision
   */
  default void onAccess(AccessEvent event) {}

  /**
   * The default listener: one SLF4J line per event on logger {@code dev.mtls.events}, INFO for
   * successful handshakes, reloads and allowed requests, WARN for failures, expiry warnings and
   * denied requests, with stable
   * {@code key=value} fields (see {@link Slf4jListener#format(MtlsEvent)}).
   *
   * @return the listener
   */
  static MtlsListener slf4j() {
    return new Slf4jListener();
  }
}
