package dev.mtls.core;

import java.time.Instant;

/**
 * Something a configuration reports to its {@link MtlsListener}s: a handshake's outcome, a reload
 * of identity or trust material, a certificate in use nearing its expiry, or an access decision
 * about a request made over one of its connections.
 */
public sealed interface MtlsEvent permits HandshakeEvent, ReloadEvent, ExpiryEvent, AccessEvent {

  /**
   * Returns when the event happened.
   *
   * @return the instant
   */
  Instant at();
}
