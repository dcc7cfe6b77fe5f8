package dev.mtls.core;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.verify.VerifiedPath;
import java.util.Objects;

/**
 * A client certificate chain that a server configuration verified outside a handshake, with the
 * principal its mapper named: what {@link TlsServer#verifyClient(java.util.List)} returns for a
 * chain that a TLS-terminating proxy forwarded, or that a servlet container reports without its
 * TLS session.
 *
 * @param path the verified path, client certificate first, trust anchor last, with the
 *     revocation statuses if the configuration checks revocation
 * @param principal the client's principal
 */
public record VerifiedClient(VerifiedPath path, MtlsPrincipal principal) {

  /**
   * Validates the fields.
   *
   * @param path the verified path
   * @param principal the principal
   */
  public VerifiedClient {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(principal, "principal");
  }
}
