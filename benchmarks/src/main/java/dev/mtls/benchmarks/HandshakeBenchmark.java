package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestKeyStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import nl.altindag.ssl.SSLFactory;
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
 * Full mutual TLS 1.3 handshakes between fresh in-memory engines (EC P-256, run to completion
 * including the session ticket, never resumed), with contexts from (a) plain JDK key and trust
 * manager factories, (b) mtls-core with strict verification, a principal mapper, an SPKI pin and
 * the default event listener logging through Logback's async appender to a file, and (c) Ayza's
 * {@code SSLFactory}
 * with the same material. With one client certificate, and with 1,000 distinct ones: the JDK
 * caches 750 parsed certificates and their signature checks, which hides verification cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class HandshakeBenchmark {
  private static final String PROTOCOL = "TLSv1.3";

  /** How many distinct client certificates the handshakes cycle through. */
  @Param({"1", "1000"})
  public int clientCertificates;

  private final EnginePair pair = new EnginePair();
  private SSLContext jdkServer;
  private SSLContext[] jdkClients;
  private TlsServer mtlsServer;
  private TlsClient[] mtlsClients;
  private SSLFactory ayzaServer;
  private SSLFactory[] ayzaClients;
  private int next;
  private int port;

  /** Issues the material and builds every variant's contexts; checks each handshake is mutual. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestCa ca = TestCa.create();
    CertifiedKey server = ca.server("localhost");
    List<CertifiedKey> clients = new ArrayList<>();
    for (int i = 0; i < clientCertificates; i++) {
      clients.add(ca.client("client-" + i));
    }
    jdkServer = TestKeyStores.sslContext(server, ca.certificate());
    mtlsServer = Mtls.server()
        .identity(IdentitySource.of(server))
        .trust(TrustSource.of(ca.certificate()))
        .pins(Certificates.spkiPin(ca.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
        .listeners(MtlsListener.slf4j())
        .build();
    ayzaServer = SSLFactory.builder()
        .withIdentityMaterial(TestKeyStores.keyStore(server), TestKeyStores.PASSWORD)
        .withTrustMaterial(ca.trustStore())
        .withNeedClientAuthentication()
        .withProtocols(PROTOCOL)
        .build();
    jdkClients = new SSLContext[clientCertificates];
    mtlsClients = new TlsClient[clientCertificates];
    ayzaClients = new SSLFactory[clientCertificates];
    for (int i = 0; i < clientCertificates; i++) {
      CertifiedKey client = clients.get(i);
      jdkClients[i] = TestKeyStores.sslContext(client, ca.certificate());
      mtlsClients[i] = Mtls.client().identity(IdentitySource.of(client))
          .trust(TrustSource.of(ca.certificate())).listeners().build();
      ayzaClients[i] = SSLFactory.builder()
          .withIdentityMaterial(TestKeyStores.keyStore(client), TestKeyStores.PASSWORD)
          .withTrustMaterial(ca.trustStore())
          .withProtocols(PROTOCOL)
          .build();
    }
    requireFullMutual(jdk(), "plain JDK");
    requireFullMutual(mtls(), "mtls");
    requireFullMutual(ayza(), "Ayza");
  }

  /** Stops the mtls configurations' event threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    mtlsServer.close();
    for (TlsClient client : mtlsClients) {
      client.close();
    }
  }

  private void requireFullMutual(SSLEngine[] engines, String variant) throws Exception {
    pair.handshake(engines[0], engines[1]);
    if (engines[1].getSession().getPeerCertificates().length == 0
        || engines[0].getSession().getPeerCertificates().length == 0
        || !PROTOCOL.equals(engines[0].getSession().getProtocol())) {
      throw new IllegalStateException(variant + ": the handshake is not a mutual TLS 1.3 one");
    }
    SSLEngine[] again = variant.equals("mtls") ? mtls() : variant.equals("Ayza") ? ayza() : jdk();
    pair.handshake(again[0], again[1]);
    if (again[0].getSession().getCreationTime() == engines[0].getSession().getCreationTime()
        && java.util.Arrays.equals(again[0].getSession().getId(), engines[0].getSession().getId())) {
      throw new IllegalStateException(variant + ": the second handshake resumed the first");
    }
  }

  /** Client and server engines; each handshake uses a new port so the client never resumes. */
  private SSLEngine[] jdk() {
    int i = nextClient();
    SSLEngine client = jdkClients[i].createSSLEngine("localhost", ++port);
    client.setUseClientMode(true);
    SSLParameters params = client.getSSLParameters();
    params.setProtocols(new String[] {PROTOCOL});
    params.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(params);
    SSLEngine server = jdkServer.createSSLEngine();
    server.setUseClientMode(false);
    server.setNeedClientAuth(true);
    server.setEnabledProtocols(new String[] {PROTOCOL});
    return new SSLEngine[] {client, server};
  }

  private SSLEngine[] mtls() {
    int i = nextClient();
    return new SSLEngine[] {mtlsClients[i].newEngine("localhost", ++port), mtlsServer.newEngine()};
  }

  private SSLEngine[] ayza() {
    int i = nextClient();
    SSLEngine client = ayzaClients[i].getSSLEngine("localhost", ++port);
    client.setUseClientMode(true);
    SSLParameters params = client.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(params);
    SSLEngine server = ayzaServer.getSSLEngine();
    server.setUseClientMode(false);
    server.setNeedClientAuth(true);
    return new SSLEngine[] {client, server};
  }

  private int nextClient() {
    int i = next;
    next = (next + 1) % clientCertificates;
    return i;
  }

  /** (a) Plain JDK key and trust manager factories. */
  @Benchmark
  public SSLEngine jdkFactories() throws SSLException {
    SSLEngine[] engines = jdk();
    pair.handshake(engines[0], engines[1]);
    return engines[1];
  }

  /** (b) mtls-core: strict verification, a principal mapper, an SPKI pin, events logged. */
  @Benchmark
  public SSLEngine mtlsCore() throws SSLException {
    SSLEngine[] engines = mtls();
    pair.handshake(engines[0], engines[1]);
    return engines[1];
  }

  /** (c) Ayza's {@code SSLFactory}. */
  @Benchmark
  public SSLEngine ayzaSslFactory() throws SSLException {
    SSLEngine[] engines = ayza();
    pair.handshake(engines[0], engines[1]);
    return engines[1];
  }
}
