package dev.mtls.core.watch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a few files and reports which of them changed content: the certificate, key and trust
 * files of a running service, its CRLs and its policy files, so that they can be reloaded without
 * a restart.
 *
 * <pre>{@code
 * try (FileWatcher watcher = FileWatcher.builder()
 *     .files(List.of(certificateFile, keyFile))
 *     .onChange(changed -> reload())   // changed: the configured paths whose content differs
 *     .build()) {
 *   watcher.start();
 *   ...
 * }
 * }</pre>
 *
 * <h2>Content, not events</h2>
 *
 * <p>Files get replaced in many ways: a temporary file renamed over the old one, a rewrite in
 * place, an editor that renames the original to a backup and writes a new file, delete and
 * recreate, the Kubernetes secret volume that points its {@code ..data} symlink at a new
 * timestamped directory, certbot's {@code live/} symlinks into {@code archive/}. Each produces
 * different file-system events, and some (the Kubernetes swap) never name the watched file at
 * all. So an event only means "look again": after any event in a watched directory, once the
 * directory has been quiet for the {@linkplain Builder#debounce(Duration) debounce} period, the
 * watcher reads every file, following symlinks, and compares the SHA-256 of its bytes with what
 * it saw last time. The listener receives the configured paths whose state differs; a file that
 * appeared, disappeared or became unreadable counts as changed, and a {@code touch} or a rewrite
 * with the same bytes is not reported. A configured path that is a directory (a directory of CA
 * files, say) is compared by the names and contents of the regular files in it, and is watched
 * itself as well as its parent. The new state is adopted whatever the listener does, so a
 * half-written file that fails to load is reported again when its writer finishes.
 *
 * <h2>Which directories</h2>
 *
 * <p>The parent of each file, the directory of every symlink on the way to it, and the directory
 * where the file really is ({@link Path#toRealPath}). The set is recomputed on every tick: when
 * a symlink points elsewhere, the new directory is watched and the old one dropped; a directory
 * that was deleted is looked for again on every tick. Registering a directory that was not
 * watched before (a new target, or a deleted directory that came back, or one renamed over)
 * triggers a check, so a symlink swapped anywhere on a file's path is noticed on the next tick
 * even where no event reports it.
 *
 * <h2>Threads</h2>
 *
 * <p>Each watcher has one daemon thread that ticks every {@code min(debounce, 100 ms)} (but not
 * more often than every 10 ms), drains the {@link java.nio.file.WatchService} without blocking
 * and runs the checks that are due. The listener runs on that thread, or on the thread that calls
 * {@link #checkNow()}, never concurrently with itself. An exception it throws is logged and the
 * watcher carries on. {@link #close()} stops the thread.
 *
 * <h2>Limitations</h2>
 *
 * <ul>
 *   <li>States are compared, edits are not counted: a file changed twice within one debounce
 *       period is reported once, and a file changed and changed back is not reported.
 *   <li>A steady stream of events in a watched directory (a log file next to the certificates)
 *       postpones a check by at most ten debounce periods. Every check reads every watched file,
 *       which suits certificates, keys, CRLs and policies, not large data files.
 *   <li>The JDK's watch service is backed by inotify on Linux and reports within milliseconds; on
 *       macOS it polls every few seconds, and network file systems may report nothing at all.
 *       A {@linkplain Builder#pollInterval(Duration) poll interval} is the safety net there.
 *   <li>A directory that cannot be watched (no permission, the inotify watch limit reached) is
 *       logged once and covered only by the poll interval.
 * </ul>
 */
public final class FileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String ABSENT = "absent";
  private static final String UNREADABLE = "unreadable";
  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_NANOS = Long.MAX_VALUE / 64; // about 4.5 years; sums stay far from overflow
  private static final int MAX_DEBOUNCES_PER_CHECK = 10;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final Map<Path, Path> files; // as configured -> absolute
  private final FileSystem fileSystem;
  private final long debounceNanos;
  private final long pollNanos; // 0: no polling
  private final boolean useWatchService;
  private final String threadName;
  private final Consumer<Set<Path>> listener;

  private final Object lifecycle = new Object();
  private final ReentrantLock checkLock = new ReentrantLock();
  private volatile boolean closed;
  private Thread thread; // guarded by lifecycle
  private WatchedDirectories directories; // null without a watch service; set before the thread starts
  private Map<Path, String> snapshot; // guarded by checkLock

  // Written by start() before the thread starts, then by the watcher thread only.
  private boolean pending;
  private long pendingSince;
  private long dueAt;
  private long nextPoll;

  private FileWatcher(Builder builder) {
    Map<Path, Path> absolute = new LinkedHashMap<>();
    builder.files.forEach(file -> absolute.put(file, file.toAbsolutePath()));
    this.files = Collections.unmodifiableMap(absolute);
    this.fileSystem = builder.files.iterator().next().getFileSystem();
    this.debounceNanos = nanos(builder.debounce == null ? Duration.ofMillis(200) : builder.debounce);
    this.pollNanos = builder.pollInterval == null ? 0 : nanos(builder.pollInterval);
    this.useWatchService = builder.watchService == null || builder.watchService;
    this.threadName = builder.threadName != null ? builder.threadName : "mtls-watch-" + COUNTER.incrementAndGet();
    this.listener = builder.listener;
  }

  /**
   * Starts building a watcher.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records the current state of every file, then starts watching. The listener is only called
   * for changes after this snapshot. May be called once.
   *
   * @throws IllegalStateException if already started or closed, or if no watch service can be
   *     opened and no {@linkplain Builder#pollInterval(Duration) poll interval} is set
   */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException(threadName + " is closed; build a new watcher");
      }
      if (thread != null) {
        throw new IllegalStateException(threadName + " was already started");
      }
      if (useWatchService) {
        directories = openWatchService();
      }
      if (directories != null) {
        directories.update(); // before the snapshot: a change after it always leaves an event
      }
      checkLock.lock();
      try {
        snapshot = takeSnapshot();
      } finally {
        checkLock.unlock();
      }
      nextPoll = System.nanoTime() + pollNanos;
      thread = new Thread(this::run, threadName);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * Checks the files now, on the calling thread, and calls the listener if any changed. Waits
   * for a check already running on the watcher's thread. Does nothing once closed.
   *
   * @throws IllegalStateException if {@link #start()} was not called
   */
  public void checkNow() {
    check(true);
  }

  /**
   * Returns the watched files, as configured.
   *
   * @return the files, in the order given, without duplicates
   */
  public Set<Path> files() {
    return files.keySet();
  }

  /**
   * Stops watching: ends the watcher's thread (waiting at most two seconds for a listener that is
   * running) and closes the watch service. Once this returns, the listener is not called again;
   * a listener call still running after those two seconds is logged and left to finish. Calling
   * this again does nothing.
   */
  @Override
  public void close() {
    Thread watcher;
    WatchedDirectories watched;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      watcher = thread;
      watched = directories;
    }
    long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    try {
      if (watcher != null && watcher != Thread.currentThread()) {
        LockSupport.unpark(watcher);
        watcher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (watcher.isAlive()) {
          LOG.warn("{} did not stop within {}: its change listener is still running", threadName, CLOSE_TIMEOUT);
        }
      }
      // Waits for a checkNow() running on another thread; returns at once on this one.
      if (checkLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        checkLock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (watched != null) {
      try {
        watched.close();
      } catch (IOException e) {
        LOG.debug("{}: closing the watch service failed", threadName, e);
      }
    }
  }

  private WatchedDirectories openWatchService() {
    try {
      return new WatchedDirectories(fileSystem.newWatchService(), files.values(), threadName);
    } catch (IOException | UnsupportedOperationException e) {
      if (pollNanos == 0) {
        throw new IllegalStateException("Cannot watch " + files.keySet()
            + ": no watch service; set a pollInterval to poll the files instead", e);
      }
      LOG.warn("{}: no watch service for {}; polling them instead", threadName, files.keySet(), e);
      return null;
    }
  }

  private void run() {
    while (!closed) {
      try {
        tick(System.nanoTime());
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("{}: watching failed; trying again on the next tick", threadName, e);
        }
      }
      Thread.interrupted(); // a listener's leftover interrupt would make parkNanos return at once
      LockSupport.parkNanos(this, Math.min(Math.max(debounceNanos, MIN_TICK_NANOS), MAX_TICK_NANOS));
    }
  }

  private void tick(long now) {
    if (directories != null) {
      boolean moved = directories.update();
      if (directories.drainEvents() || moved) {
        schedule(now, now + debounceNanos);
      }
    }
    if (pollNanos > 0 && now - nextPoll >= 0) {
      nextPoll = now + pollNanos;
      schedule(now, now);
    }
    if (pending && now - dueAt >= 0 && check(false)) {
      pending = false;
    }
  }

  /** Asks for a check at {@code at}, but no later than ten debounce periods after the first ask. */
  private void schedule(long now, long at) {
    if (!pending) {
      pending = true;
      pendingSince = now;
    }
    long latest = pendingSince + MAX_DEBOUNCES_PER_CHECK * debounceNanos;
    dueAt = at - latest < 0 ? at : latest;
  }

  /**
   * Runs a check unless one is running on another thread and {@code wait} is false.
   *
   * @return whether the check ran
   */
  private boolean check(boolean wait) {
    if (wait) {
      checkLock.lock();
    } else if (!checkLock.tryLock()) {
      return false;
    }
    try {
      if (closed) {
        return true;
      }
      if (snapshot == null) {
        throw new IllegalStateException("Call start() before checkNow() on " + threadName);
      }
      Map<Path, String> previous = snapshot;
      snapshot = takeSnapshot();
      Set<Path> changed = new LinkedHashSet<>();
      snapshot.forEach((file, state) -> {
        if (!state.equals(previous.get(file))) {
          changed.add(file);
        }
      });
      if (!changed.isEmpty() && !closed) {
        report(Collections.unmodifiableSet(changed));
      }
      return true;
    } finally {
      checkLock.unlock();
    }
  }

  private void report(Set<Path> changed) {
    LOG.debug("{}: content changed: {}", threadName, changed);
    try {
      listener.accept(changed);
    } catch (RuntimeException e) {
      LOG.warn("{}: the change listener threw on {}; it keeps receiving changes", threadName, changed, e);
    }
  }

  private Map<Path, String> takeSnapshot() {
    boolean interrupted = Thread.interrupted(); // an interrupted thread cannot read through NIO channels
    try {
      Map<Path, String> states = new LinkedHashMap<>();
      files.forEach((file, absolute) -> states.put(file, fingerprint(absolute)));
      return states;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The SHA-256 of the file's bytes in hex (for a directory: of the names and bytes of the
   * regular files in it, in name order), or {@code absent}, or {@code unreadable}.
   */
  private String fingerprint(Path file) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
    try {
      if (Files.isDirectory(file)) {
        List<Path> entries;
        try (Stream<Path> listing = Files.list(file)) {
          entries = listing.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path entry : entries) {
          digest.update(entry.getFileName().toString().getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(fingerprint(entry).getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(digest.digest());
      }
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchFileException e) {
      return ABSENT;
    } catch (IOException e) {
      LOG.debug("{}: {} is unreadable; counted as a state of its own", threadName, file, e);
      return UNREADABLE;
    }
  }

  private static long nanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(MAX_NANOS)) > 0 ? MAX_NANOS : duration.toNanos();
  }

  /**
   * Configures a {@link FileWatcher}. Each setter validates at once and may be called once; a
   * second call names the value already set. {@link #files(Collection)} and
   * {@link #onChange(Consumer)} are required.
   */
  public static final class Builder {
    private Set<Path> files;
    private Duration debounce;
    private Duration pollInterval;
    private Boolean watchService;
    private String threadName;
    private Consumer<Set<Path>> listener;

    private Builder() {}

    /**
     * Sets the files to watch. They need not exist yet: a file that appears is reported as
     * changed, and so is one that disappears. Relative paths are resolved against the working
     * directory when the watcher is built; the listener receives the paths as given. Required.
     *
     * @param files the files, at least one
     * @return this builder
     * @throws IllegalArgumentException if {@code files} is empty or holds a root directory
     */
    public Builder files(Collection<Path> files) {
      checkUnset("files", this.files);
      Objects.requireNonNull(files, "files");
      if (files.isEmpty()) {
        throw new IllegalArgumentException("files is empty: give at least one file to watch");
      }
      Set<Path> copy = new LinkedHashSet<>();
      for (Path file : files) {
        Objects.requireNonNull(file, "files contains null");
        if (file.toAbsolutePath().getParent() == null) {
          throw new IllegalArgumentException("Cannot watch " + file + ": it has no parent directory");
        }
        if (!copy.isEmpty() && file.getFileSystem() != copy.iterator().next().getFileSystem()) {
          throw new IllegalArgumentException("Cannot watch " + file + ": it is on another file system than "
              + copy.iterator().next() + "; use one watcher per file system");
        }
        copy.add(file);
      }
      this.files = Collections.unmodifiableSet(copy);
      return this;
    }

    /**
     * Sets how long a watched directory must be quiet after an event before the files are
     * checked, so that a file written in several steps is read once it is complete. A steady
     * stream of events postpones a check by at most ten such periods.
     *
     * <p>If unset, 200 ms.
     *
     * @param debounce zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code debounce} is negative
     */
    public Builder debounce(Duration debounce) {
      checkUnset("debounce", this.debounce);
      Objects.requireNonNull(debounce, "debounce");
      if (debounce.isNegative()) {
        throw new IllegalArgumentException("debounce is negative: " + debounce);
      }
      this.debounce = debounce;
      return this;
    }

    /**
     * Also checks the files at this interval, events or not: a safety net for file systems that
     * report no events (some network file systems) or report them late (macOS), and the only
     * source of checks when the watch service is off.
     *
     * <p>If unset, files are checked only after events and on {@link FileWatcher#checkNow()}.
     *
     * @param interval more than zero
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public Builder pollInterval(Duration interval) {
      checkUnset("pollInterval", this.pollInterval);
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive: " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Sets whether to listen for file-system events with the file system's
     * {@link java.nio.file.WatchService}. Without it, a {@link #pollInterval(Duration)} is required.
     *
     * <p>If unset, true. If the watch service cannot be opened and a poll interval is set, the
     * watcher logs a warning and polls.
     *
     * @param use whether to use the watch service
     * @return this builder
     */
    public Builder watchService(boolean use) {
      checkUnset("watchService", this.watchService);
      this.watchService = use;
      return this;
    }

    /**
     * Sets the name of the watcher's thread, which also prefixes its log messages.
     *
     * <p>If unset, {@code mtls-watch-N}, with N counting the watchers built in this JVM.
     *
     * @param name a non-blank name
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder threadName(String name) {
      checkUnset("threadName", this.threadName);
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("threadName is blank");
      }
      this.threadName = name;
      return this;
    }

    /**
     * Sets what to call when files change, with the configured paths whose content differs from
     * the last check (a file that appeared, disappeared or became unreadable included). Called on
     * the watcher's thread, or on the thread of {@link FileWatcher#checkNow()}, never
     * concurrently with itself. What it throws is logged; it is called again on the next change.
     * Required.
     *
     * @param listener receives an unmodifiable, non-empty set of paths
     * @return this builder
     */
    public Builder onChange(Consumer<Set<Path>> listener) {
      checkUnset("onChange", this.listener);
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the watcher; it watches nothing until {@link FileWatcher#start()}.
     *
     * @return the watcher
     * @throws IllegalStateException if files or the listener are missing, or the watch service
     *     is off without a poll interval
     */
    public FileWatcher build() {
      if (files == null) {
        throw new IllegalStateException("files(..) is required: the files to watch");
      }
      if (listener == null) {
        throw new IllegalStateException("onChange(..) is required: what to do when files change");
      }
      if (Boolean.FALSE.equals(watchService) && pollInterval == null) {
        throw new IllegalStateException(
            "watchService(false) needs a pollInterval(..): otherwise nothing would check " + files);
      }
      return new FileWatcher(this);
    }

    private static void checkUnset(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
