package dev.mtls.http.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-request shortcuts of path matching give the results of the general algorithms: a raw
 * path that is canonical as it stands skips {@link CanonicalPath#resolve}, and {@link PathGlob}
 * matches segments in place with one backtracking point instead of a table over all of them.
 */
class PathMatchingShortcutsTest {
  private static final String[] RAW_SEGMENTS = {
      "a", "b", "api", "", ".", "..", ".well-known", "..a", "a.", "%61", "x%20y", "%2e", "%2e%2e", "%2f", "%zz",
  };
  private static final String[] GLOB_SEGMENTS = {"a", "b", "ab", "*", "**", "a*", "*b", "*a*", "c"};
  private static final String[] PATH_SEGMENTS = {"a", "b", "ab", "ba", "aab", "c", "abc"};

  @Test
  void canonicalAlready_givesWhatTheGeneralAlgorithmGives() {
    Random random = new Random(29112026);
    int shortcuts = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder raw = new StringBuilder();
      int count = random.nextInt(5);
      for (int s = 0; s < count || raw.length() == 0; s++) {
        raw.append('/').append(RAW_SEGMENTS[random.nextInt(RAW_SEGMENTS.length)]);
      }
      if (random.nextInt(4) == 0) {
        raw.append('/');
      }
      String text = raw.toString();
      CanonicalPath.Parsed viaShortcut = CanonicalPath.tryParse(text);
      CanonicalPath.Parsed general = CanonicalPath.resolve(text);
      assertThat(viaShortcut.problem()).as(text).isEqualTo(general.problem());
      if (general.path() != null) {
        assertThat(viaShortcut.path().value()).as(text).isEqualTo(general.path().value());
        assertThat(viaShortcut.path().segments()).as(text).isEqualTo(general.path().segments());
        if (viaShortcut.path().value() == text) {
          shortcuts++;
        }
      }
    }
    assertThat(shortcuts).as("paths that took the shortcut").isGreaterThan(5_000);
  }

  @Test
  void globMatching_givesWhatATableOverAllSegmentsGives() {
    Random random = new Random(20261129);
    int matched = 0;
    for (int i = 0; i < 50_000; i++) {
      String glob = "/" + String.join("/", pick(random, GLOB_SEGMENTS, random.nextInt(5)));
      List<String> segments = pick(random, PATH_SEGMENTS, random.nextInt(6));
      String path = "/" + String.join("/", segments) + (random.nextBoolean() && !segments.isEmpty() ? "/" : "");
      boolean expected = reference(glob.substring(1).isEmpty() ? List.of() : List.of(glob.substring(1).split("/")),
          segments);
      boolean actual = PathGlob.parse(glob).matches(CanonicalPath.parse(path));
      assertThat(actual).as("%s against %s", glob, path).isEqualTo(expected);
      matched += actual ? 1 : 0;
    }
    assertThat(matched).as("matches among the cases").isBetween(2_000, 48_000);
  }

  private static List<String> pick(Random random, String[] from, int count) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(from[random.nextInt(from.length)]);
    }
    return picked;
  }

  /** Glob matching as a table: whether glob segments from i match path segments from j. */
  private static boolean reference(List<String> glob, List<String> path) {
    boolean[][] matches = new boolean[glob.size() + 1][path.size() + 1];
    matches[glob.size()][path.size()] = true;
    for (int i = glob.size() - 1; i >= 0; i--) {
      for (int j = path.size(); j >= 0; j--) {
        if (glob.get(i).equals("**")) {
          matches[i][j] = matches[i + 1][j] || j < path.size() && matches[i][j + 1];
        } else {
          matches[i][j] = j < path.size() && matches[i + 1][j + 1]
              && path.get(j).matches(glob.get(i).replace("*", ".*"));
        }
      }
    }
    return matches[0][0];
  }
}
