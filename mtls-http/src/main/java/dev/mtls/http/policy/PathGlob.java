package dev.mtls.http.policy;

import java.util.List;

/**
 * A path pattern matched against a {@link CanonicalPath}, segment by segment: {@code *} stands
 * for any characters within one segment, {@code **} (a whole segment) for any number of
 * segments, none included. A trailing {@code /} makes no difference, on either side.
 */
final class PathGlob {
  private static final String EXPECTED_CHARACTERS = "expected no '%', ';', '\\', '?', '#', spaces or control"
      + " characters (rules match decoded paths: write characters as themselves)";

  private final String text;
  private final String[] segments;

  private PathGlob(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses a glob.
   *
   * @throws IllegalArgumentException with a message of the form {@code found ...; expected ...}
   */
  static PathGlob parse(String text) {
    if (text.isEmpty() || text.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "found path '" + text + "'; expected a glob that starts with '/', such as /admin/**");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7F || c >= 0x80 && c <= 0x9F || "%;\\?#".indexOf(c) >= 0) {
        throw new IllegalArgumentException("found path '" + text + "'; " + EXPECTED_CHARACTERS);
      }
    }
    String body = text.length() > 1 && text.endsWith("/") ? text.substring(1, text.length() - 1) : text.substring(1);
    String[] segments = body.isEmpty() ? new String[0] : body.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("found path '" + text + "'; expected no empty segments ('//')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("found path '" + text
            + "'; expected no '.' or '..' segments (canonical paths have none)");
      }
      if (segment.contains("**") && !segment.equals("**")) {
        throw new IllegalArgumentException("found path '" + text
            + "'; expected '**' only as a whole segment, such as /files/**/*.txt");
      }
    }
    return new PathGlob(text, segments);
  }

  boolean matches(CanonicalPath path) {
    List<String> actual = path.segments();
    int count = actual.size();
    // matched[j]: the glob's segments from i + 1 on match the path's segments from j on.
    boolean[] matched = new boolean[count + 1];
    matched[count] = true;
    for (int i = segments.length - 1; i >= 0; i--) {
      boolean[] current = new boolean[count + 1];
      if (segments[i].equals("**")) {
        for (int j = count; j >= 0; j--) {
          current[j] = matched[j] || j < count && current[j + 1];
        }
      } else {
        for (int j = count - 1; j >= 0; j--) {
          current[j] = matched[j + 1] && segmentMatches(segments[i], actual.get(j));
        }
      }
      matched = current;
    }
    return matched[0];
  }

  /** Whether {@code pattern}, where {@code *} matches any run of characters, matches all of {@code text}. */
  static boolean segmentMatches(String pattern, String text) {
    if (pattern.indexOf('*') < 0) {
      return pattern.equals(text);
    }
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return text;
  }
}
