package dev.mtls.core.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files changed the ways deployment tools and editors change them; no mocks. */
class FileWatcherTest {
  private static final Duration DEBOUNCE = Duration.ofMillis(100);

  @TempDir
  Path dir;

  private final BlockingQueue<Set<Path>> changes = new LinkedBlockingQueue<>();
  private FileWatcher watcher;

  @AfterEach
  void closeWatcher() {
    if (watcher != null) {
      watcher.close();
    }
  }

  @Test
  void renameOver_reportsOnlyTheReplacedFile() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "cert v1");
    Path key = write(dir.resolve("tls.key"), "key v1");
    start(watching(cert, key));

    replace(cert, "cert v2");

    assertThat(nextChange()).containsExactly(cert);
    assertNoChange();
  }

  @Test
  void directory_reportsAddedChangedAndRemovedFilesButNotSubdirectories() throws Exception {
    Path cas = Files.createDirectory(dir.resolve("cas"));
    write(cas.resolve("a.pem"), "a v1");
    start(watching(cas));

    write(cas.resolve("b.pem"), "b v1");
    assertThat(nextChange()).containsExactly(cas);
    Files.writeString(cas.resolve("a.pem"), "a v2");
    assertThat(nextChange()).containsExactly(cas);
    Files.delete(cas.resolve("b.pem"));
    assertThat(nextChange()).containsExactly(cas);
    Files.createDirectory(cas.resolve("sub"));
    write(cas.resolve("sub").resolve("c.pem"), "ignored");
    assertNoChange();
  }

  @Test
  void rewriteInPlace_reportsTheFile() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(watching(cert));

    Files.writeString(cert, "v2");

    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void editorBackupThenNewFile_reportsTheFile() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(watching(cert));

    Path backup = dir.resolve("tls.crt~");
    Files.move(cert, backup);
    write(cert, "v2");
    Files.delete(backup);

    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void deleteThenRecreate_reportsBoth() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(watching(cert));

    Files.delete(cert);
    assertThat(nextChange()).containsExactly(cert);

    write(cert, "v1");
    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void missingAtStart_appears_reportsTheFile() throws Exception {
    Path cert = dir.resolve("tls.crt");
    start(watching(cert));

    replace(cert, "v1");

    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void kubernetesSecretSwap_reportsTheFileOnEverySwap() throws Exception {
    // The layout of a secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>
    Path mount = Files.createDirectory(dir.resolve("secret"));
    Path first = Files.createDirectory(mount.resolve("..2026_11_29_10_00_00.1"));
    write(first.resolve("tls.crt"), "v1");
    Files.createSymbolicLink(mount.resolve("..data"), first.getFileName());
    Path cert = Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data", "tls.crt"));
    start(watching(cert));

    kubernetesSwap(mount, "..2026_11_29_11_00_00.2", "v2");
    assertThat(nextChange()).containsExactly(cert);
    assertThat(Files.readString(cert)).isEqualTo("v2");

    kubernetesSwap(mount, "..2026_11_29_12_00_00.3", "v3");
    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void certbotSymlinkReplaced_reportsTheLink() throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive/site"));
    Path live = Files.createDirectories(dir.resolve("live/site"));
    write(archive.resolve("fullchain1.pem"), "v1");
    Path chain = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/site/fullchain1.pem"));
    start(watching(chain));

    write(archive.resolve("fullchain2.pem"), "v2");
    Path newLink = Files.createSymbolicLink(live.resolve("fullchain.pem.new"),
        Path.of("../../archive/site/fullchain2.pem"));
    Files.move(newLink, chain, StandardCopyOption.ATOMIC_MOVE);

    assertThat(nextChange()).containsExactly(chain);
  }

  @Test
  void certbotTargetModifiedInPlace_reportsTheLink() throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive/site"));
    Path live = Files.createDirectories(dir.resolve("live/site"));
    Path target = write(archive.resolve("fullchain1.pem"), "v1");
    Path chain = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/site/fullchain1.pem"));
    start(watching(chain));

    Files.writeString(target, "v2"); // in archive/site, a directory the link is not in

    assertThat(nextChange()).containsExactly(chain);
  }

  @Test
  void directoryDeletedThenRecreated_reportsBoth() throws Exception {
    Path conf = Files.createDirectory(dir.resolve("conf"));
    Path cert = write(conf.resolve("tls.crt"), "v1");
    start(watching(cert));

    Files.delete(cert);
    Files.delete(conf);
    assertThat(nextChange()).containsExactly(cert);

    Thread.sleep(1000); // the scenario: the directory stays away for a while
    Files.createDirectory(conf);
    write(cert, "v2");
    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void directoryRenamedAwayAndReplaced_reportsTheFile() throws Exception {
    Path conf = Files.createDirectory(dir.resolve("conf"));
    Path cert = write(conf.resolve("tls.crt"), "v1");
    Path next = Files.createDirectory(dir.resolve("conf.new"));
    write(next.resolve("tls.crt"), "v2");
    start(watching(cert));

    // No event reaches the watched directory: it is renamed, not changed.
    Files.move(conf, dir.resolve("conf.old"));
    Files.move(next, conf);

    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void touch_withoutContentChange_reportsNothing() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(watching(cert));

    Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(3600)));
    assertNoChange();

    replace(cert, "v2"); // the one real change: exactly one report
    assertThat(nextChange()).containsExactly(cert);
    assertNoChange();
  }

  @Test
  void writesWithinDebounce_reportOnce() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(FileWatcher.builder().files(List.of(cert)).debounce(Duration.ofSeconds(1)).onChange(changes::add));

    long firstWrite = System.nanoTime();
    for (int i = 2; i <= 6; i++) {
      replace(cert, "v" + i);
      Thread.sleep(20);
    }

    assertThat(nextChange()).containsExactly(cert);
    assertThat(Duration.ofNanos(System.nanoTime() - firstWrite)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertNoChange();
  }

  @Test
  void pollIntervalWithoutWatchService_reportsTheFile() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(watching(cert).watchService(false).pollInterval(Duration.ofMillis(100)));

    replace(cert, "v2");

    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void checkNow_reportsOnTheCallersThread() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    AtomicReference<Thread> calledOn = new AtomicReference<>();
    start(FileWatcher.builder().files(List.of(cert)).watchService(false).pollInterval(Duration.ofHours(1))
        .onChange(files -> {
          calledOn.set(Thread.currentThread());
          changes.add(files);
        }));

    watcher.checkNow();
    assertThat(changes).isEmpty();

    Files.writeString(cert, "v2");
    watcher.checkNow();

    assertThat(changes.poll()).containsExactly(cert);
    assertThat(calledOn.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void checkNow_beforeStart_isRefused() {
    FileWatcher unstarted = watching(dir.resolve("tls.crt")).threadName("watch-unstarted").build();

    assertThatThrownBy(unstarted::checkNow)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Call start() before checkNow() on watch-unstarted");
  }

  @Test
  void close_endsTheThreadAndTheReports() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    String name = "file-watcher-test-" + System.nanoTime();
    start(watching(cert).threadName(name));
    assertThat(threadAlive(name)).isTrue();

    watcher.close();
    watcher.close();

    assertThat(threadAlive(name)).isFalse();
    replace(cert, "v2");
    watcher.checkNow();
    assertNoChange();
  }

  @Test
  void throwingListener_keepsReceivingChanges() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(FileWatcher.builder().files(List.of(cert)).debounce(DEBOUNCE).onChange(files -> {
      changes.add(files);
      throw new IllegalStateException("a listener failure, thrown on purpose by this test");
    }));

    replace(cert, "v2");
    assertThat(nextChange()).containsExactly(cert);

    replace(cert, "v3");
    assertThat(nextChange()).containsExactly(cert);
  }

  @Test
  void start_twice_isRefused() throws Exception {
    Path cert = write(dir.resolve("tls.crt"), "v1");
    start(watching(cert).threadName("watch-twice"));

    assertThatThrownBy(watcher::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("watch-twice was already started");
  }

  @Test
  void build_withoutFiles_isRefused() {
    assertThatThrownBy(() -> FileWatcher.builder().onChange(changes::add).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("files(..) is required: the files to watch");
  }

  @Test
  void build_withoutWatchServiceOrPollInterval_isRefused() {
    Path cert = dir.resolve("tls.crt");
    assertThatThrownBy(() -> watching(cert).watchService(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("watchService(false) needs a pollInterval(..): otherwise nothing would check [" + cert + "]");
  }

  @Test
  void debounce_setTwice_namesTheValueAlreadySet() {
    assertThatThrownBy(() -> FileWatcher.builder().debounce(DEBOUNCE).debounce(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("debounce was already set to PT0.1S");
  }

  private FileWatcher.Builder watching(Path... files) {
    return FileWatcher.builder().files(List.of(files)).debounce(DEBOUNCE).onChange(changes::add);
  }

  private void start(FileWatcher.Builder builder) {
    watcher = builder.build();
    watcher.start();
  }

  private Set<Path> nextChange() throws InterruptedException {
    Set<Path> changed = changes.poll(5, TimeUnit.SECONDS);
    assertThat(changed).as("a change reported within 5 s").isNotNull();
    return changed;
  }

  private void assertNoChange() throws InterruptedException {
    assertThat(changes.poll(500, TimeUnit.MILLISECONDS)).as("no change reported").isNull();
  }

  private static Path write(Path file, String content) throws IOException {
    return Files.writeString(file, content);
  }

  /** Writes a temporary file and renames it over {@code file}, atomically. */
  private static void replace(Path file, String content) throws IOException {
    Path temporary = write(file.resolveSibling(file.getFileName() + ".tmp"), content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /** What the kubelet does: new timestamped directory, {@code ..data} renamed over, old one deleted. */
  private static void kubernetesSwap(Path mount, String timestamp, String content) throws IOException {
    Path next = Files.createDirectory(mount.resolve(timestamp));
    write(next.resolve("tls.crt"), content);
    Path data = mount.resolve("..data");
    Path previous = mount.resolve(Files.readSymbolicLink(data));
    Path temporary = Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of(timestamp));
    Files.move(temporary, data, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(previous.resolve("tls.crt"));
    Files.delete(previous);
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name));
  }
}
