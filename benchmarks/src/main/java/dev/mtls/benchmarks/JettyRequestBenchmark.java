package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.AccessControl;
import dev.mtls.http.jetty.AccessControlHandler;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP/1.1 requests on a persistent mutual TLS connection to a Jetty 12 server: (a) plain Jetty
 * whose connector has the mtls server configuration, answering every request, against (b) the
 * same server with {@link AccessControlHandler} in front of the application, deciding every
 * request with an access policy and publishing an audit event for it, which the default listener
 * writes through Logback's async appender to a file (see {@code logback.xml}), as a production
 * service would run it; and (c) the policy without the audit line, which tells the two costs apart.
 * The client is a bare TLS socket writing requests and reading responses, so that the server's
 * work is most of what is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class JettyRequestBenchmark {
  private static final byte[] REQUEST =
      "GET /api/orders/42 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADMIN_REQUEST =
      "GET /api/admin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int BLOCK = 2000;
  private static final long PAUSE_MILLIS = 20;
  private static final byte[] BODY = "{\"order\":42}".getBytes(StandardCharsets.US_ASCII);

  private TlsServer tls;
  private TlsClient client;
  private Server plain;
  private Server guarded;
  private Connection toPlain;
  private Connection toGuarded;
  private TlsServer silentTls;
  private Server silent;
  private Connection toSilent;
  private Variants variants;
  private Server switching;
  private Connection toSwitching;

  /** Starts the servers and opens one persistent connection to each; checks the policy applies. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestCa ca = TestCa.create();
    tls = Mtls.server()
        .identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners(MtlsListener.slf4j())
        .build();
    client = Mtls.client().identity(IdentitySource.of(ca.client("billing")))
        .trust(TrustSource.of(ca.certificate())).listeners().build();
    AccessPolicy policy = AccessPolicy.builder()
        .deny("cn:intern", "*", "/api/admin/**")
        .allow("cn:reporting", "GET", "/api/reports/**")
        .allow("cn:billing", "GET,POST", "/api/orders/**")
        .allow("*", "GET", "/health")
        .build();
    AccessControl access = AccessControl.builder(tls).policy(policy).build();

    plain = start(new Application());
    guarded = start(new AccessControlHandler(access, new Application()));
    toPlain = new Connection(client, port(plain));
    toGuarded = new Connection(client, port(guarded));
    // (c) decides with the same policy through a configuration without listeners: no audit line.
    // The connections are the first configuration's, whose sessions carry the principal.
    silentTls = Mtls.server().identity(IdentitySource.of(ca.server("localhost")))
        .trust(TrustSource.of(ca.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners()
        .build();
    AccessControl silentAccess = AccessControl.builder(silentTls).policy(policy).build();
    silent = start(new AccessControlHandler(silentAccess, new Application()));
    toSilent = new Connection(client, port(silent));
    // interleaved(): one server and one connection for all three, the variant switched per block.
    variants = new Variants(new Application(), new AccessControlHandler(access, new Application()),
        new AccessControlHandler(silentAccess, new Application()));
    switching = start(variants);
    toSwitching = new Connection(client, port(switching));
    for (int variant = 0; variant < 3; variant++) {
      variants.use(variant);
      require(toSwitching.send(REQUEST) == 200, "each variant of the switching server answers 200");
    }
    variants.use(1);
    require(toSwitching.send(ADMIN_REQUEST) == 403, "the switching server's (b) applies the policy");
    require(toSilent.send(REQUEST) == 200, "the policy allows cn:billing without audit too");
    require(toPlain.send(REQUEST) == 200, "plain Jetty answers 200");
    require(toGuarded.send(REQUEST) == 200, "the policy allows cn:billing");
    require(toGuarded.send(ADMIN_REQUEST) == 403, "the policy denies what no rule allows");
  }

  /** Closes the connections and stops the servers. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    toPlain.close();
    toGuarded.close();
    toSilent.close();
    toSwitching.close();
    switching.stop();
    silent.stop();
    silentTls.close();
    plain.stop();
    guarded.stop();
    client.close();
    tls.close();
  }

  /** (a) Plain Jetty with the mtls server configuration on its connector. */
  @Benchmark
  public int plainJetty() throws IOException {
    return toPlain.send(REQUEST);
  }

  /** (c) The access policy deciding each request, without the audit line: what the audit costs. */
  @Benchmark
  public int policyWithoutAudit() throws IOException {
    return toSilent.send(REQUEST);
  }

  /** (b) The same with the access policy deciding each request and an audit event for each. */
  @Benchmark
  public int mtlsPolicyAndAudit() throws IOException {
    return toGuarded.send(REQUEST);
  }

  /**
   * (a), (b) and (c) in turn, a block of {@value #BLOCK} requests at a time, each block timed into
   * {@link Blocks}' counters, so that the three are measured in the same seconds: on a shared
   * machine, load that comes and goes between separate benchmarks moves their scores by more than
   * the difference to be measured. One server and one connection serve all three, the handler
   * switched between blocks ({@link Variants}; its one volatile read per request is the same for
   * all three), so that the placement of separate servers' threads on the cores, which differs
   * by a few percent from server to server, does not count either. Between blocks the benchmark
   * waits {@value #PAUSE_MILLIS} ms, untimed, for the audit work of a block of (b) to finish
   * (the event thread delivers within its linger, a few ms), so that none of it is charged to the next block.
   * What that leaves out of (b) is the work queued when its block ends: at most a few
   * milliseconds of audit lines against a block of over a hundred milliseconds. The primary
   * score (time per request across the three and the pauses) means nothing; {@link Ratios}
   * reports the counters.
   */
  @Benchmark
  @OperationsPerInvocation(BLOCK)
  @Measurement(iterations = 10, time = 3)
  @Fork(3)
  public int interleaved(Blocks blocks) throws IOException, InterruptedException {
    int variant = blocks.next;
    blocks.next = (variant + 1) % 3;
    variants.use(variant);
    int statuses = 0;
    long start = System.nanoTime();
    for (int i = 0; i < BLOCK; i++) {
      statuses += toSwitching.send(REQUEST);
    }
    long nanos = System.nanoTime() - start;
    if (variant == 0) {
      blocks.plainJettyNanos += nanos;
      blocks.plainJettyRequests += BLOCK;
    } else if (variant == 1) {
      blocks.mtlsPolicyAndAuditNanos += nanos;
      blocks.mtlsPolicyAndAuditRequests += BLOCK;
    } else {
      blocks.policyWithoutAuditNanos += nanos;
      blocks.policyWithoutAuditRequests += BLOCK;
    }
    Thread.sleep(PAUSE_MILLIS);
    return statuses;
  }

  /**
   * Nanoseconds and requests per variant in one iteration of {@link #interleaved}; {@link Ratios}
   * turns each iteration's counters into microseconds per request and ratios to (b).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Blocks {
    /** Time spent in blocks of (a). */
    public long plainJettyNanos;
    /** Requests in blocks of (a). */
    public long plainJettyRequests;
    /** Time spent in blocks of (b). */
    public long mtlsPolicyAndAuditNanos;
    /** Requests in blocks of (b). */
    public long mtlsPolicyAndAuditRequests;
    /** Time spent in blocks of (c). */
    public long policyWithoutAuditNanos;
    /** Requests in blocks of (c). */
    public long policyWithoutAuditRequests;
    int next;

    /** Counts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      plainJettyNanos = 0;
      plainJettyRequests = 0;
      mtlsPolicyAndAuditNanos = 0;
      mtlsPolicyAndAuditRequests = 0;
      policyWithoutAuditNanos = 0;
      policyWithoutAuditRequests = 0;
    }
  }

  private Server start(Handler handler) throws Exception {
    Server server = new Server(new QueuedThreadPool(16, 4));
    ServerConnector connector = JettyServerConnectors.builder(server, tls)
        .host("127.0.0.1").http2(false).build();
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("benchmark set-up: expected that " + what);
    }
  }

  /**
   * The handler of {@link #interleaved}'s server: passes each request to the variant in use, (a)
   * the application, (b) the application behind access control with audit, or (c) without. The
   * same server, threads and connection serve all three, so that nothing but the handler differs.
   */
  private static final class Variants extends Handler.Sequence {
    private volatile Handler current;

    Variants(Handler... handlers) {
      super(handlers);
      current = handlers[0];
    }

    void use(int variant) {
      current = getHandlers().get(variant);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      return current.handle(request, response, callback);
    }
  }

  /** The application: a small JSON body for every request. */
  private static final class Application extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
      response.write(true, java.nio.ByteBuffer.wrap(BODY), callback);
      return true;
    }
  }

  /** One persistent HTTP/1.1 connection over mutual TLS; reads responses with a Content-Length. */
  private static final class Connection implements AutoCloseable {
    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);

    Connection(TlsClient client, int port) throws IOException {
      socket = (SSLSocket) client.socketFactory().createSocket("localhost", port);
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      out = socket.getOutputStream();
      in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
    }

    /** Sends a request and reads the whole response; returns its status. */
    int send(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      head.reset();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed in the middle of a response");
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.US_ASCII);
      int status = Integer.parseInt(text.substring(9, 12));
      int length = contentLength(text);
      if (in.readNBytes(length).length != length) {
        throw new IOException("connection closed in the middle of a body");
      }
      return status;
    }

    private static int contentLength(String head) {
      String lower = head.toLowerCase(java.util.Locale.ROOT);
      int at = lower.indexOf("\r\ncontent-length:");
      if (at < 0) {
        throw new IllegalStateException("response without Content-Length: " + head);
      }
      int end = lower.indexOf("\r\n", at + 2);
      return Integer.parseInt(lower.substring(at + "\r\ncontent-length:".length(), end).strip());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
