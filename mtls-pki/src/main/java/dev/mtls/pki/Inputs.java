package dev.mtls.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads input files and inline text with the size cap and the error messages of this module. */
final class Inputs {
  /** The source name of text passed directly rather than read from a file. */
  static final String INLINE = "inline PEM";

  private Inputs() {}

  /** The source name of a file: its path as given. */
  static String name(Path file) {
    return file.toString();
  }

  /**
   * Reads a whole file, refusing directories, missing and unreadable files, and files larger than
   * {@link Pem#MAX_INPUT_BYTES} (checked before reading and again while reading, for files whose
   * size is not known in advance).
   *
   * @param expected what the caller expected to find, for the messages
   */
  static byte[] read(Path file, String expected) {
    String source = name(file);
    if (Files.isDirectory(file)) {
      throw new PkiException(source + ": found a directory; expected a file with " + expected);
    }
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (size > Pem.MAX_INPUT_BYTES) {
        throw tooLarge(source, size + " bytes");
      }
      byte[] bytes = in.readNBytes(Math.toIntExact(Pem.MAX_INPUT_BYTES) + 1);
      if (bytes.length > Pem.MAX_INPUT_BYTES) {
        throw tooLarge(source, "more than " + Pem.MAX_INPUT_BYTES + " bytes");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new PkiException(source + ": found no such file; expected a file with " + expected, e);
    } catch (AccessDeniedException e) {
      throw new PkiException(source + ": found a file that cannot be read (permission denied);"
          + " expected a readable file with " + expected, e);
    } catch (IOException e) {
      throw new PkiException(source + ": found a file that cannot be read ("
          + e.getClass().getSimpleName() + "); expected a readable file with " + expected, e);
    }
  }

  /** Refuses inline input longer than the cap. */
  static void checkSize(long length, String source) {
    if (length > Pem.MAX_INPUT_BYTES) {
      throw tooLarge(source, length + " bytes");
    }
  }

  private static PkiException tooLarge(String source, String found) {
    return new PkiException(source + ": found " + found + "; expected at most "
        + Pem.MAX_INPUT_BYTES + " bytes (Pem.MAX_INPUT_BYTES)");
  }
}
