package dev.mtls.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A small TLS server on loopback for testing clients: it accepts connections, completes the
 * handshake, records what each client presented, answers an HTTP request with {@code 200 ok} (or
 * echoes a line of anything else), and closes the connection.
 *
 * <pre>{@code
 * try (TestTlsServer server = TestTlsServer.start(ca.sslContext(ca.server("localhost")))) {
 *   // connect a client to server.port() ...
 *   TestTlsServer.Connection seen = server.awaitConnection(Duration.ofSeconds(5));
 *   assertThat(seen.clientChain()).isNotEmpty();
 * }
 * }</pre>
 *
 * <p>It uses plain JSSE with client authentication required by default and TLS 1.3 and 1.2
 * enabled. Threads are named daemon threads, all stopped by {@link #close()}.
 */
public final class TestTlsServer implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final SSLServerSocket listener;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Connection> arrivals = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  /** Whether the server asks clients for a certificate. */
  public enum ClientAuth {
    /** A client must present a certificate, or the handshake fails. */
    REQUIRED,
    /** A client may present a certificate. */
    OPTIONAL,
    /** The server does not ask for a certificate. */
    NONE
  }

  /**
   * What one client connection presented and how its handshake ended.
   *
   * @param at when the handshake ended
   * @param handshakeSucceeded whether the handshake completed
   * @param protocol the negotiated protocol, or null if the handshake failed
   * @param cipherSuite the negotiated cipher suite, or null if the handshake failed
   * @param clientChain the certificate chain the client presented (empty if none, or on failure)
   * @param serverName the SNI host name the client sent, or null
   * @param failure the handshake exception's message, or null on success
   */
  public record Connection(
      Instant at,
      boolean handshakeSucceeded,
      String protocol,
      String cipherSuite,
      List<X509Certificate> clientChain,
      String serverName,
      String failure) {

    /**
     * Copies the chain.
     *
     * @param at when the handshake ended
     * @param handshakeSucceeded whether the handshake completed
     * @param protocol the negotiated protocol
     * @param cipherSuite the negotiated cipher suite
     * @param clientChain the presented chain
     * @param serverName the SNI host name
     * @param failure the handshake failure
     */
    public Connection {
      clientChain = List.copyOf(clientChain);
    }
  }

  private TestTlsServer(SSLContext context, ClientAuth clientAuth, String... protocols)
      throws IOException {
    int id = COUNTER.incrementAndGet();
    listener = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters params = listener.getSSLParameters();
    params.setProtocols(protocols);
    switch (clientAuth) {
      case REQUIRED -> params.setNeedClientAuth(true);
      case OPTIONAL -> params.setWantClientAuth(true);
      case NONE -> params.setNeedClientAuth(false);
      default -> throw new AssertionError(clientAuth);
    }
    listener.setSSLParameters(params);
    AtomicInteger workerCount = new AtomicInteger();
    workers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "mtls-test-server-" + id + "-worker-"
          + workerCount.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    acceptor = new Thread(this::acceptLoop, "mtls-test-server-" + id + "-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a server that requires client certificates, with TLS 1.3 and 1.2.
   *
   * @param context the server's TLS context (its identity and the client CAs it trusts)
   * @return the running server
   */
  public static TestTlsServer start(SSLContext context) {
    return start(context, ClientAuth.REQUIRED, "TLSv1.3", "TLSv1.2");
  }

  /**
   * Starts a server.
   *
   * @param context the server's TLS context
   * @param clientAuth whether to ask clients for certificates
   * @param protocols the protocols to enable, such as {@code TLSv1.3}
   * @return the running server
   */
  public static TestTlsServer start(SSLContext context, ClientAuth clientAuth, String... protocols) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if (protocols.length == 0) {
      throw new IllegalArgumentException("At least one protocol is needed");
    }
    try {
      return new TestTlsServer(context, clientAuth, protocols.clone());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot listen on loopback", e);
    }
  }

  /**
   * Returns the port the server listens on, on the loopback address.
   *
   * @return the port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Returns the loopback address and port the server listens on.
   *
   * @return the socket address
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), port());
  }

  /**
   * Returns an {@code https://localhost:PORT/} URI for HTTP clients.
   *
   * @return the URI
   */
  public URI uri() {
    return URI.create("https://localhost:" + port() + "/");
  }

  /**
   * Returns every connection whose handshake has ended so far, in order.
   *
   * @return a snapshot of the recorded connections
   */
  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  /**
   * Waits for the next connection whose handshake ends, successfully or not.
   *
   * @param timeout how long to wait
   * @return the connection
   * @throws IllegalStateException if none arrives in time
   */
  public Connection awaitConnection(Duration timeout) {
    try {
      Connection next = arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (next == null) {
        throw new IllegalStateException("No connection reached the test server on port " + port()
            + " within " + timeout);
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a connection", e);
    }
  }

  /** Stops accepting, closes the listener and stops every thread of this server. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing a listening socket only fails if it is already closed.
    }
    workers.shutdownNow();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SSLSocket socket = (SSLSocket) listener.accept();
        workers.execute(() -> handle(socket));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void handle(SSLSocket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      try {
        socket.startHandshake();
      } catch (IOException e) {
        record(new Connection(Instant.now(), false, null, null, List.of(), null,
            String.valueOf(e.getMessage())));
        return;
      }
      SSLSession session = socket.getSession();
      // Recorded before reading: a client may complete its side and then send nothing.
      record(new Connection(Instant.now(), true, session.getProtocol(), session.getCipherSuite(),
          peerChain(session), serverName(session), null));
      respond(socket);
    } catch (IOException ignored) {
      // The client went away; nothing to record beyond what was recorded.
    }
  }

  private void record(Connection connection) {
    connections.add(connection);
    arrivals.add(connection);
  }

  /**
   * Reads the first line; answers an HTTP request (after its headers) with 200, anything else
   * with an echo of that line.
   */
  private static void respond(SSLSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    String firstLine = null;
    int total = 0;
    try {
      int b;
      while ((b = in.read()) != -1 && ++total < MAX_REQUEST_BYTES) {
        if (b == '\r') {
          continue;
        }
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        line.reset();
        if (firstLine == null) {
          firstLine = text;
          if (!looksLikeHttp(firstLine)) {
            out.write((firstLine + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
          }
        } else if (text.isEmpty()) {
          break; // end of the HTTP headers
        }
      }
    } catch (SocketTimeoutException | SocketException | SSLException e) {
      return;
    }
    if (firstLine != null) {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
          + "Connection: close\r\n\r\nok\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static boolean looksLikeHttp(String line) {
    return line.matches("[A-Z]+ \\S+ HTTP/1\\.[01]");
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      List<X509Certificate> out = new ArrayList<>();
      Arrays.stream(chain).forEach(c -> out.add((X509Certificate) c));
      return out;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  private static String serverName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }
}
