package dev.mtls.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's code honest: each block marked {@code <!-- snippet: path -->} must be the
 * named source file, from its first import on, so that what users copy is compiled and tested.
 */
class ReadmeSnippetsTest {
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\S+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void readmeSnippets_matchTheirTestedSources() throws IOException {
    Path root = RepositoryRoot.find();
    String readme = Files.readString(root.resolve("README.md"));

    Matcher matcher = SNIPPET.matcher(readme);
    int count = 0;
    while (matcher.find()) {
      String source = Files.readString(root.resolve(matcher.group(1)));
      String body = source.substring(source.indexOf("import "));
      assertThat(matcher.group(2)).as(matcher.group(1)).isEqualTo(body);
      count++;
    }
    assertThat(count).as("snippets in README.md").isGreaterThanOrEqualTo(1);
  }
}
