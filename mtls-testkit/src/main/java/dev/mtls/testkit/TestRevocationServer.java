package dev.mtls.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.OcspCertificateId;
import dev.mtls.pki.OcspRequest;
import dev.mtls.pki.OcspResponseBuilder;
import dev.mtls.pki.OcspResponseStatus;
import dev.mtls.pki.PkiException;
import dev.mtls.pki.RevocationReason;
import dev.mtls.pki.RevokedEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process OCSP responder and CRL server on loopback, for revocation tests. It answers for
 * the {@link TestCa}s built with it ({@link TestCa.Builder#revocationServer}), from their
 * {@linkplain TestCa#revoke revocations}: a fresh CRL per request, and OCSP responses signed by
 * the CA (or, with {@link #delegatedResponder(boolean)}, by a delegated responder certificate the
 * CA issued), over POST and GET, echoing nonces.
 *
 * <pre>{@code
 * try (TestRevocationServer revocation = TestRevocationServer.start()) {
 *   TestCa ca = TestCa.builder().revocationServer(revocation).build();
 *   CertifiedKey client = ca.client("billing");  // names the server's CRL and OCSP URLs
 *   ca.revoke(client.certificate(), RevocationReason.KEY_COMPROMISE);
 *   revocation.ocspFault(TestRevocationServer.Fault.TRY_LATER);  // responder trouble on demand
 * }
 * }</pre>
 *
 * <p>OCSP and CRLs are served on two ports, so that each can be refused on its own. Each CA
 * certificate gets its own paths: {@code /ca-N/crl} and {@code /ca-N/ocsp}.
 */
public final class TestRevocationServer implements AutoCloseable {
  private static final AtomicInteger SERVERS = new AtomicInteger();
  private static final Duration RESPONSE_LIFETIME = Duration.ofHours(1);

  /** Trouble the server can be told to make. */
  public enum Fault {
    /** Answer normally. */
    NONE,
    /** Answer normally after the {@linkplain #delay(Duration) delay}. */
    DELAY,
    /** Stop listening: connections are refused. */
    CONNECTION_REFUSED,
    /** Answer HTTP 500. */
    HTTP_500,
    /** Answer HTTP 200 with a body that is not an OCSP response or CRL. */
    MALFORMED,
    /** OCSP: answer every certificate as unknown. */
    UNKNOWN,
    /** OCSP: answer with the tryLater error status. */
    TRY_LATER,
    /** OCSP: answer with the unauthorized error status. */
    UNAUTHORIZED,
    /** OCSP: sign with a key the CA never authorised. */
    WRONG_SIGNER,
    /** Answer with a response or CRL whose nextUpdate has passed. */
    STALE,
    /**
     * Send the status line, then one byte of a header every 100 ms, never ending the headers: a
     * server that defeats read timeouts.
     */
    TRICKLE
  }

  private final int id = SERVERS.incrementAndGet();
  private final ExecutorService workers;
  private final Listener ocsp;
  private final Listener crl;
  private final AtomicInteger registered = new AtomicInteger();
  private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();
  private final Map<X509Certificate, String> paths = new ConcurrentHashMap<>();
  private final AtomicInteger ocspRequests = new AtomicInteger();
  private final AtomicInteger ocspGetRequests = new AtomicInteger();
  private final AtomicInteger crlRequests = new AtomicInteger();
  private volatile Fault ocspFault = Fault.NONE;
  private volatile Fault crlFault = Fault.NONE;
  private volatile Duration delay = Duration.ofSeconds(3);
  private volatile boolean delegated;
  private final CertifiedKey stranger = CertificateBuilder.create().commonName("Not the CA")
      .role(CertificateRole.CA).build();

  /**
   * A CA certificate the server answers for, with its delegated responder. The responder's
   * certificate is also what tells whether a request's certificate ID names this CA: like any
   * certificate the CA issued, it carries the CA's name and key, which the ID's hashes are of.
   */
  private static final class Issuer {
    final TestCa ca;
    final CertifiedKey certificate;
    final CertifiedKey responder;

    Issuer(TestCa ca, CertifiedKey certificate) {
      this.ca = ca;
      this.certificate = certificate;
      this.responder = CertificateBuilder.create().random(ca.random()).clock(ca.clock())
          .commonName("OCSP responder of " + certificate.certificate().getSubjectX500Principal().getName())
          .role(CertificateRole.OCSP_RESPONDER).issuedBy(certificate).build();
    }

    /** Whether a certificate ID names this CA as the issuer, whichever hash it uses. */
    boolean named(OcspCertificateId id) {
      X509Certificate issued = responder.certificate();
      X509Certificate caCertificate = certificate.certificate();
      OcspCertificateId expected = OcspCertificateId.of(issued, caCertificate);
      if (!expected.hashAlgorithmOid().equals(id.hashAlgorithmOid())) {
        expected = OcspCertificateId.sha256(issued, caCertificate);
      }
      return expected.hashAlgorithmOid().equals(id.hashAlgorithmOid())
          && Arrays.equals(expected.issuerNameHash(), id.issuerNameHash())
          && Arrays.equals(expected.issuerKeyHash(), id.issuerKeyHash());
    }
  }

  /** One HTTP listener that can be stopped (refusing connections) and started on its port. */
  private final class Listener {
    private final String name;
    private final int port;
    private HttpServer server;
    private ServerSocket trickler;
    private final java.util.Set<Socket> trickled = ConcurrentHashMap.newKeySet();
    private boolean closed;

    Listener(String name) throws IOException {
      this.name = name;
      this.server = open(0);
      this.port = server.getAddress().getPort();
    }

    private HttpServer open(int onPort) throws IOException {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
      http.setExecutor(workers);
      http.createContext("/", exchange -> handle(name, exchange));
      http.start();
      return http;
    }

    /**
     * Listens on the port again. The socket just closed (or its last connections) can hold the
     * port for a moment on a loaded machine, so binding is retried for up to two seconds.
     */
    private HttpServer openRetrying() throws IOException {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
      while (true) {
        try {
          return open(port);
        } catch (java.net.BindException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }

    /** Serves HTTP, refuses connections, or trickles header bytes, as the fault says. */
    synchronized void serve(Fault fault) {
      if (closed) {
        throw new IllegalStateException(TestRevocationServer.this + " is closed");
      }
      try {
        if (fault != Fault.CONNECTION_REFUSED && fault != Fault.TRICKLE) {
          stopTrickling();
          if (server == null) {
            server = openRetrying();
          }
          return;
        }
        if (server != null) {
          server.stop(0);
          server = null;
        }
        if (fault == Fault.TRICKLE && trickler == null) {
          trickler = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
          ServerSocket listening = trickler;
          workers.execute(() -> trickle(listening, trickled));
        } else if (fault == Fault.CONNECTION_REFUSED) {
          stopTrickling();
        }
      } catch (IOException e) {
        throw new IllegalStateException("Cannot listen again on port " + port, e);
      }
    }

    private void stopTrickling() throws IOException {
      if (trickler != null) {
        trickler.close();
        trickler = null;
      }
      for (Socket socket : trickled) {
        socket.close(); // before listening again on the port
      }
      trickled.clear();
    }

    synchronized void stop() {
      closed = true;
      try {
        stopTrickling();
      } catch (IOException e) {
        // Closing anyway.
      }
      if (server != null) {
        server.stop(0);
        server = null;
      }
    }
  }

  private TestRevocationServer() throws IOException {
    AtomicInteger threads = new AtomicInteger();
    workers = Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "mtls-test-revocation-" + id + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    ocsp = new Listener("ocsp");
    crl = new Listener("crl");
  }

  /**
   * Starts a server on two free loopback ports.
   *
   * @return the running server
   */
  public static TestRevocationServer start() {
    try {
      return new TestRevocationServer();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot listen on loopback", e);
    }
  }

  /** Called by {@link TestCa} for each of its CA certificates. */
  void register(TestCa ca, CertifiedKey certificate) {
    String path = "ca-" + registered.incrementAndGet();
    issuers.put(path, new Issuer(ca, certificate));
    paths.put(certificate.certificate(), path);
  }

  /**
   * Returns the URL of the CRL of a registered CA certificate.
   *
   * @param caCertificate the CA certificate
   * @return the URL
   */
  public URI crlUri(X509Certificate caCertificate) {
    return URI.create("http://127.0.0.1:" + crl.port + "/" + path(caCertificate) + "/crl");
  }

  /**
   * Returns the URL of the OCSP responder for a registered CA certificate.
   *
   * @param caCertificate the CA certificate
   * @return the URL
   */
  public URI ocspUri(X509Certificate caCertificate) {
    return URI.create("http://127.0.0.1:" + ocsp.port + "/" + path(caCertificate) + "/ocsp");
  }

  private String path(X509Certificate caCertificate) {
    String path = paths.get(caCertificate);
    if (path == null) {
      throw new IllegalArgumentException("'" + caCertificate.getSubjectX500Principal().getName()
          + "' is not a CA certificate of a TestCa built with this server");
    }
    return path;
  }

  /**
   * Makes the OCSP responder misbehave from now on ({@link Fault#NONE} to stop).
   *
   * @param fault the fault
   * @return this server
   */
  public TestRevocationServer ocspFault(Fault fault) {
    this.ocspFault = Objects.requireNonNull(fault, "fault");
    ocsp.serve(fault);
    return this;
  }

  /**
   * Makes the CRL server misbehave from now on ({@link Fault#NONE} to stop). The OCSP-only faults
   * ({@code UNKNOWN}, {@code TRY_LATER}, {@code UNAUTHORIZED}, {@code WRONG_SIGNER}) are refused.
   *
   * @param fault the fault
   * @return this server
   */
  public TestRevocationServer crlFault(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    if (fault == Fault.UNKNOWN || fault == Fault.TRY_LATER || fault == Fault.UNAUTHORIZED
        || fault == Fault.WRONG_SIGNER) {
      throw new IllegalArgumentException(fault + " is an OCSP fault; a CRL server cannot make it");
    }
    this.crlFault = fault;
    crl.serve(fault);
    return this;
  }

  /**
   * Sets how long {@link Fault#DELAY} waits before answering (three seconds by default).
   *
   * @param wait the delay
   * @return this server
   */
  public TestRevocationServer delay(Duration wait) {
    this.delay = Objects.requireNonNull(wait, "wait");
    return this;
  }

  /**
   * Signs OCSP responses with a delegated responder certificate (EKU id-kp-OCSPSigning, issued by
   * the CA, included in the response) instead of the CA's own key.
   *
   * @param useDelegated whether to
   * @return this server
   */
  public TestRevocationServer delegatedResponder(boolean useDelegated) {
    this.delegated = useDelegated;
    return this;
  }

  /**
   * Returns how many OCSP requests have arrived.
   *
   * @return the count
   */
  public int ocspRequests() {
    return ocspRequests.get();
  }

  /**
   * Returns how many of the OCSP requests came by GET (the others came by POST).
   *
   * @return the count
   */
  public int ocspGetRequests() {
    return ocspGetRequests.get();
  }

  /**
   * Returns how many CRL requests have arrived.
   *
   * @return the count
   */
  public int crlRequests() {
    return crlRequests.get();
  }

  /**
   * Answers and then closes the exchange. The close is outside {@link #answer}, whose catch must
   * still be able to send a 500: the catch of a try-with-resources runs after the close.
   */
  private void handle(String kind, HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(kind, exchange);
    }
  }

  private void answer(String kind, HttpExchange exchange) throws IOException {
    try {
      boolean isOcsp = kind.equals("ocsp");
      (isOcsp ? ocspRequests : crlRequests).incrementAndGet();
      if (isOcsp && exchange.getRequestMethod().equals("GET")) {
        ocspGetRequests.incrementAndGet();
      }
      Fault fault = isOcsp ? ocspFault : crlFault;
      String[] segments = exchange.getRequestURI().getRawPath().split("/", 4);
      Issuer issuer = segments.length >= 3 ? issuers.get(segments[1]) : null;
      if (issuer == null || !segments[2].equals(kind)) {
        respond(exchange, 404, "text/plain", "no such CA path".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (fault == Fault.DELAY) {
        sleep(delay);
      }
      if (fault == Fault.HTTP_500) {
        respond(exchange, 500, "text/plain", "broken on purpose".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (fault == Fault.MALFORMED) {
        respond(exchange, 200, isOcsp ? "application/ocsp-response" : "application/pkix-crl",
            "this is not DER".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (isOcsp) {
        respond(exchange, 200, "application/ocsp-response", ocspResponse(issuer, exchange, fault));
      } else {
        respond(exchange, 200, "application/pkix-crl", crlOf(issuer, fault));
      }
    } catch (RuntimeException e) {
      try {
        respond(exchange, 500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // The client went away.
      }
    }
  }

  private static byte[] crlOf(Issuer issuer, Fault fault) {
    Instant now = issuer.ca.now();
    X509CRL crl = fault == Fault.STALE
        ? issuer.ca.crl(issuer.certificate, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))
        : issuer.ca.crl(issuer.certificate);
    try {
      return crl.getEncoded();
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] ocspResponse(Issuer issuer, HttpExchange exchange, Fault fault) throws IOException {
    OcspRequest request;
    String source = "OCSP request to " + exchange.getRequestURI();
    try {
      if (exchange.getRequestMethod().equals("POST")) {
        try (InputStream in = exchange.getRequestBody()) {
          request = OcspRequest.parse(in.readNBytes(64 * 1024), source);
        }
      } else {
        String path = exchange.getRequestURI().getRawPath();
        request = OcspRequest.parseGetPath(path.substring(path.indexOf("/ocsp/") + 6), source);
      }
    } catch (PkiException | IndexOutOfBoundsException e) {
      return OcspResponseBuilder.error(OcspResponseStatus.MALFORMED_REQUEST);
    }
    if (fault == Fault.TRY_LATER) {
      return OcspResponseBuilder.error(OcspResponseStatus.TRY_LATER);
    }
    if (fault == Fault.UNAUTHORIZED) {
      return OcspResponseBuilder.error(OcspResponseStatus.UNAUTHORIZED);
    }
    Instant now = issuer.ca.now();
    OcspResponseBuilder response = OcspResponseBuilder.create().clock(issuer.ca.clock())
        .signedBy(fault == Fault.WRONG_SIGNER ? stranger : signer(issuer));
    if (fault == Fault.STALE) {
      response.thisUpdate(now.minus(Duration.ofDays(2))).nextUpdate(now.minus(Duration.ofDays(1)));
    } else {
      response.thisUpdate(now.minusSeconds(1)).nextUpdate(now.plus(RESPONSE_LIFETIME));
    }
    request.nonce().ifPresent(response::nonce);
    for (OcspCertificateId certificateId : request.certificateIds()) {
      boolean ours = issuer.named(certificateId);
      Optional<RevokedEntry> entry = ours
          ? issuer.ca.revocation(issuer.certificate.certificate(), certificateId.serialNumber())
          : Optional.empty();
      if (fault == Fault.UNKNOWN || !ours) {
        response.unknown(certificateId);
      } else if (entry.isPresent()) {
        response.revoked(certificateId, entry.get().revocationDate(),
            entry.get().reason().orElse(RevocationReason.UNSPECIFIED));
      } else {
        response.good(certificateId);
      }
    }
    return response.build();
  }

  /** The CA itself, or its delegated responder. */
  private CertifiedKey signer(Issuer issuer) {
    return delegated ? issuer.responder : issuer.certificate;
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Accepts connections and trickles a never-ending header to each, until the socket closes. */
  private void trickle(ServerSocket listening, java.util.Set<Socket> open) {
    while (!listening.isClosed()) {
      try {
        Socket socket = listening.accept();
        open.add(socket);
        workers.execute(() -> {
          trickleTo(socket);
          open.remove(socket);
        });
      } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
        return; // closed
      }
    }
  }

  private static void trickleTo(Socket socket) {
    try (socket; OutputStream out = socket.getOutputStream()) {
      out.write("HTTP/1.1 200 OK\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < 3000 && !Thread.currentThread().isInterrupted(); i++) {
        Thread.sleep(100);
        out.write('a');
        out.flush();
      }
    } catch (IOException e) {
      // The client went away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops both listeners and the worker threads. */
  @Override
  public void close() {
    ocsp.stop();
    crl.stop();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TestRevocationServer[ocsp port " + ocsp.port + ", crl port " + crl.port + "]";
  }
}
