package dev.mtls.http.policy;

import dev.mtls.core.Slf4jListener;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.watch.FileWatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AccessPolicy} read from a file and read again whenever the file's content changes,
 * without a restart. A change that does not parse is refused: the policy in force stays in force,
 * and the failure is logged and kept ({@link #lastFailure()}) until a later version of the file
 * parses.
 *
 * <pre>{@code
 * try (ReloadingAccessPolicy policy = ReloadingAccessPolicy.watch(Path.of("/etc/mtls/access.policy"))) {
 *   AccessDecision decision = policy.decide(principal, method, rawPath);
 *   ...
 * }
 * }</pre>
 *
 * <p>Changes are noticed by a {@link FileWatcher}: by content, after the directory has been quiet
 * for the debounce period, so rename-over, in-place rewrites, editors' backup dances and
 * Kubernetes ConfigMap symlink swaps are all seen. A swap is atomic: each decision is made by one
 * whole policy, old or new. Replace the file atomically (write a temporary file, then rename it
 * over the old one) where you can; a file caught half-written either fails to parse and is read
 * again when complete, or, if the cut falls between lines, is read as a shorter policy until the
 * rest arrives a moment later.
 *
 * <p>Each reload that changes the policy or fails writes one line to the SLF4J logger
 * {@code dev.mtls.events}, in the {@code key=value} format of the handshake events (see
 * {@link Slf4jListener}; the failure is one line, wrapped here):
 *
 * <pre>
 * event=reload material=policy outcome=changed source=/etc/mtls/access.policy rules=4
 * event=reload material=policy outcome=failed source=/etc/mtls/access.policy
 *     message="/etc/mtls/access.policy: line 3: found 'permit'; expected allow or deny"
 * </pre>
 *
 * <p>The watcher runs on one daemon thread, {@code mtls-policy-N}; {@link #close()} stops it.
 */
public final class ReloadingAccessPolicy implements AutoCloseable {
  private static final Logger EVENTS = LoggerFactory.getLogger("dev.mtls.events");
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Path file;
  private final String source;
  private final FileWatcher watcher;
  private final Object reloading = new Object();
  private volatile AccessPolicy current;
  private volatile PolicyException lastFailure;
  private String currentText; // guarded by reloading

  private ReloadingAccessPolicy(Builder builder) {
    this.file = builder.file;
    this.source = file.toString();
    FileWatcher.Builder watching = FileWatcher.builder()
        .files(List.of(file))
        .threadName(builder.threadName != null ? builder.threadName : "mtls-policy-" + COUNTER.incrementAndGet())
        .onChange(changed -> reloadQuietly());
    if (builder.debounce != null) {
      watching.debounce(builder.debounce);
    }
    if (builder.pollInterval != null) {
      watching.pollInterval(builder.pollInterval);
    }
    this.watcher = watching.build();
  }

  /** Starts watching, then reads the file: a change after the watcher's first look is never missed. */
  private ReloadingAccessPolicy start() {
    watcher.start();
    try {
      synchronized (reloading) {
        String text = PolicyParser.decode(source, PolicyParser.readBytes(file, source));
        if (!text.equals(currentText)) { // unless a change the watcher saw was loaded already
          current = parse(text);
          currentText = text;
        }
      }
      return this;
    } catch (PolicyException e) {
      watcher.close();
      throw e;
    }
  }

  /**
   * Reads a policy file and watches it, with the watcher's defaults (200 ms debounce, no polling).
   *
   * @param file the policy file
   * @return the policy; close it to stop watching
   * @throws PolicyException if the file cannot be read or has an error
   */
  public static ReloadingAccessPolicy watch(Path file) {
    return builder(file).build();
  }

  /**
   * Starts configuring a reloading policy.
   *
   * @param file the policy file
   * @return a new builder
   */
  public static Builder builder(Path file) {
    return new Builder(Objects.requireNonNull(file, "file"));
  }

  /**
   * Returns the policy in force: the last version of the file that parsed.
   *
   * @return the policy
   */
  public AccessPolicy current() {
    return current;
  }

  /**
   * Decides a request with the policy in force; see {@link AccessPolicy#decide(MtlsPrincipal,
   * String, String)}.
   *
   * @param principal the client's verified principal, or null if it has none
   * @param method the request method
   * @param rawPath the request path as received
   * @return the decision
   */
  public AccessDecision decide(MtlsPrincipal principal, String method, String rawPath) {
    return current.decide(principal, method, rawPath);
  }

  /**
   * Reads the file now, on this thread, and puts it in force if it parses and differs from the
   * policy in force. Automatic reloads call this too; reloads run one at a time.
   *
   * @return true if a new policy is now in force, false if the file held the policy in force
   * @throws PolicyException if the file cannot be read or has an error; the policy in force stays
   */
  public boolean reload() {
    synchronized (reloading) {
      String text;
      AccessPolicy policy;
      try {
        text = PolicyParser.decode(source, PolicyParser.readBytes(file, source));
        policy = text.equals(currentText) ? null : parse(text);
      } catch (PolicyException e) {
        lastFailure = e;
        if (EVENTS.isWarnEnabled()) {
          EVENTS.warn(failedLine(source, e));
        }
        throw e;
      }
      lastFailure = null;
      if (policy == null) {
        return false;
      }
      current = policy;
      currentText = text;
      if (EVENTS.isInfoEnabled()) {
        EVENTS.info(changedLine(source, policy));
      }
      return true;
    }
  }

  /**
   * Returns why the file was last refused, if its latest version was: empty once a version
   * parses (or the file is back to the policy in force).
   *
   * @return the failure
   */
  public Optional<PolicyException> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * Returns the watched file.
   *
   * @return the path, as given
   */
  public Path file() {
    return file;
  }

  /**
   * Stops watching and ends the watcher's thread. The policy in force stays usable, and
   * {@link #reload()} still works.
   */
  @Override
  public void close() {
    watcher.close();
  }

  /** Returns the file and the policy in force. */
  @Override
  public String toString() {
    return "ReloadingAccessPolicy[" + current + "]";
  }

  static String changedLine(String source, AccessPolicy policy) {
    StringBuilder line = new StringBuilder("event=reload material=policy outcome=changed");
    Slf4jListener.field(line, "source", source);
    Slf4jListener.field(line, "rules", String.valueOf(policy.rules().size()));
    return line.toString();
  }

  static String failedLine(String source, PolicyException failure) {
    StringBuilder line = new StringBuilder("event=reload material=policy outcome=failed");
    Slf4jListener.field(line, "source", source);
    Slf4jListener.field(line, "message", failure.getMessage());
    return line.toString();
  }

  private AccessPolicy parse(String text) {
    Path name = file.getFileName();
    return PolicyParser.parse(text, source, name == null ? source : name.toString());
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (PolicyException ignored) {
      // Logged and kept by reload(); the watcher reports the file again when it changes.
    }
  }

  /**
   * Configures a {@link ReloadingAccessPolicy}. Each setter may be called once.
   */
  public static final class Builder {
    private final Path file;
    private Duration debounce;
    private Duration pollInterval;
    private String threadName;

    private Builder(Path file) {
      this.file = file;
    }

    /**
     * Sets how long the file's directory must be quiet after a change before the file is read.
     *
     * <p>If unset, 200 ms (the {@link FileWatcher} default).
     *
     * @param period zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder debounce(Duration period) {
      checkUnset("debounce", debounce);
      Objects.requireNonNull(period, "debounce");
      if (period.isNegative()) {
        throw new IllegalArgumentException("debounce is negative: " + period);
      }
      this.debounce = period;
      return this;
    }

    /**
     * Also reads the file at this interval, for file systems that report no changes (some
     * network file systems).
     *
     * <p>If unset, the file is read only when the file system reports a change.
     *
     * @param interval more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder pollInterval(Duration interval) {
      checkUnset("pollInterval", pollInterval);
      Objects.requireNonNull(interval, "pollInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive: " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Names the watcher's thread.
     *
     * <p>If unset, {@code mtls-policy-N}, counting the reloading policies built in this JVM.
     *
     * @param name a non-blank name
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder threadName(String name) {
      checkUnset("threadName", threadName);
      Objects.requireNonNull(name, "threadName");
      if (name.isBlank()) {
        throw new IllegalArgumentException("threadName is blank");
      }
      this.threadName = name;
      return this;
    }

    /**
     * Reads the file and starts watching it.
     *
     * @return the policy; close it to stop watching
     * @throws PolicyException if the file cannot be read or has an error
     */
    public ReloadingAccessPolicy build() {
      return new ReloadingAccessPolicy(this).start();
    }

    private static void checkUnset(String name, Object value) {
      if (value != null) {
        throw new IllegalStateException(name + " was already set to " + value);
      }
    }
  }
}
