package dev.mtls.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Test helper: a real client connection to a {@link TestTlsServer}. */
final class Handshakes {
  private Handshakes() {}

  /**
   * Connects, handshakes with host name verification for {@code localhost}, sends one line and
   * returns the server's answer.
   */
  static String connect(SSLContext client, TestTlsServer server, String protocol) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
        .createSocket(server.address().getAddress(), server.port())) {
      SSLParameters params = socket.getSSLParameters();
      params.setProtocols(new String[] {protocol});
      params.setEndpointIdentificationAlgorithm("HTTPS");
      params.setServerNames(List.of(new SNIHostName("localhost")));
      socket.setSSLParameters(params);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("ping\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }
}
