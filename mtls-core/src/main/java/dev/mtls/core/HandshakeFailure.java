package dev.mtls.core;

/**
 * How a handshake failed, as far as this side can tell. Certificate verification failures carry a
 * finer {@link dev.mtls.core.verify.FailureReason}; the others happen in JSSE before or around
 * certificate verification and are recognised from JSSE's exceptions.
 */
public enum HandshakeFailure {
  /** This side's verifier rejected the peer's certificate; see the event's reason. */
  CERTIFICATE_REJECTED,
  /** The peer presented no certificate although one was required. */
  NO_PEER_CERTIFICATE,
  /** The two sides share no protocol version. */
  NO_COMMON_PROTOCOL,
  /** The two sides share no cipher suite (or no usable signature scheme). */
  NO_COMMON_CIPHER_SUITE,
  /** The peer aborted the handshake with a fatal alert, typically because it refused this side. */
  REJECTED_BY_PEER,
  /** The connection failed or closed during the handshake. */
  CONNECTION_FAILED,
  /** Any other failure; the event's message says what JSSE reported. */
  OTHER
}
