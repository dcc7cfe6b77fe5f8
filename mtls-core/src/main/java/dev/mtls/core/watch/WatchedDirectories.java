package dev.mtls.core.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories that some files are in, registered with a watch service and kept in line with
 * where the files are now: symlinks that point elsewhere, directories deleted, recreated or
 * renamed over. Used by one thread at a time, except {@link #close()}.
 */
final class WatchedDirectories implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedDirectories.class);
  private static final int MAX_SYMLINKS = 40;

  private final WatchService service;
  private final List<Path> files;
  private final String owner;
  private final Map<Path, Registration> registrations = new HashMap<>();
  private final Set<Path> warned = new HashSet<>();

  /**
   * Creates the set; nothing is registered before {@link #update()}.
   *
   * @param service the watch service to register with, closed by {@link #close()}
   * @param files absolute paths of the files
   * @param owner the name that prefixes log messages
   */
  WatchedDirectories(WatchService service, Collection<Path> files, String owner) {
    this.service = service;
    this.files = List.copyOf(files);
    this.owner = owner;
  }

  /**
   * Registers the directories the files are in now, and drops the registrations no longer
   * needed, no longer valid, or of a directory since replaced by another of the same name. A
   * directory that does not exist is tried again on the next call.
   *
   * @return whether the files need a check: a directory was registered (new, or back), or lost
   */
  boolean update() {
    Set<Path> wanted = directories();
    boolean needsCheck = false;
    for (Iterator<Map.Entry<Path, Registration>> it = registrations.entrySet().iterator(); it.hasNext();) {
      Map.Entry<Path, Registration> entry = it.next();
      Registration registration = entry.getValue();
      boolean lost = !registration.key().isValid()
          || !Objects.equals(fileKey(entry.getKey()), registration.fileKey());
      if (lost || !wanted.contains(entry.getKey())) {
        it.remove();
        needsCheck |= lost;
        // Two paths to one directory share one key; cancel it only when the last one goes.
        if (registrations.values().stream().noneMatch(other -> other.key() == registration.key())) {
          registration.key().cancel();
        }
      }
    }
    for (Path directory : wanted) {
      if (!registrations.containsKey(directory)) {
        needsCheck |= register(directory);
      }
    }
    return needsCheck;
  }

  /**
   * Takes the events that arrived since the last call. Their kinds and file names do not matter:
   * any event, an overflow included, means "look again".
   *
   * @return whether there was any
   */
  boolean drainEvents() {
    boolean any = false;
    for (WatchKey key = service.poll(); key != null; key = service.poll()) {
      key.pollEvents();
      key.reset(); // if the key is no longer valid, the next update() registers the directory again
      any = true;
    }
    return any;
  }

  /** Closes the watch service; the thread using this set may still be running. */
  @Override
  public void close() throws IOException {
    service.close();
  }

  private boolean register(Path directory) {
    try {
      Object fileKey = Files.readAttributes(directory, BasicFileAttributes.class).fileKey();
      WatchKey key = directory.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      registrations.put(directory, new Registration(key, fileKey));
      warned.remove(directory);
      return true;
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false; // not there (yet)
    } catch (IOException e) {
      if (warned.add(directory)) {
        LOG.warn("{}: cannot watch {}; changes there are seen only by polling", owner, directory, e);
      }
      return false;
    }
  }

  /**
   * The parent of each file, of each symlink on the way to it, and of its real path; and a
   * watched directory itself.
   */
  private Set<Path> directories() {
    Set<Path> directories = new LinkedHashSet<>();
    for (Path file : files) {
      directories.add(realPathOrSelf(file.getParent()));
      Path link = file;
      for (int i = 0; i < MAX_SYMLINKS && Files.isSymbolicLink(link); i++) {
        try {
          link = link.resolveSibling(Files.readSymbolicLink(link));
        } catch (IOException e) {
          break;
        }
        if (link.getParent() != null) {
          directories.add(realPathOrSelf(link.getParent()));
        }
      }
      try {
        Path real = file.toRealPath();
        directories.add(real.getParent());
        if (Files.isDirectory(real)) {
          directories.add(real); // a watched directory: its entries change, not its parent's
        }
      } catch (IOException ignored) {
        // Absent: its parent is watched for its return.
      }
    }
    return directories;
  }

  private static Path realPathOrSelf(Path directory) {
    try {
      return directory.toRealPath();
    } catch (IOException e) {
      return directory;
    }
  }

  /** The identity of a directory (its inode, on Unix), or null if it is gone. */
  private static Object fileKey(Path directory) {
    try {
      return Files.readAttributes(directory, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** A watched directory, with the identity it had when registered. */
  private record Registration(WatchKey key, Object fileKey) {}
}
