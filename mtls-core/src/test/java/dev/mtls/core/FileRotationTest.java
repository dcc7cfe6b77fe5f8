package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestTlsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways files change in deployments, each followed by a watching server configuration: real
 * handshakes before and after show which certificate the client was given.
 */
class FileRotationTest {
  private static final TestCa CA = TestCa.create();
  private static final TestCa OTHER_CA = TestCa.builder().name("Other CA").build();

  @TempDir Path dir;

  private final RotationTest.Recording events = new RotationTest.Recording(ReloadEvent.class);
  private TlsServer server;
  private TlsClient client;
  private TestTlsServer tls;

  @AfterEach
  void close() {
    if (tls != null) {
      tls.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Starts a watching server on these files, and a client that never resumes. */
  private void serve(Path chain, Path key) {
    server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate()))
        .reload(ReloadPolicy.watch().debounce(Duration.ofMillis(50)))
        .listeners(events).expiryWarnings().build();
    client = Mtls.client().identity(IdentitySource.of(CA.client("billing")))
        .trust(TrustSource.of(CA.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
    tls = TestTlsServer.start(server.sslContext());
  }

  private BigInteger served() throws IOException {
    return RotationTest.serverSerial(client, tls.port());
  }

  /** Waits for a reload with this outcome, skipping others (a pair of files may land apart). */
  private ReloadEvent awaitReload(ReloadEvent.Outcome outcome) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ReloadEvent event = (ReloadEvent) events.events.poll(100, TimeUnit.MILLISECONDS);
      if (event != null && event.outcome() == outcome) {
        return event;
      }
    }
    throw new AssertionError("no " + outcome + " reload within 10 s");
  }

  private static String chainPem(CertifiedKey identity) {
    return Pem.writeCertificates(identity.chain());
  }

  private static String keyPem(CertifiedKey identity) {
    return Pem.writePrivateKey(identity.privateKey());
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void kubernetesSecretVolume_atomicDataSymlinkSwap() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path secret = Files.createDirectories(dir.resolve("secret"));
    Path v1 = Files.createDirectories(secret.resolve("..2026_11_29_10_00_00.000000001"));
    Files.writeString(v1.resolve("tls.crt"), chainPem(first));
    Files.writeString(v1.resolve("tls.key"), keyPem(first));
    Files.createSymbolicLink(secret.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data", "tls.crt"));
    Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data", "tls.key"));
    serve(secret.resolve("tls.crt"), secret.resolve("tls.key"));
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

    // What the kubelet does: a new timestamped directory, a new link renamed over ..data.
    Path v2 = Files.createDirectories(secret.resolve("..2026_11_29_10_05_00.000000002"));
    Files.writeString(v2.resolve("tls.crt"), chainPem(second));
    Files.writeString(v2.resolve("tls.key"), keyPem(second));
    Files.createSymbolicLink(secret.resolve("..data_tmp"), v2.getFileName());
    Files.move(secret.resolve("..data_tmp"), secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    deleteTree(v1);

    ReloadEvent changed = awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(changed.current().get(0).serial()).isEqualTo(second.certificate().getSerialNumber());
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void renameOver() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    serve(chain, key);
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

    RotationUnderLoadTest.write(chain, key, second);

    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void editorThatKeepsABackupAndWritesANewFile() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    serve(chain, key);
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

    // vim's default: rename the original to a backup, write a new file, remove the backup.
    for (Path file : new Path[] {chain, key}) {
      Path backup = file.resolveSibling(file.getFileName() + "~");
      Files.move(file, backup);
      Files.writeString(file, file == chain ? chainPem(second) : keyPem(second));
      Files.delete(backup);
    }

    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void deletedThenRecreated_oldMaterialServesInBetween() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    serve(chain, key);

    Files.delete(chain);
    Files.delete(key);
    ReloadEvent failed = awaitReload(ReloadEvent.Outcome.FAILED);
    assertThat(failed.message()).contains(chain.toString());
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

    RotationTest.writeIdentity(chain, key, second);
    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void directoryThatDisappearsForAWhile() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Path chain = certs.resolve("server.crt");
    Path key = certs.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    serve(chain, key);

    deleteTree(certs);
    awaitReload(ReloadEvent.Outcome.FAILED);
    Thread.sleep(1000);
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());
    Files.createDirectories(certs);
    RotationTest.writeIdentity(chain, key, second);

    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void certbotLiveLinksRepointedToANewArchiveVersion() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path archive = Files.createDirectories(dir.resolve("archive/example.org"));
    Path live = Files.createDirectories(dir.resolve("live/example.org"));
    Files.writeString(archive.resolve("fullchain1.pem"), chainPem(first));
    Files.writeString(archive.resolve("privkey1.pem"), keyPem(first));
    Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/example.org/fullchain1.pem"));
    Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../../archive/example.org/privkey1.pem"));
    serve(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

    Files.writeString(archive.resolve("fullchain2.pem"), chainPem(second));
    Files.writeString(archive.resolve("privkey2.pem"), keyPem(second));
    for (String name : new String[] {"fullchain", "privkey"}) {
      Path link = live.resolve(name + ".pem.new");
      Files.createSymbolicLink(link, Path.of("../../archive/example.org/" + name + "2.pem"));
      Files.move(link, live.resolve(name + ".pem"), StandardCopyOption.ATOMIC_MOVE);
    }

    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void halfWrittenFile_isRefusedThenPickedUpWhenComplete() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    serve(chain, key);

    // A writer that has got half way through the chain file (the key is not written yet).
    String pem = chainPem(second);
    Files.write(chain, pem.substring(0, pem.length() / 2).getBytes(StandardCharsets.US_ASCII));
    assertThat(awaitReload(ReloadEvent.Outcome.FAILED).message()).contains("(truncated?)");
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

    Files.writeString(chain, pem);
    Files.writeString(key, keyPem(second));
    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }

  @Test
  void renewalRefusedForAPassingReason_isRetriedWithoutAnotherFileChange() throws Exception {
    CertifiedKey first = CA.server("localhost");
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).clockSkew(Duration.ZERO)
        .reload(ReloadPolicy.watch().debounce(Duration.ofMillis(50)))
        .listeners(events).expiryWarnings().build();
    client = Mtls.client().identity(IdentitySource.of(CA.client("billing")))
        .trust(TrustSource.of(CA.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
    tls = TestTlsServer.start(server.sslContext());

    // Issued by a CA whose clock runs a little ahead: valid from two seconds from now.
    java.time.Instant now = java.time.Instant.now();
    CertifiedKey early = CA.leaf(dev.mtls.pki.CertificateRole.SERVER).names("localhost")
        .validity(now.plusSeconds(2), now.plus(Duration.ofDays(1))).issue();
    RotationUnderLoadTest.write(chain, key, early);

    assertThat(awaitReload(ReloadEvent.Outcome.FAILED).message()).contains("is not valid until");
    assertThat(served()).isEqualTo(first.certificate().getSerialNumber());
    awaitReload(ReloadEvent.Outcome.CHANGED); // no file changed since: a retry picked it up
    assertThat(served()).isEqualTo(early.certificate().getSerialNumber());
  }

  @Test
  void trustFileRewritten_newClientCaAcceptedWithoutRestart() throws Exception {
    Path trust = dir.resolve("clients.pem");
    Files.writeString(trust, Pem.writeCertificates(CA.certificate()));
    server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.pemFile(trust)).reload(ReloadPolicy.watch().debounce(Duration.ofMillis(50)))
        .listeners(events).expiryWarnings().build();
    client = Mtls.client().identity(IdentitySource.of(OTHER_CA.client("newcomer")))
        .trust(TrustSource.of(CA.certificate())).listeners().build();
    tls = TestTlsServer.start(server.sslContext());

    RotationUnderLoadTest.replace(trust, Pem.writeCertificates(CA.certificate(), OTHER_CA.certificate()));

    ReloadEvent changed = awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(changed.material()).isEqualTo(ReloadEvent.Material.TRUST);
    Connections.exchange(client.socketFactory(), "localhost", tls.port());
    assertThat(tls.awaitConnection(Duration.ofSeconds(10)).clientChain().get(0).getIssuerX500Principal())
        .isEqualTo(OTHER_CA.certificate().getSubjectX500Principal());
  }

  @Test
  void trustDirectory_caFileDroppedIn_acceptedWithoutRestart() throws Exception {
    Path cas = Files.createDirectories(dir.resolve("client-cas"));
    Files.writeString(cas.resolve("ca.pem"), Pem.writeCertificates(CA.certificate()));
    server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.pemDirectory(cas)).reload(ReloadPolicy.watch().debounce(Duration.ofMillis(50)))
        .listeners(events).expiryWarnings().build();
    client = Mtls.client().identity(IdentitySource.of(OTHER_CA.client("newcomer")))
        .trust(TrustSource.of(CA.certificate())).listeners().build();
    tls = TestTlsServer.start(server.sslContext());

    Files.writeString(cas.resolve("other.pem"), Pem.writeCertificates(OTHER_CA.certificate()));

    ReloadEvent changed = awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(changed.current()).hasSize(2);
    Connections.exchange(client.socketFactory(), "localhost", tls.port());
    assertThat(tls.awaitConnection(Duration.ofSeconds(10)).handshakeSucceeded()).isTrue();
  }

  @Test
  void pollingPolicy_picksUpAChangeWithoutFileSystemEvents() throws Exception {
    CertifiedKey first = CA.server("localhost");
    CertifiedKey second = CA.server("localhost");
    Path chain = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    RotationTest.writeIdentity(chain, key, first);
    server = Mtls.server().identity(IdentitySource.pemFiles(chain, key))
        .trust(TrustSource.of(CA.certificate())).reload(ReloadPolicy.poll(Duration.ofMillis(200)))
        .listeners(events).expiryWarnings().build();
    client = Mtls.client().identity(IdentitySource.of(CA.client("billing")))
        .trust(TrustSource.of(CA.certificate())).resumption(ResumptionPolicy.disabled())
        .listeners().build();
    tls = TestTlsServer.start(server.sslContext());

    RotationUnderLoadTest.write(chain, key, second);

    awaitReload(ReloadEvent.Outcome.CHANGED);
    assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
  }
}
