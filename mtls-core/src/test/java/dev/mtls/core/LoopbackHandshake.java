package dev.mtls.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Test helper: one real handshake over loopback between a server context and a client context,
 * reporting how each side ended. Both sides also exchange a byte after the handshake, because in
 * TLS 1.3 a client learns that the server refused its certificate only on its next read.
 */
final class LoopbackHandshake {
  private LoopbackHandshake() {}

  /** How one side ended: the exception it saw, or null if it succeeded. */
  record Outcome(Exception server, Exception client) {}

  static Outcome run(SSLContext server, SSLContext client, String protocol, String host)
      throws Exception {
    try (ServerSocket listener = server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Exception> serverSide = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.setSoTimeout(10_000);
          SSLParameters params = socket.getSSLParameters();
          params.setProtocols(new String[] {protocol});
          params.setNeedClientAuth(true);
          socket.setSSLParameters(params);
          socket.startHandshake();
          socket.getOutputStream().write(1);
          socket.getOutputStream().flush();
          socket.getInputStream().read();
          return null;
        } catch (IOException e) {
          return e;
        }
      });
      Exception clientSide = null;
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setProtocols(new String[] {protocol});
        params.setServerNames(List.of(new SNIHostName(host)));
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        socket.getInputStream().read();
        socket.getOutputStream().write(1);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        clientSide = e;
      }
      return new Outcome(serverSide.get(20, TimeUnit.SECONDS), clientSide);
    }
  }
}
