package dev.mtls.benchmarks;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issuing one EC P-256 client leaf (key generation, signing, encoding) under an EC P-256 CA: the
 * test kit against OkHttp's {@code HeldCertificate} and Netty's {@code pkitesting}, in one run.
 * Each returns the issued certificate, parsed into an {@code X509Certificate}, with its key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class IssueLeafBenchmark {
  private TestCa testCa;
  private HeldCertificate okhttpCa;
  private X509Bundle nettyCa;

  /** Makes each library's CA once. */
  @Setup
  public void setUp() throws Exception {
    testCa = TestCa.create();
    okhttpCa = new HeldCertificate.Builder().certificateAuthority(0).ecdsa256().build();
    nettyCa = new CertificateBuilder()
        .subject("CN=netty ca")
        .ecp256()
        .setIsCertificateAuthority(true)
        .buildSelfSigned();
  }

  /** The test kit's leaf. */
  @Benchmark
  public CertifiedKey mtlsTestKit() {
    return testCa.leaf(CertificateRole.CLIENT).commonName("client").issue();
  }

  /** OkHttp's {@code HeldCertificate}. */
  @Benchmark
  public HeldCertificate okhttpHeldCertificate() {
    return new HeldCertificate.Builder().commonName("client").ecdsa256().signedBy(okhttpCa).build();
  }

  /** Netty's {@code pkitesting}. */
  @Benchmark
  public X509Bundle nettyPkitesting() throws Exception {
    return new CertificateBuilder()
        .subject("CN=client")
        .ecp256()
        .addExtendedKeyUsageClientAuth()
        .buildIssuedBy(nettyCa);
  }
}
