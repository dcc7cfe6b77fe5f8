package dev.mtls.examples.rotation;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import java.nio.file.Path;
import java.time.Duration;

/** A server whose certificate, key and client CAs are renewed on disk while it runs. */
public final class RotatingServer {
  private RotatingServer() {}

  /**
   * Builds a server configuration that follows its files.
   *
   * @param dir a directory with tls.crt, tls.key, clients-ca.pem and server-ca.pem
   * @return the configuration; close it to stop watching
   */
  public static TlsServer watching(Path dir) {
    return Mtls.server()
        .identity(IdentitySource.pemFiles(dir.resolve("tls.crt"), dir.resolve("tls.key")))
        .trust(TrustSource.pemFile(dir.resolve("clients-ca.pem")))
        .identityAnchors(TrustSource.pemFile(dir.resolve("server-ca.pem"))) // renewals must chain here
        .reload(ReloadPolicy.watch())           // Kubernetes secret swaps, certbot links, editors
        .expiryWarnings(Duration.ofDays(14), Duration.ofDays(2))
        .build();                               // hand server.sslContext() to your HTTP server once
  }
}
