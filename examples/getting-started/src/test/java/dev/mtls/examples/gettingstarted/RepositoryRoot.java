package dev.mtls.examples.gettingstarted;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's root directory, wherever the build runs this module's tests from. */
final class RepositoryRoot {
  private RepositoryRoot() {}

  /**
   * Walks up from the working directory to the first directory that holds both README.md and
   * pom.xml with the project's modules.
   */
  static Path find() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("mtls-core"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No directory with README.md, pom.xml and mtls-core above " + start);
  }
}
