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
 * named file: a Java source from its first import on, any other file (a policy file, say) whole,
 * so that what users copy is compiled and tested.
 */
class ReadmeSnippetsTest {
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\S+) -->\\s*```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  @Test
  void readmeSnippets_matchTheirTestedSources() throws IOException {
    Path root = RepositoryRoot.find();
    String readme = Files.readString(root.resolve("README.md"));

    Matcher matcher = SNIPPET.matcher(readme);
    int count = 0;
    while (matcher.find()) {
      String source = Files.readString(root.resolve(matcher.group(1)));
      String body = matcher.group(1).endsWith(".java") ? source.substring(source.indexOf("import ")) : source;
      assertThat(matcher.group(3)).as(matcher.group(1)).isEqualTo(body);
      count++;
    }
    assertThat(count).as("snippets in README.md").isGreaterThanOrEqualTo(1);
  }
}
