package dev.mtls.core;

/**
 * Whether a server asks TLS clients for a certificate. Mutual TLS means {@link #REQUIRED}, the
 * default; {@link #OPTIONAL} exists for servers that serve authenticated and anonymous clients on
 * one port and decide per request, and must be chosen explicitly.
 */
public enum ClientAuth {
  /** Clients must present a certificate that verifies, or the handshake fails. */
  REQUIRED,
  /**
   * Clients are asked for a certificate; one that is presented must verify, but a client may
   * present none and the handshake still succeeds. The application must then check whether the
   * session has a peer certificate before trusting the request.
   */
  OPTIONAL
}
