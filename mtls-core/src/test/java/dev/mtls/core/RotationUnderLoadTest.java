package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestTlsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads handshake continuously over loopback for ten seconds while the server's and the
 * client's identities are rotated through Kubernetes-style secret volumes every 200 ms, every
 * fourth rotation to material that must be refused. The client never resumes, so every
 * handshake is full and presents a certificate chain and proves its key. No handshake may fail,
 * every handshake must present exactly the chain of one good identity, and no broken material may
 * ever be served.
 */
class RotationUnderLoadTest {
  private static final TestCa CA = TestCa.create();
  private static final TestCa OTHER_CA = TestCa.builder().name("Other CA").build();
  private static final Duration RUN = Duration.ofSeconds(10);
  private static final Duration ROTATION = Duration.ofMillis(200);
  private static final int THREADS = 4;

  @TempDir Path dir;

  /** What one side has been given: good chains by leaf fingerprint, and broken leaves. */
  static final class Issued {
    final Map<String, List<X509Certificate>> good = new ConcurrentHashMap<>();
    final Set<String> broken = ConcurrentHashMap.newKeySet();

    void good(CertifiedKey identity) {
      good.put(Certificates.sha256Fingerprint(identity.certificate()), identity.chain());
    }
  }

  /** Replaces a file the way deployment tools do: write a temporary file, rename it over. */
  static void replace(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void write(Path chain, Path key, CertifiedKey identity) throws IOException {
    replace(chain, Pem.writeCertificates(identity.chain()));
    replace(key, Pem.writePrivateKey(identity.privateKey()));
  }

  /**
   * A Kubernetes-style secret volume: {@code tls.crt} and {@code tls.key} are links through a
   * {@code ..data} link that each update swaps atomically, so the pair always changes together.
   */
  static final class SecretVolume {
    private final Path mount;
    private int version;
    private Path current;

    SecretVolume(Path mount, CertifiedKey first) throws IOException {
      this.mount = Files.createDirectories(mount);
      publish(first);
      Files.createSymbolicLink(chain(), Path.of("..data", "tls.crt"));
      Files.createSymbolicLink(key(), Path.of("..data", "tls.key"));
    }

    Path chain() {
      return mount.resolve("tls.crt");
    }

    Path key() {
      return mount.resolve("tls.key");
    }

    void publish(CertifiedKey identity) throws IOException {
      Path next = Files.createDirectory(mount.resolve("..v" + (++version)));
      Files.writeString(next.resolve("tls.crt"), Pem.writeCertificates(identity.chain()));
      Files.writeString(next.resolve("tls.key"), Pem.writePrivateKey(identity.privateKey()));
      Path link = mount.resolve("..data_tmp");
      Files.createSymbolicLink(link, next.getFileName());
      Files.move(link, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      if (current != null) {
        Files.delete(current.resolve("tls.crt"));
        Files.delete(current.resolve("tls.key"));
        Files.delete(current);
      }
      current = next;
    }
  }

  /** Publishes the n-th rotation for one side; every fourth is broken in one of four ways. */
  static void rotate(int n, CertificateRole role, SecretVolume volume, Issued issued)
      throws IOException {
    String name = role == CertificateRole.SERVER ? "localhost" : "billing";
    if (n % 4 != 3) {
      CertifiedKey identity = role == CertificateRole.SERVER ? CA.server(name) : CA.client(name);
      issued.good(identity);
      volume.publish(identity);
      return;
    }
    CertifiedKey broken = switch ((n / 4) % 4) {
      case 0 -> CA.broken(role).expired();
      case 1 -> role == CertificateRole.SERVER ? CA.client(name) : CA.server(name); // wrong EKU
      case 2 -> OTHER_CA.leaf(role).names("localhost").commonName(name).issue(); // wrong CA
      default -> {
        // A certificate with somebody else's key.
        CertifiedKey other = role == CertificateRole.SERVER ? CA.server(name) : CA.client(name);
        CertifiedKey mine = role == CertificateRole.SERVER ? CA.server(name) : CA.client(name);
        yield new CertifiedKey(other.privateKey(), mine.chain());
      }
    };
    issued.broken.add(Certificates.sha256Fingerprint(broken.certificate()));
    volume.publish(broken);
  }

  /** Counts reload outcomes. */
  static final class Reloads implements MtlsListener {
    final AtomicInteger changed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    @Override
    public void onHandshake(HandshakeEvent event) {}

    @Override
    public void onReload(ReloadEvent event) {
      (event.changed() ? changed : failed).incrementAndGet();
    }
  }

  @Test
  void continuousHandshakes_whileBothIdentitiesRotate_neverFailAndNeverServeBrokenMaterial()
      throws Exception {
    Issued servers = new Issued();
    Issued clients = new Issued();
    CertifiedKey firstServer = CA.server("localhost");
    CertifiedKey firstClient = CA.client("billing");
    servers.good(firstServer);
    clients.good(firstClient);
    SecretVolume serverVolume = new SecretVolume(dir.resolve("server"), firstServer);
    SecretVolume clientVolume = new SecretVolume(dir.resolve("client"), firstClient);
    ReloadPolicy watch = ReloadPolicy.watch().debounce(Duration.ofMillis(20));
    Reloads serverReloads = new Reloads();
    Reloads clientReloads = new Reloads();

    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(serverVolume.chain(), serverVolume.key()))
        .trust(TrustSource.of(CA.certificate())).identityAnchors(TrustSource.of(CA.certificate()))
        .reload(watch).listeners(serverReloads).expiryWarnings().build();
        TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(clientVolume.chain(), clientVolume.key()))
            .trust(TrustSource.of(CA.certificate())).identityAnchors(TrustSource.of(CA.certificate()))
            .resumption(ResumptionPolicy.disabled()).reload(watch).listeners(clientReloads)
            .expiryWarnings().build();
        TestTlsServer tls = TestTlsServer.start(server.sslContext())) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      long deadline = System.nanoTime() + RUN.toNanos();
      AtomicLong handshakes = new AtomicLong();
      List<String> problems = new ArrayList<>();
      Map<String, AtomicInteger> serversSeen = new ConcurrentHashMap<>();
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          workers.add(pool.submit(() -> {
            while (System.nanoTime() < deadline) {
              try {
                SSLSession session = Connections.exchange(client.socketFactory(), "localhost", tls.port());
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : session.getPeerCertificates()) {
                  chain.add((X509Certificate) c);
                }
                String leaf = Certificates.sha256Fingerprint(chain.get(0));
                if (!chain.equals(servers.good.get(leaf))) {
                  synchronized (problems) {
                    problems.add("client saw a server chain that is not a good identity's: " + leaf
                        + (servers.broken.contains(leaf) ? " (BROKEN material)" : ""));
                  }
                }
                serversSeen.computeIfAbsent(leaf, k -> new AtomicInteger()).incrementAndGet();
                handshakes.incrementAndGet();
              } catch (IOException e) {
                synchronized (problems) {
                  problems.add("client handshake failed: " + e);
                }
              }
            }
            return null;
          }));
        }
        Future<?> rotator = pool.submit(() -> {
          int n = 0;
          while (System.nanoTime() < deadline - ROTATION.toNanos()) {
            Thread.sleep(ROTATION.toMillis());
            rotate(n, CertificateRole.SERVER, serverVolume, servers);
            rotate(n, CertificateRole.CLIENT, clientVolume, clients);
            n++;
          }
          return n;
        });
        for (Future<?> worker : workers) {
          worker.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
        }
        int rotations = (Integer) rotator.get(30, TimeUnit.SECONDS);

        List<TestTlsServer.Connection> connections = tls.connections();
        Map<String, AtomicInteger> clientsSeen = new ConcurrentHashMap<>();
        for (TestTlsServer.Connection connection : connections) {
          if (!connection.handshakeSucceeded()) {
            problems.add("server handshake failed: " + connection.failure());
            continue;
          }
          String leaf = Certificates.sha256Fingerprint(connection.clientChain().get(0));
          if (!connection.clientChain().equals(clients.good.get(leaf))) {
            problems.add("server saw a client chain that is not a good identity's: " + leaf
                + (clients.broken.contains(leaf) ? " (BROKEN material)" : ""));
          }
          clientsSeen.computeIfAbsent(leaf, k -> new AtomicInteger()).incrementAndGet();
        }
        System.out.printf("rotation under load: %d handshakes by %d threads in %s; %d rotations per"
            + " side (%d broken); server identities seen %d, client identities seen %d;"
            + " reloads changed/refused: server %d/%d, client %d/%d%n", handshakes.get(), THREADS,
            RUN, rotations, rotations / 4, serversSeen.size(), clientsSeen.size(),
            serverReloads.changed.get(), serverReloads.failed.get(), clientReloads.changed.get(),
            clientReloads.failed.get());

        assertThat(problems).isEmpty();
        assertThat(connections).hasSize((int) handshakes.get());
        assertThat(rotations).isGreaterThanOrEqualTo(30);
        // Rotation really happened under load: many identities were served on both sides...
        assertThat(serversSeen).hasSizeGreaterThan(10);
        assertThat(clientsSeen).hasSizeGreaterThan(10);
        // ...broken renewals were refused, and nothing else was: each update swaps both files at
        // once, so there is no half-updated pair to refuse. (A watcher that falls more than one
        // rotation behind would skip some updates, good or broken, without reading them.)
        int broken = servers.broken.size();
        assertThat(serverReloads.failed.get()).isPositive().isLessThanOrEqualTo(broken);
        assertThat(clientReloads.failed.get()).isPositive().isLessThanOrEqualTo(broken);
        assertThat(serverReloads.changed.get()).isLessThanOrEqualTo(rotations - broken);
        assertThat(clientReloads.changed.get()).isLessThanOrEqualTo(rotations - broken);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
