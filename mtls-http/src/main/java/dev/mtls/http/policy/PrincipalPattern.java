package dev.mtls.http.policy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.util.regex.Pattern;

/**
 * Which principals a rule applies to: {@code *} (any verified principal), {@code group:NAME}
 * (principals a mapper put in that group), or {@code TYPE:VALUE} matched against the principal's
 * type exactly and its value exactly, by prefix ({@code VALUE*}), by suffix ({@code *VALUE}), or
 * whatever it is ({@code TYPE:*}). The syntax of the principal column of an {@link AccessPolicy};
 * also used to name trusted proxies ({@link dev.mtls.http.proxy.ForwardedCertificates}).
 * Immutable.
 */
public final class PrincipalPattern {
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final String EXPECTED = "expected *, group:NAME or TYPE:VALUE with at most one '*', at the start or"
      + " the end of VALUE, such as cn:billing, spiffe:spiffe://example.org/ns/prod/* or dns:*.example.org";

  private enum Kind { ANY, GROUP, EXACT, PREFIX, SUFFIX, ANY_OF_TYPE }

  private final String text;
  private final Kind kind;
  private final String type;
  private final String value;

  private PrincipalPattern(String text, Kind kind, String type, String value) {
    this.text = text;
    this.kind = kind;
    this.type = type;
    this.value = value;
  }

  /**
   * Parses a pattern.
   *
   * @param text the pattern, such as {@code cn:envoy}, {@code spiffe:spiffe://example.org/ns/edge/*}
   *     or {@code group:proxies}
   * @return the pattern
   * @throws IllegalArgumentException with a message of the form {@code found ...; expected ...}
   */
  public static PrincipalPattern parse(String text) {
    java.util.Objects.requireNonNull(text, "pattern");
    if (text.equals("*")) {
      return new PrincipalPattern(text, Kind.ANY, null, null);
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) || Character.isISOControl(text.charAt(i))) {
        throw new IllegalArgumentException("found principal '" + text + "' with a space or control character; "
            + EXPECTED);
      }
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("found principal '" + text + "'; " + EXPECTED);
    }
    String type = text.substring(0, colon);
    String value = text.substring(colon + 1);
    if (type.equals("group")) {
      if (value.indexOf('*') >= 0) {
        throw new IllegalArgumentException("found principal '" + text
            + "'; expected a group name without '*': groups are matched exactly");
      }
      return new PrincipalPattern(text, Kind.GROUP, null, value);
    }
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("found principal type '" + type + "' in '" + text
          + "'; expected lower-case letters, digits, '.', '-' or '_', such as cn, dns or spiffe");
    }
    if (value.equals("*")) {
      return new PrincipalPattern(text, Kind.ANY_OF_TYPE, type, null);
    }
    int stars = (int) value.chars().filter(c -> c == '*').count();
    if (stars == 0) {
      return new PrincipalPattern(text, Kind.EXACT, type, value);
    }
    if (stars == 1 && value.endsWith("*")) {
      return new PrincipalPattern(text, Kind.PREFIX, type, value.substring(0, value.length() - 1));
    }
    if (stars == 1 && value.startsWith("*")) {
      return new PrincipalPattern(text, Kind.SUFFIX, type, value.substring(1));
    }
    throw new IllegalArgumentException("found principal '" + text + "'; " + EXPECTED);
  }

  /**
   * Returns whether a principal matches.
   *
   * @param principal a verified principal
   * @return true if it matches
   */
  public boolean matches(MtlsPrincipal principal) {
    return switch (kind) {
      case ANY -> true;
      case GROUP -> principal.groups().contains(value);
      case ANY_OF_TYPE -> principal.type().equals(type);
      case EXACT -> principal.type().equals(type) && principal.value().equals(value);
      case PREFIX -> principal.type().equals(type) && principal.value().startsWith(value);
      case SUFFIX -> principal.type().equals(type) && principal.value().endsWith(value);
    };
  }

  /** Returns the pattern as written. */
  @Override
  public String toString() {
    return text;
  }
}
