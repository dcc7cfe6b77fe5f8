package dev.mtls.core.verify;

/**
 * The role of the peer whose certificate is being verified. A server verifies a
 * {@link #CLIENT}'s certificate (which must allow {@code clientAuth}); a client verifies a
 * {@link #SERVER}'s certificate (which must allow {@code serverAuth} and name the host).
 */
public enum PeerRole {
  /** The peer is a TLS server. */
  SERVER,
  /** The peer is a TLS client. */
  CLIENT
}
