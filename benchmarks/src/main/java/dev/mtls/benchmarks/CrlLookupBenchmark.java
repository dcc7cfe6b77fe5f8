package dev.mtls.benchmarks;

import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.RevokedEntry;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.util.Optional;
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
 * Looking a serial number up in a loaded CRL of 1,000,000 entries ({@link CrlFixture}), as a
 * revocation checker does on every handshake: mtls's {@code CrlInfo.find} against the JDK's
 * {@code X509CRL.getRevokedCertificate(BigInteger)} in the same run. Each call takes the next of
 * 1,024 serial numbers spread over the CRL, so that look-ups do not all hit the same cache lines;
 * either all revoked or all absent. (For an indirect CRL the JDK looks up by certificate,
 * {@code getRevokedCertificate(X509Certificate)}; mtls by issuer name and serial number.)
 *
 * <p>Each side's CRL is its own state, so a fork holds only the CRL it measures, and the heap is
 * collected after loading it: otherwise the first young collections of the measurement copy the
 * freshly loaded CRL, and the side that allocates pays for it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class CrlLookupBenchmark {
  /** Whether the serial numbers looked up are in the CRL. */
  @Param({"revoked", "absent"})
  public String serial;

  private BigInteger[] serials;
  private int next;

  /** mtls's view of the CRL. */
  @State(Scope.Benchmark)
  public static class Mtls {
    private CrlInfo crl;

    /**
     * Loads the CRL and checks every sampled serial number.
     */
    @Setup(Level.Trial)
    public void load() {
      CrlFixture fixture = CrlFixture.load();
      crl = CrlInfo.parse(fixture.der, "benchmark.crl");
      for (BigInteger s : fixture.revoked) {
        check(crl.find(s).isPresent(), s);
      }
      for (BigInteger s : fixture.absent) {
        check(crl.find(s).isEmpty(), s);
      }
      CrlFixture.settle();
    }
  }

  /** The JDK's {@code X509CRL}. */
  @State(Scope.Benchmark)
  public static class Jdk {
    private X509CRL crl;

    /**
     * Loads the CRL and checks every sampled serial number.
     *
     * @throws GeneralSecurityException if the JDK cannot read it
     */
    @Setup(Level.Trial)
    public void load() throws GeneralSecurityException {
      CrlFixture fixture = CrlFixture.load();
      crl = (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(fixture.der));
      for (BigInteger s : fixture.revoked) {
        check(crl.getRevokedCertificate(s) != null, s);
      }
      for (BigInteger s : fixture.absent) {
        check(crl.getRevokedCertificate(s) == null, s);
      }
      CrlFixture.settle();
    }
  }

  /** Picks the serial numbers to look up. */
  @Setup(Level.Trial)
  public void setUp() {
    CrlFixture fixture = CrlFixture.load();
    serials = serial.equals("revoked") ? fixture.revoked : fixture.absent;
  }

  private static void check(boolean expected, BigInteger serial) {
    if (!expected) {
      throw new IllegalStateException("Wrong answer for serial " + serial.toString(16));
    }
  }

  /**
   * mtls: {@code CrlInfo.find(BigInteger)}.
   *
   * @param mtls the loaded CRL
   * @return the entry, if revoked
   */
  @Benchmark
  public Optional<RevokedEntry> mtlsFind(Mtls mtls) {
    return mtls.crl.find(serials[next++ & (CrlFixture.SAMPLES - 1)]);
  }

  /**
   * The JDK: {@code X509CRL.getRevokedCertificate(BigInteger)}.
   *
   * @param jdk the loaded CRL
   * @return the entry, or null
   */
  @Benchmark
  public X509CRLEntry jdkGetRevokedCertificate(Jdk jdk) {
    return jdk.crl.getRevokedCertificate(serials[next++ & (CrlFixture.SAMPLES - 1)]);
  }
}
