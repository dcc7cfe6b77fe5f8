package dev.mtls.core;

import java.time.Instant;

/**
 * Something a configuration reports to its {@link MtlsListener}s: a handshake's outcome, a reload
 * of identity or trust material, or a certificate in use nearing its expiry.
 */
public sealed interface MtlsEvent permits HandshakeEvent, ReloadEvent, ExpiryEvent {

  /**
   * Returns when the event happened.
   *
   * @return the instant
   */
  Instant at();
}
