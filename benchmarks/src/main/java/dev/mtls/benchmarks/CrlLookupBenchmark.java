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

  private CrlInfo mtls;
  private X509CRL jdk;
  private BigInteger[] serials;
  private int next;

  /** Loads the CRL on both sides and checks that they agree on every sampled serial number. */
  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    CrlFixture fixture = CrlFixture.load();
    jdk = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(fixture.der));
    mtls = CrlInfo.parse(fixture.der, "benchmark.crl");
    serials = serial.equals("revoked") ? fixture.revoked : fixture.absent;
    for (BigInteger s : serials) {
      if (mtls.find(s).isPresent() != serial.equals("revoked")
          || (jdk.getRevokedCertificate(s) != null) != serial.equals("revoked")) {
        throw new IllegalStateException("Both sides must agree on serial " + s.toString(16));
      }
    }
  }

  /** mtls: {@code CrlInfo.find(BigInteger)}. */
  @Benchmark
  public Optional<RevokedEntry> mtlsFind() {
    return mtls.find(serials[next++ & (CrlFixture.SAMPLES - 1)]);
  }

  /** The JDK: {@code X509CRL.getRevokedCertificate(BigInteger)}. */
  @Benchmark
  public X509CRLEntry jdkGetRevokedCertificate() {
    return jdk.getRevokedCertificate(serials[next++ & (CrlFixture.SAMPLES - 1)]);
  }
}
