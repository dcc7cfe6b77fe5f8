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
 * client's identities are rotated through their files every 200 ms, every fourth rotation to
 * material that must be refused. No handshake may fail, every handshake must present exactly the
 * chain of one good identity, and no broken material may ever be served.
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

  /** Writes the n-th rotation for one side; every fourth is broken in one of four ways. */
  static void rotate(int n, CertificateRole role, Path chain, Path key, Issued issued)
      throws IOException {
    String name = role == CertificateRole.SERVER ? "localhost" : "billing";
    if (n % 4 != 3) {
      CertifiedKey identity = role == CertificateRole.SERVER ? CA.server(name) : CA.client(name);
      issued.good(identity);
      write(chain, key, identity);
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
    replace(chain, Pem.writeCertificates(broken.chain()));
    replace(key, Pem.writePrivateKey(broken.privateKey()));
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
    Path serverChain = dir.resolve("server.crt");
    Path serverKey = dir.resolve("server.key");
    Path clientChain = dir.resolve("client.crt");
    Path clientKey = dir.resolve("client.key");
    Issued servers = new Issued();
    Issued clients = new Issued();
    CertifiedKey firstServer = CA.server("localhost");
    CertifiedKey firstClient = CA.client("billing");
    servers.good(firstServer);
    clients.good(firstClient);
    write(serverChain, serverKey, firstServer);
    write(clientChain, clientKey, firstClient);
    ReloadPolicy watch = ReloadPolicy.watch().debounce(Duration.ofMillis(20));
    Reloads serverReloads = new Reloads();
    Reloads clientReloads = new Reloads();

    try (TlsServer server = Mtls.server().identity(IdentitySource.pemFiles(serverChain, serverKey))
        .trust(TrustSource.of(CA.certificate())).identityAnchors(TrustSource.of(CA.certificate()))
        .reload(watch).listeners(serverReloads).expiryWarnings().build();
        TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(clientChain, clientKey))
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
            rotate(n, CertificateRole.SERVER, serverChain, serverKey, servers);
            rotate(n, CertificateRole.CLIENT, clientChain, clientKey, clients);
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
        // ...and every broken renewal was refused, not skipped.
        assertThat(serverReloads.failed.get()).isGreaterThanOrEqualTo(rotations / 4);
        assertThat(clientReloads.failed.get()).isGreaterThanOrEqualTo(rotations / 4);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
