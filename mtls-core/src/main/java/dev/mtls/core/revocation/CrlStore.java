package dev.mtls.core.revocation;

import dev.mtls.core.watch.FileWatcher;
import dev.mtls.pki.CrlInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.pki.Pem;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRLs a checker can consult: CRLs given in memory, local CRL files (reloaded when they
 * change; a file that fails to load keeps its previous CRLs), and CRLs fetched from distribution
 * points over HTTP ({@link FetchedCrls}).
 */
final class CrlStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrlStore.class);
  private static final java.util.concurrent.atomic.AtomicInteger WATCHERS =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Runnable onFileChange;
  private final List<LoadedCrl> fixed;
  private final Map<Path, List<LoadedCrl>> files = new ConcurrentHashMap<>();
  private final FetchedCrls fetched;
  private final FileWatcher watcher;

  CrlStore(RevocationPolicy policy, List<X509CRL> inMemory, Clock clock,
      ScheduledExecutorService executor, HttpFetcher fetcher, Runnable onFileChange) {
    this.fetched = new FetchedCrls(policy, clock, executor, fetcher);
    this.onFileChange = onFileChange;
    List<LoadedCrl> given = new ArrayList<>();
    for (X509CRL crl : inMemory) {
      CrlInfo info = CrlInfo.of(crl);
      // Named by issuer and number: a complete CRL and its delta must be told apart in messages.
      given.add(new LoadedCrl(info, "crl in memory from '" + info.issuer().getName() + "'"
          + info.crlNumber().map(n -> " number " + n).orElse("")));
    }
    this.fixed = List.copyOf(given);
    for (Path file : policy.crlFileList()) {
      files.put(file, load(file)); // a bad file fails the configuration's build
    }
    if (policy.crlFileList().isEmpty()) {
      watcher = null;
    } else {
      watcher = FileWatcher.builder().files(policy.crlFileList())
          .threadName("mtls-crl-watch-" + WATCHERS.incrementAndGet())
          .onChange(this::filesChanged).build();
      watcher.start();
    }
  }

  private static List<LoadedCrl> load(Path file) {
    List<LoadedCrl> crls = new ArrayList<>();
    for (X509CRL crl : Pem.readCrls(file)) {
      crls.add(new LoadedCrl(CrlInfo.of(crl), "crl file " + file));
    }
    return List.copyOf(crls);
  }

  private void filesChanged(Set<Path> changed) {
    boolean any = false;
    for (Path file : changed) {
      try {
        files.put(file, load(file));
        any = true;
        LOG.info("reloaded CRL file {}", file);
      } catch (RuntimeException e) {
        LOG.warn("CRL file {} did not load; its previous CRLs stay in use: {}", file, e.getMessage());
      }
    }
    if (any) {
      onFileChange.run();
    }
  }

  /**
   * The CRLs that may speak for a certificate: those given and loaded from files, and those of
   * its HTTP distribution points (from the cache, or fetched within the deadline).
   *
   * @param problems receives why a distribution point could not be read
   */
  List<LoadedCrl> crlsFor(List<DistributionPoint> points, long deadlineNanos, List<String> problems) {
    List<LoadedCrl> crls = new ArrayList<>(fixed);
    files.values().forEach(crls::addAll);
    crls.addAll(fetched.crlsFor(points, deadlineNanos, problems));
    return crls;
  }

  @Override
  public void close() {
    fetched.close();
    if (watcher != null) {
      watcher.close();
    }
  }
}
