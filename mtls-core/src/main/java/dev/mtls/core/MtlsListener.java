package dev.mtls.core;

/**
 * Receives a configuration's events: one {@link HandshakeEvent} per handshake outcome.
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
   * The default listener: one SLF4J line per event on logger {@code dev.mtls.events}, INFO for
   * successes and WARN for failures, with stable {@code key=value} fields (see
   * {@link Slf4jListener#format(HandshakeEvent)}).
   *
   * @return the listener
   */
  static MtlsListener slf4j() {
    return new Slf4jListener();
  }
}
