package dev.mtls.http.policy;

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

  /**
   * Matches the path's segments, read in place from {@link CanonicalPath#value()}, against the
   * glob's: a {@code **} takes as few segments as it can, and when a later segment fails, the
   * last {@code **} takes one more (the classic wildcard algorithm, one segment for one character;
   * backtracking to the last {@code **} only is enough, since every other glob segment matches
   * exactly one path segment).
   */
  boolean matches(CanonicalPath path) {
    String value = path.value();
    int end = path.end();
    int next = end > 1 ? 1 : end + 1; // where the next path segment starts; past end: none left
    int glob = 0;
    int lastAny = -1;                  // the last "**" passed, and where its segments end
    int afterAny = 0;
    while (next <= end) {
      int stop = value.indexOf('/', next);
      stop = stop < 0 ? end : stop;
      if (glob < segments.length && segments[glob].equals("**")) {
        lastAny = glob++;
        afterAny = next;
      } else if (glob < segments.length && segmentMatches(segments[glob], value, next, stop)) {
        glob++;
        next = stop + 1;
      } else if (lastAny >= 0) {
        glob = lastAny + 1;
        int taken = value.indexOf('/', afterAny);
        afterAny = taken < 0 ? end + 1 : taken + 1;
        next = afterAny;
      } else {
        return false;
      }
    }
    while (glob < segments.length && segments[glob].equals("**")) {
      glob++;
    }
    return glob == segments.length;
  }

  /**
   * Whether {@code pattern}, where {@code *} matches any run of characters, matches all of
   * {@code text} from {@code from} to {@code to}.
   */
  private static boolean segmentMatches(String pattern, String text, int from, int to) {
    if (pattern.indexOf('*') < 0) {
      return to - from == pattern.length() && text.startsWith(pattern, from);
    }
    int p = 0;
    int t = from;
    int star = -1;
    int resume = from;
    while (t < to) {
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
