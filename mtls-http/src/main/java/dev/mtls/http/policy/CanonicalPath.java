package dev.mtls.http.policy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request path in the one form that access rules are matched against: percent-escapes decoded
 * exactly once, dot segments resolved, empty segments removed, and every form that servers
 * disagree about refused.
 *
 * <h2>Why</h2>
 *
 * <p>An access rule is only as good as the path it is matched against. If the rule sees
 * {@code /public/..%2fadmin} while the server routes the request to {@code /admin}, a
 * {@code deny ... /admin/**} rule is bypassed. Such tricks work wherever two components decode
 * or normalise a path differently: encoded slashes and dots, double encoding, backslashes, path
 * parameters, overlong UTF-8. This class removes the ambiguity in two ways: what RFC 3986 and
 * Servlet 6 containers agree on is normalised, and what they disagree on is refused, so that a
 * request either has a path that means the same to the rule and to the server, or is turned
 * away with {@code 400 Bad Request}.
 *
 * <h2>Rules, in order</h2>
 *
 * <ol>
 *   <li>The input is the path as received, still percent-encoded (a servlet's
 *       {@code getRequestURI()}, Jetty's {@code HttpURI.getPath()}, the JDK's
 *       {@code URI.getRawPath()}), without query or fragment. It must start with {@code /}, be at
 *       most {@value #MAX_LENGTH} characters long and consist of printable ASCII: control
 *       characters, spaces and non-ASCII characters must arrive percent-encoded (RFC 3986).
 *   <li>Refused before decoding: {@code ?} and {@code #} (a query or fragment was passed in),
 *       {@code ;} (path parameters: Tomcat and Jetty drop {@code ;jsessionid=..} and read
 *       {@code ..;} as {@code ..}, other servers keep them, so a rule could not know which
 *       resource is meant) and {@code \} (some servers treat it as {@code /}).
 *   <li>The path is split at {@code /}; empty segments ({@code //}) are dropped.
 *   <li>Each segment's percent-escapes are decoded once, into bytes that must be well-formed
 *       UTF-8: a {@code %} without two hex digits after it, overlong forms ({@code %C0%AE} for
 *       {@code .}, {@code %C0%AF} for {@code /}), encoded surrogates and truncated sequences are
 *       refused.
 *   <li>Refused after decoding: an encoded {@code /} ({@code %2F}) or {@code \} ({@code %5C})
 *       (servers disagree on whether it separates segments); a {@code %} ({@code %25}: decoding
 *       {@code %2561dmin} once gives {@code %61dmin}, which a component that decodes again reads
 *       as {@code admin}, so it is refused rather than matched as either); a {@code ;}; control
 *       characters ({@code U+0000}-{@code U+001F}, {@code U+007F}-{@code U+009F}, NUL included);
 *       and a segment that decodes to {@code .} or {@code ..} but was written with an escape
 *       ({@code %2e%2e}), which servers resolve differently.
 *   <li>Literal {@code .} segments are removed and literal {@code ..} segments remove the segment
 *       before them (RFC 3986 section 5.2.4); a {@code ..} that would climb above the root is
 *       refused rather than clamped.
 *   <li>A trailing {@code /} is kept in {@link #value()}, but rules ignore it: {@code /admin/}
 *       and {@code /admin} match the same rules. So do {@code /admin/.} and {@code /admin/x/..}.
 * </ol>
 *
 * <p>Comparison is exact, code point by code point: paths are case-sensitive ({@code /ADMIN} is
 * not {@code /admin}), and no Unicode normalisation is applied ({@code %EF%BC%8F}, the fullwidth
 * solidus, is a character like any other, not a {@code /}). Behind a server that maps paths
 * case-insensitively (serving files from a case-insensitive file system, say), write rules that
 * deny by default and allow what is needed; a deny rule for one spelling does not cover another.
 *
 * <p>The canonical path is what RFC 3986 and Servlet 6 containers route to. A server that routes
 * the raw path without resolving dot segments or collapsing slashes (the JDK's
 * {@code HttpServer} picks its handler by a plain prefix of the raw path) may hand
 * {@code /a/../b} to the handler of {@code /a} while the rules saw {@code /b}: behind such a
 * server, register one handler at {@code /} and dispatch on the canonical path yourself.
 */
public final class CanonicalPath {
  /** The longest raw path accepted, in characters. */
  public static final int MAX_LENGTH = 8192;

  private final String value;
  private List<String> segments; // split from the value on first use: rules match the value itself

  private CanonicalPath(String value) {
    this.value = value;
  }

  /** The path of decoded segments, none empty or containing {@code /}. */
  private static CanonicalPath of(List<String> segments, boolean trailingSlash) {
    StringBuilder text = new StringBuilder();
    for (String segment : segments) {
      text.append('/').append(segment);
    }
    if (segments.isEmpty() || trailingSlash) {
      text.append('/');
    }
    return new CanonicalPath(text.toString());
  }

  /**
   * Canonicalises a raw request path.
   *
   * @param rawPath the path as received, percent-encoded, without query or fragment
   * @return the canonical path
   * @throws IllegalArgumentException if the path is refused; the message names the reason
   */
  public static CanonicalPath parse(String rawPath) {
    Parsed parsed = tryParse(rawPath);
    if (parsed.path() == null) {
      throw new IllegalArgumentException("Refused path '" + loggable(rawPath) + "': " + parsed.problem());
    }
    return parsed.path();
  }

  /**
   * Returns the canonical path: {@code /}, then the decoded segments joined by {@code /}, with
   * a trailing {@code /} if the raw path had one (or ended in a dot segment).
   *
   * @return the path, such as {@code /admin/users}
   */
  public String value() {
    return value;
  }

  /**
   * Returns the decoded segments, without empty ones: none for {@code /}.
   *
   * @return an unmodifiable list
   */
  public List<String> segments() {
    List<String> known = segments;
    if (known == null) {
      String body = value.substring(1, end());
      known = body.isEmpty() ? List.of() : List.of(body.split("/"));
      segments = known; // an immutable list: safe to share without synchronisation
    }
    return known;
  }

  /** Where the last segment of {@link #value()} ends: before a trailing {@code /}, if any. */
  int end() {
    return value.length() > 1 && value.endsWith("/") ? value.length() - 1 : value.length();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CanonicalPath that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Returns {@link #value()}. */
  @Override
  public String toString() {
    return value;
  }

  /** A canonical path, or why the raw path was refused. */
  record Parsed(CanonicalPath path, String problem) {}

  static Parsed tryParse(String raw) {
    Objects.requireNonNull(raw, "rawPath");
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return refused("it does not start with '/'");
    }
    if (raw.length() > MAX_LENGTH) {
      return refused("it is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= ' ' || c >= 0x7F) {
        return refused("a control character, space or non-ASCII character at index " + i
            + "; these must be percent-encoded");
      }
      switch (c) {
        case '?', '#' -> {
          return refused("a '" + c + "' at index " + i + "; expected a path without query or fragment");
        }
        case ';' -> {
          return refused("a ';' (path parameter) at index " + i + "; servers disagree on what it means");
        }
        case '\\' -> {
          return refused("a '\\' at index " + i + "; some servers read it as '/'");
        }
        default -> { }
      }
    }
    if (isCanonicalAlready(raw)) {
      return new Parsed(new CanonicalPath(raw), null);
    }
    return resolve(raw);
  }

  /**
   * Whether a raw path that passed the character checks is its own canonical form: no escapes to
   * decode, no empty segments, no dot segments (checked conservatively: no segment starts with a
   * dot). Most requests' paths are, and skip {@link #resolve}, which gives the same result.
   */
  private static boolean isCanonicalAlready(String raw) {
    return raw.indexOf('%') < 0 && !raw.contains("//") && !raw.contains("/.");
  }

  /**
   * Splits, decodes, checks and resolves a raw path that passed the character checks (the
   * general case of {@link #tryParse}).
   */
  static Parsed resolve(String raw) {
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = raw.endsWith("/");
    boolean emptySegment = false;
    int start = 1;
    while (start <= raw.length()) {
      int end = raw.indexOf('/', start);
      if (end < 0) {
        end = raw.length();
      }
      if (end == start && end < raw.length()) {
        emptySegment = true; // "//": merged here, but RFC 3986 dot removal keeps it as a segment
      }
      if (end > start) {
        String rawSegment = raw.substring(start, end);
        String segment = rawSegment.indexOf('%') < 0 ? rawSegment : decode(rawSegment);
        if (segment == null) {
          return refused("percent-escapes in '" + rawSegment
              + "' that are not two hex digits each or not well-formed UTF-8");
        }
        String problem = checkDecoded(segment, rawSegment);
        if (problem != null) {
          return refused(problem);
        }
        boolean last = end == raw.length();
        if (segment.equals(".")) {
          trailingSlash |= last;
        } else if (segment.equals("..")) {
          if (emptySegment) {
            // "/admin/x//../../y": merging slashes first gives /y, RFC 3986 (and Jetty) /admin/y.
            return refused("a '..' after an empty segment ('//'); servers disagree on which segment it removes");
          }
          if (segments.isEmpty()) {
            return refused("a '..' that climbs above the root");
          }
          segments.remove(segments.size() - 1);
          trailingSlash |= last;
        } else {
          segments.add(segment);
        }
      }
      start = end + 1;
    }
    return new Parsed(of(segments, trailingSlash), null);
  }

  private static String checkDecoded(String segment, String rawSegment) {
    if (segment.equals(rawSegment)) {
      return null; // no escapes: the raw checks covered it
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      switch (c) {
        case '/' -> {
          return "an encoded '/' (%2F) in '" + rawSegment + "'; servers disagree on whether it separates segments";
        }
        case '\\' -> {
          return "an encoded '\\' (%5C) in '" + rawSegment + "'; some servers read it as '/'";
        }
        case '%' -> {
          return "an encoded '%' (%25) in '" + rawSegment + "'; the path would read differently if decoded again";
        }
        case ';' -> {
          return "an encoded ';' (%3B) in '" + rawSegment + "'; servers disagree on what it means";
        }
        default -> {
          if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
            return "an encoded control character in '" + rawSegment + "'";
          }
        }
      }
    }
    if (segment.equals(".") || segment.equals("..")) {
      return "an encoded dot segment '" + rawSegment + "'; servers disagree on whether to resolve it";
    }
    return null;
  }

  /** Decodes percent-escapes once, strictly; null if an escape or the UTF-8 is malformed. */
  private static String decode(String segment) {
    ByteBuffer bytes = ByteBuffer.allocate(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int high = hex(segment.charAt(i + 1));
        int low = hex(segment.charAt(i + 2));
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.put((byte) (high << 4 | low));
        i += 2;
      } else {
        bytes.put((byte) c);
      }
    }
    bytes.flip();
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = utf8.decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The value of an ASCII hex digit, or -1 ({@code Character.digit} also accepts non-ASCII digits). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static Parsed refused(String problem) {
    return new Parsed(null, problem);
  }

  /**
   * The path for a log line: canonical if it parses, else {@link #loggable(String) loggable}.
   */
  static String forLog(String raw) {
    Parsed parsed = tryParse(raw);
    return parsed.path() != null ? parsed.path().value() : loggable(raw);
  }

  /**
   * The raw path as it may appear in a log line: characters outside printable ASCII
   * percent-encoded as UTF-8, and cut at {@value #MAX_LENGTH} characters.
   */
  static String loggable(String raw) {
    String text = raw.length() > MAX_LENGTH ? raw.substring(0, MAX_LENGTH) + "..." : raw;
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > ' ' && c < 0x7F) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      int codePoint = text.codePointAt(i);
      if (Character.isSupplementaryCodePoint(codePoint)) {
        i++;
      }
      byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
      for (byte b : utf8) {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return out == null ? text : out.toString();
  }
}
