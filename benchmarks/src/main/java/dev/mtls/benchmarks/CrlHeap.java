package dev.mtls.benchmarks;

import dev.mtls.pki.CrlInfo;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Measures the heap retained by one loaded CRL of 1,000,000 entries ({@link CrlFixture}): mtls's
 * {@code CrlInfo} and the JDK's {@code X509CRL}. Method: the heap in use after repeated full
 * collections ({@code System.gc()} until the figure stops falling), before and after loading
 * {@value #COPIES} copies that are held; the difference divided by {@value #COPIES}. The DER input
 * is held throughout and not counted; a copy either side keeps of it is.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mtls.benchmarks.CrlHeap</pre>
 *
 * <p>{@link Ratios} runs it too after any CRL benchmark.
 */
public final class CrlHeap {
  private static final int COPIES = 3;
  private static final double MIB = 1024.0 * 1024.0;

  private CrlHeap() {}

  /**
   * Prints the retained heap of each side and the ratio.
   *
   * @param args none
   */
  public static void main(String[] args) {
    Ratios.print("Java " + Runtime.version() + ": MiB of heap retained by one loaded CRL of "
        + CrlFixture.ENTRIES + " entries (lower is smaller)", measure());
  }

  /** MiB retained per loaded CRL, by side, in the shape {@link Ratios} prints. */
  static Map<String, Map<String, Double>> measure() {
    CrlFixture fixture = CrlFixture.load();
    Map<String, Double> sides = new TreeMap<>();
    sides.put("mtlsCrlInfo", retained(() -> CrlInfo.parse(fixture.der, "heap.crl")));
    sides.put("jdkX509Crl", retained(() -> {
      try {
        return CertificateFactory.getInstance("X.509")
            .generateCRL(new ByteArrayInputStream(fixture.der));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }));
    Map<String, Map<String, Double>> result = new TreeMap<>();
    result.put("CrlHeap entries=" + CrlFixture.ENTRIES, sides);
    return result;
  }

  private static double retained(Supplier<Object> load) {
    Object[] held = new Object[COPIES];
    load.get();
    long before = usedAfterGc();
    for (int i = 0; i < COPIES; i++) {
      held[i] = load.get();
    }
    long after = usedAfterGc();
    Reference.reachabilityFence(held);
    return (after - before) / MIB / COPIES;
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used && i >= 3) {
        return Math.min(now, used);
      }
      used = Math.min(used, now);
    }
    return used;
  }
}
