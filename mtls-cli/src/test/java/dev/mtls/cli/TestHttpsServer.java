package dev.mtls.cli;

import dev.mtls.core.TlsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTPS server on loopback, on plain JSSE server sockets configured by the library (which
 * send TLS alerts as a real server does). It answers 200 to the client named {@code CN=alice} and
 * 403 to any other, one connection at a time.
 */
final class TestHttpsServer implements AutoCloseable {
  private final SSLServerSocket serverSocket;
  private final Thread thread;

  TestHttpsServer(TlsServer tls) throws IOException {
    serverSocket = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
        .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    serverSocket.setSSLParameters(tls.sslParameters());
    thread = new Thread(this::serve, "test-https-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  private void serve() {
    while (!serverSocket.isClosed()) {
      try (SSLSocket socket = (SSLSocket) serverSocket.accept()) {
        socket.setSoTimeout(5000);
        try {
          answer(socket);
        } catch (IOException e) {
          // A refused handshake: JSSE has sent the alert; next connection.
        }
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // Next connection.
      }
    }
  }

  private static void answer(SSLSocket socket) throws IOException {
    socket.startHandshake();
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String line = in.readLine();
    while (line != null && !line.isEmpty()) {
      line = in.readLine();
    }
    X509Certificate client = (X509Certificate) socket.getSession().getPeerCertificates()[0];
    boolean alice = client.getSubjectX500Principal().getName().equals("CN=alice");
    byte[] body = (alice ? "hello alice\n" : "forbidden: not on the allow-list\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + (alice ? "200 OK" : "403 Forbidden") + "\r\nContent-Type: text/plain\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }
}
