package dev.mtls.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the files commands produce: whole or not at all (a temporary file renamed into place),
 * private keys and PKCS#12 files readable by their owner only where the file system has POSIX
 * permissions, and never over an existing key or certificate unless the user said {@code --force}.
 */
final class OutputFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OutputFiles() {}

  /** Fails naming the first file that exists, unless overwriting was asked for. */
  static void refuseExisting(boolean force, Path... files) {
    if (force) {
      return;
    }
    for (Path file : files) {
      if (Files.exists(file)) {
        throw CliException.input(file + " already exists; use --force to overwrite it");
      }
    }
  }

  /** Creates a directory and its parents, naming it if that fails. */
  static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw CliException.input(directory + ": cannot create the directory (" + Problems.describe(e) + ")", e);
    }
  }

  static void writeText(Path file, String content, boolean secret) {
    write(file, content.getBytes(StandardCharsets.UTF_8), secret);
  }

  /**
   * Writes a file atomically. A secret file (a private key, a PKCS#12 file) is owner-only
   * ({@code rw-------}) from the moment it exists; others are {@code rw-r--r--}.
   */
  static void write(Path file, byte[] content, boolean secret) {
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent();
    createDirectory(directory);
    Path temporary = null;
    try {
      // Files.createTempFile makes an owner-only file on POSIX file systems.
      temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
      Files.write(temporary, content);
      if (POSIX) {
        Files.setPosixFilePermissions(temporary,
            PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw CliException.input(file + ": cannot write (" + Problems.describe(e) + ")", e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // Best effort: the write already failed and says so.
        }
      }
    }
  }
}
