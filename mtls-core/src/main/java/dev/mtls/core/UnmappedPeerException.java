package dev.mtls.core;

import dev.mtls.core.verify.PeerVerificationException;
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

  private final transient PeerVerificationException rejection;

  /**
   * Creates the exception.
   *
   * @param rejection the mapper's refusal ({@code PRINCIPAL_REJECTED}), naming the certificate
   */
  public UnmappedPeerException(PeerVerificationException rejection) {
    super(rejection.getMessage());
    this.rejection = rejection;
    initCause(rejection);
  }

  /**
   * Returns the mapper's refusal, with its typed reason and diagnosis.
   *
   * @return the refusal
   */
  public PeerVerificationException rejection() {
    return rejection;
  }
}
