package dev.mtls.examples.testkit;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMapper;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

/**
 * A tiny mTLS service to test: a client sends a line, the service answers
 * {@code hello PRINCIPAL: LINE}, naming the client by its certificate. It serves one connection
 * at a time on one daemon thread.
 *
 * <pre>
 * GreetingService PORT SERVER_CERT SERVER_KEY CLIENT_CA   (serves until stopped)
 * GreetingService                   (no arguments: a throwaway CA, one call, printed)
 * </pre>
 */
public final class GreetingService implements AutoCloseable {
  private final TlsServer tls;
  private final ServerSocket listener;
  private final Thread acceptor;

  private GreetingService(TlsServer tls, ServerSocket listener) {
    this.tls = tls;
    this.listener = listener;
    this.acceptor = new Thread(this::serve, "greeting-service-" + listener.getLocalPort());
    acceptor.setDaemon(true);
  }

  /**
   * Starts the service on loopback.
   *
   * @param tls the server configuration, with a principal mapper
   * @param port the port, or 0 for a free one
   * @return the running service; close it to stop it
   * @throws IOException if it cannot listen
   */
  public static GreetingService start(TlsServer tls, int port) throws IOException {
    // The configuration's socket factory makes sockets that already require client certificates.
    ServerSocket listener =
        tls.serverSocketFactory().createServerSocket(port, 50, InetAddress.getLoopbackAddress());
    GreetingService service = new GreetingService(tls, listener);
    service.acceptor.start();
    return service;
  }

  /**
   * Returns the port the service listens on.
   *
   * @return the port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Sends one line to a greeting service and returns its answer.
   *
   * @param client the client configuration
   * @param port the service's port on loopback
   * @param line what to send
   * @return the service's answer
   * @throws IOException if the handshake or the exchange fails
   */
  public static String call(TlsClient client, int port, String line) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
      out.println(line);
      String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      if (answer == null) {
        throw new IOException("The service at port " + port + " closed the connection without answering");
      }
      return answer;
    }
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket socket = listener.accept()) {
        socket.setSoTimeout(10_000);
        greet((SSLSocket) socket);
      } catch (SocketException e) {
        // closed by close(), or a client that went away: go on (the loop ends if closed)
      } catch (IOException e) {
        // a failed handshake: the configuration's listeners have reported why
      }
    }
  }

  private void greet(SSLSocket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String line = in.readLine();                       // the handshake happens on first use
    String who = tls.principal(socket).getName();      // mapped once, during the handshake
    PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    out.println("hello " + who + ": " + line);
  }

  /** Stops listening; the accepting thread ends. */
  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }

  /**
   * Serves until the process is stopped, or makes one call against a throwaway CA.
   *
   * @param args the port, the server's PEM certificate chain and key and the PEM file of the CA
   *     that signs clients; or nothing, for one call with certificates from the test kit
   * @throws Exception if the service cannot start or the call fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      // The test kit is a test dependency; here, certificates straight from mtls-pki.
      CertifiedKey ca = CertificateBuilder.create().commonName("Greeting CA").role(CertificateRole.CA).build();
      CertifiedKey server = CertificateBuilder.create().commonName("localhost").role(CertificateRole.SERVER)
          .subjectAlternativeNames(GeneralName.dns("localhost")).issuedBy(ca).build();
      CertifiedKey billing = CertificateBuilder.create().commonName("billing").role(CertificateRole.CLIENT)
          .issuedBy(ca).build();
      try (TlsServer tls = Mtls.server().identity(IdentitySource.of(server))
              .trust(TrustSource.of(ca.certificate())).principals(commonNames()).build();
          GreetingService service = start(tls, 0);
          TlsClient client = Mtls.client().identity(IdentitySource.of(billing))
              .trust(TrustSource.of(ca.certificate())).build()) {
        System.out.println(call(client, service.port(), "how are you?"));
      }
      return;
    }
    if (args.length != 4) {
      System.err.println("usage: GreetingService PORT SERVER_CERT SERVER_KEY CLIENT_CA");
      System.exit(2);
    }
    TlsServer tls = Mtls.server()
        .identity(IdentitySource.pemFiles(Path.of(args[1]), Path.of(args[2])))
        .trust(TrustSource.pemFile(Path.of(args[3])))
        .principals(commonNames())
        .build();
    GreetingService service = start(tls, Integer.parseInt(args[0]));
    System.out.println("listening on port " + service.port());
    service.acceptor.join();
  }

  /**
   * Names clients by their certificate's common name: {@code cn:billing}.
   *
   * @return the principal mapper the service is meant to run with
   */
  public static PrincipalMapper commonNames() {
    return PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY);
  }
}
