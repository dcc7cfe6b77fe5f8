package dev.mtls.benchmarks;

import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Parsing a PEM bundle of 200 distinct certificates (text between blocks included, as in real
 * CA bundles): mtls's strict, label-dispatched reader against the JDK's {@code CertificateFactory}
 * in the same run. Both return 200 {@code X509Certificate}s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ParsePemBundleBenchmark {
  private static final int CERTIFICATES = 200;

  private String bundle;
  private byte[] bundleBytes;

  /** Issues 200 certificates and writes them as one bundle with a comment before each. */
  @Setup
  public void setUp() {
    TestCa ca = TestCa.create();
    StringBuilder text = new StringBuilder();
    List<X509Certificate> certificates = new ArrayList<>();
    for (int i = 0; i < CERTIFICATES; i++) {
      X509Certificate certificate = ca.server("host" + i + ".example").certificate();
      certificates.add(certificate);
      text.append("# host").append(i).append(".example\n")
          .append(Pem.writeCertificates(certificate));
    }
    bundle = text.toString();
    bundleBytes = bundle.getBytes(StandardCharsets.US_ASCII);
    if (Pem.parseCertificates(bundle).size() != CERTIFICATES || jdk().size() != CERTIFICATES) {
      throw new IllegalStateException("Both parsers must return all " + CERTIFICATES + " certificates");
    }
  }

  /** mtls's PEM reader. */
  @Benchmark
  public List<X509Certificate> mtlsPem() {
    return Pem.parseCertificates(bundle);
  }

  /** The JDK's {@code CertificateFactory.generateCertificates}. */
  @Benchmark
  public Collection<? extends Certificate> jdkCertificateFactory() {
    return jdk();
  }

  private Collection<? extends Certificate> jdk() {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(bundleBytes));
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException(e);
    }
  }
}
