package dev.mtls.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Test helper: one client connection that exchanges a line, so session tickets are received. */
final class Connections {
  private Connections() {}

  /** Connects by host name, sends a line, reads the echo, returns the session. */
  static SSLSession exchange(SSLSocketFactory factory, String host, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) factory.createSocket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("ping\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      String echo = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
      if (!"ping".equals(echo)) {
        throw new IOException("Expected the echo 'ping', got " + echo);
      }
      return socket.getSession();
    }
  }
}
