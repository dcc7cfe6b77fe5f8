package dev.mtls.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When a configuration rereads its file-backed identity and trust sources: only when
 * {@link TlsConfiguration#reload()} is called ({@link #manual()}, the default), when the files
 * change ({@link #watch()}), or every so often ({@link #poll(Duration)}). Whatever the trigger, new
 * material is validated before it replaces the old, and a failed reload keeps the old material.
 *
 * <p>Watching follows the files through symbolic links, so it survives Kubernetes secret volumes
 * (whose files are links through a {@code ..data} link that is swapped atomically), certbot's
 * {@code live/} links, editors that write a temporary file and rename it, files deleted and
 * recreated, and a directory that disappears for a while. Changes are debounced: a burst of
 * writes (a certificate and its key, say) is read once, after it ends.
 */
public final class ReloadPolicy {
  /** The default time a burst of file changes must be quiet before the files are read. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

  private static final ReloadPolicy MANUAL = new ReloadPolicy(false, null, DEFAULT_DEBOUNCE);

  private final boolean watch;
  private final Duration pollInterval;
  private final Duration debounce;

  private ReloadPolicy(boolean watch, Duration pollInterval, Duration debounce) {
    this.watch = watch;
    this.pollInterval = pollInterval;
    this.debounce = debounce;
  }

  /**
   * Rereads the sources only when {@link TlsConfiguration#reload()} is called; starts no thread.
   *
   * @return the policy
   */
  public static ReloadPolicy manual() {
    return MANUAL;
  }

  /**
   * Rereads the sources when their files change, as the file system reports it.
   *
   * @return the policy
   */
  public static ReloadPolicy watch() {
    return new ReloadPolicy(true, null, DEFAULT_DEBOUNCE);
  }

  /**
   * Rereads the sources' files every {@code interval} and reloads when their contents changed:
   * for file systems that report no changes (some network file systems).
   *
   * @param interval at least 100 milliseconds
   * @return the policy
   */
  public static ReloadPolicy poll(Duration interval) {
    return new ReloadPolicy(false, checkInterval(interval), DEFAULT_DEBOUNCE);
  }

  /**
   * Also checks the files every {@code interval}, in case the file system misses a change.
   *
   * @param interval at least 100 milliseconds
   * @return a policy that watches and polls
   */
  public ReloadPolicy alsoPollEvery(Duration interval) {
    return new ReloadPolicy(true, checkInterval(interval), debounce);
  }

  /**
   * Sets how long a burst of file-system events must be quiet before the files are read. (A
   * {@linkplain #poll(Duration) poll} reads the files when it is due; a file caught half-written
   * is refused and read again when it changes or, at the latest, on the retry.)
   *
   * @param quiet zero or more, at most a minute
   * @return a policy with that debounce
   */
  public ReloadPolicy debounce(Duration quiet) {
    Objects.requireNonNull(quiet, "quiet");
    if (quiet.isNegative() || quiet.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("A debounce must be between 0 and 1 minute, was " + quiet);
    }
    return new ReloadPolicy(watch, pollInterval, quiet);
  }

  boolean watches() {
    return watch;
  }

  /** The poll interval, or null. */
  Duration pollInterval() {
    return pollInterval;
  }

  Duration debounceTime() {
    return debounce;
  }

  boolean automatic() {
    return watch || pollInterval != null;
  }

  private static Duration checkInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("A poll interval must be at least 100 ms, was " + interval);
    }
    return interval;
  }

  @Override
  public String toString() {
    if (!automatic()) {
      return "manual";
    }
    return (watch ? "watch(debounce=" + debounce + ")" : "")
        + (watch && pollInterval != null ? "+" : "")
        + (pollInterval != null ? "poll(" + pollInterval + ")" : "");
  }
}
