package dev.mtls.benchmarks;

import dev.mtls.pki.CrlInfo;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a CRL of 1,000,000 entries ({@link CrlFixture}) from its DER encoding into an object
 * that answers look-ups by serial number, optionally checking its signature once as a revocation
 * checker does after each download: mtls's {@code CrlInfo.parse} against the JDK's
 * {@code CertificateFactory.generateCRL} in the same run. The JDK indexes every entry while it
 * parses (a tree keyed by issuer and serial number), so both sides end ready to answer. The JDK's
 * factory caches CRLs by encoding only up to 4 MiB; this one is larger, so it is parsed each time.
 *
 * <p>A JDK load takes seconds, so iterations are few and short (each runs at least one load):
 * 2 warm-up and 4 measured per fork, 2 forks, with the same fixed 3 GiB heap for both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class CrlLoadBenchmark {
  private static final String SOURCE = "http://crl.example.org/benchmark.crl";

  /** What a load includes: parsing and indexing, or that and one signature check. */
  @Param({"parse", "parseAndVerify"})
  public String work;

  private byte[] der;
  private X509Certificate issuer;
  private CertificateFactory factory;
  private boolean verify;

  /** Reads (or builds) the CRL and checks that both sides load all of it. */
  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    CrlFixture fixture = CrlFixture.load();
    der = fixture.der;
    issuer = fixture.issuer;
    factory = CertificateFactory.getInstance("X.509");
    verify = work.equals("parseAndVerify");
    if (mtlsCrlInfo().find(fixture.revoked[0]).isEmpty()
        || jdkX509Crl().getRevokedCertificate(fixture.revoked[0]) == null) {
      throw new IllegalStateException("Both sides must find a revoked serial number");
    }
  }

  /** mtls: {@code CrlInfo.parse}, then {@code CrlInfo.verify}. */
  @Benchmark
  public CrlInfo mtlsCrlInfo() {
    CrlInfo info = CrlInfo.parse(der, SOURCE);
    if (verify) {
      info.verify(issuer);
    }
    return info;
  }

  /** The JDK: {@code CertificateFactory.generateCRL}, then {@code X509CRL.verify}. */
  @Benchmark
  public X509CRL jdkX509Crl() throws GeneralSecurityException {
    X509CRL crl = (X509CRL) factory.generateCRL(new ByteArrayInputStream(der));
    if (verify) {
      crl.verify(issuer.getPublicKey());
    }
    return crl;
  }
}
