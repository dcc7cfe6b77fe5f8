package dev.mtls.examples.gettingstarted;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.PrincipalMappers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;

/** An mTLS server and client configured from PEM files, with SPIFFE principals. */
public final class MutualTlsService {
  private MutualTlsService() {}

  /**
   * Serves one connection and returns the principal the server saw.
   *
   * @param dir a directory with ca.pem, server.crt, server.key, client.crt and client.key
   * @return the client's principal name
   * @throws Exception if the handshake fails
   */
  public static String callOnce(Path dir) throws Exception {
    try (TlsServer server = Mtls.server()
            .identity(IdentitySource.pemFiles(dir.resolve("server.crt"), dir.resolve("server.key")))
            .trust(TrustSource.pemFile(dir.resolve("ca.pem")))    // the CA that signs clients
            .principals(PrincipalMappers.spiffe("example.org"))   // client -> spiffe:... principal
            .build();                                             // client auth REQUIRED, TLS 1.3/1.2
        TlsClient client = Mtls.client()
            .identity(IdentitySource.pemFiles(dir.resolve("client.crt"), dir.resolve("client.key")))
            .trust(TrustSource.pemFile(dir.resolve("ca.pem")))    // the CA that signs servers
            .build();                                             // checks the host name (SANs only)
        ServerSocket listener = server.serverSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.startHandshake();
          return server.principal(socket).getName();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      int port = listener.getLocalPort();
      try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
        socket.startHandshake();
      }
      return seen.get();
    }
  }
}
