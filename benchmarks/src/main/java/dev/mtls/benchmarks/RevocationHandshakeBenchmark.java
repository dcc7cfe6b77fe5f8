package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.ResumptionPolicy;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestRevocationServer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full mutual TLS 1.3 handshakes between fresh in-memory engines (EC P-256, never resumed), the
 * server checking its clients' certificates: with revocation off, and with revocation on in
 * {@code HARD_FAIL} over a warm cache (every client's OCSP answer, or its CA's CRL, fetched from
 * the test kit's responder on loopback before measuring). The ratio shows what checking costs a
 * handshake once answers are cached: a map look-up per certificate, no network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RevocationHandshakeBenchmark {
  private static final int CLIENTS = 100;

  /** Where revocation answers come from. */
  @Param({"OCSP", "CRL"})
  public String source;

  private final EnginePair pair = new EnginePair();
  private TestRevocationServer revocation;
  private TlsServer unchecked;
  private TlsServer checked;
  private TlsClient[] clients;
  private int next;
  private int port;

  /** Issues the material, starts the responder and warms the checked server's cache. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    revocation = TestRevocationServer.start();
    TestCa ca = TestCa.builder().revocationServer(revocation).build();
    CertifiedKey server = ca.server("localhost");
    ca.revoke(ca.client("someone else").certificate(), dev.mtls.pki.RevocationReason.SUPERSEDED);
    unchecked = Mtls.server().identity(IdentitySource.of(server)).trust(TrustSource.of(ca.certificate()))
        .resumption(ResumptionPolicy.disabled()).listeners().build();
    checked = Mtls.server().identity(IdentitySource.of(server)).trust(TrustSource.of(ca.certificate()))
        .resumption(ResumptionPolicy.disabled()).listeners()
        .revocation(RevocationPolicy.hardFail().sources(RevocationPolicy.Source.valueOf(source)))
        .build();
    clients = new TlsClient[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = Mtls.client().identity(IdentitySource.of(ca.client("client-" + i)))
          .trust(TrustSource.of(ca.certificate())).listeners().build();
    }
    for (int i = 0; i < CLIENTS; i++) {
      handshake(checked); // warms the cache: one answer per client (OCSP) or one CRL
    }
    int requests = revocation.ocspRequests() + revocation.crlRequests();
    SSLEngine[] engines = engines(checked);
    pair.handshake(engines[0], engines[1]);
    if (engines[1].getSession().getPeerCertificates().length == 0) {
      throw new IllegalStateException("the handshake is not mutual");
    }
    if (revocation.ocspRequests() + revocation.crlRequests() != requests) {
      throw new IllegalStateException("a warm handshake asked the responder again");
    }
    int expected = source.equals("OCSP") ? CLIENTS : 1;
    if (requests != expected) {
      throw new IllegalStateException("expected " + expected + " " + source + " requests to warm the"
          + " cache, saw " + requests);
    }
  }

  /** Stops the configurations' threads and the responder. */
  @TearDown(Level.Trial)
  public void tearDown() {
    unchecked.close();
    checked.close();
    for (TlsClient client : clients) {
      client.close();
    }
    revocation.close();
  }

  private SSLEngine[] engines(TlsServer server) {
    TlsClient client = clients[next];
    next = (next + 1) % CLIENTS;
    return new SSLEngine[] {client.newEngine("localhost", ++port), server.newEngine()};
  }

  private SSLEngine handshake(TlsServer server) throws SSLException {
    SSLEngine[] engines = engines(server);
    pair.handshake(engines[0], engines[1]);
    return engines[1];
  }

  /** Revocation off: the reference. */
  @Benchmark
  public SSLEngine revocationOff() throws SSLException {
    return handshake(unchecked);
  }

  /**
   * Revocation on, hard fail, answers cached. Named {@code mtls..} so that {@link Ratios} prints
   * {@code revocationOff/mtlsRevocationOn}: time off over time on, which is the handshake rate
   * with revocation on over the rate with it off.
   */
  @Benchmark
  public SSLEngine mtlsRevocationOn() throws SSLException {
    return handshake(checked);
  }
}
