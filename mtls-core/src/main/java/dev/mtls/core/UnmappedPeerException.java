package dev.mtls.core;

import java.io.Serial;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The peer's certificate verified, but the principal mapper named no principal for it: thrown by
 * {@link TlsConfiguration#principal(javax.net.ssl.SSLSession)} for a server configured with
 * {@link TlsServerBuilder#admitUnmappedClients()}, which lets such clients finish the handshake so
 * that the application can answer them (mtls-http's access control answers 403). Without that
 * option such a client fails the handshake instead.
 */
public final class UnmappedPeerException extends SSLPeerUnverifiedException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why no principal was mapped, naming the certificate
   */
  public UnmappedPeerException(String message) {
    super(message);
  }
}
