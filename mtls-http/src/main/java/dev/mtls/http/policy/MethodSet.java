package dev.mtls.http.policy;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request methods a rule applies to: {@code *} for all, or a comma-separated list. Methods
 * compare case-insensitively, so that {@code delete} cannot slip past a rule written for
 * {@code DELETE}, and {@code GET} includes {@code HEAD}, because servers answer {@code HEAD} by
 * running the {@code GET} handler (a servlet's {@code doHead} calls {@code doGet}).
 */
final class MethodSet {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  private final String text;
  private final Set<String> methods; // null: any

  private MethodSet(String text, Set<String> methods) {
    this.text = text;
    this.methods = methods;
  }

  /**
   * Parses a method list.
   *
   * @throws IllegalArgumentException with a message of the form {@code found ...; expected ...}
   */
  static MethodSet parse(String text) {
    if (text.equals("*")) {
      return new MethodSet(text, null);
    }
    Set<String> methods = new LinkedHashSet<>();
    for (String method : text.split(",", -1)) {
      if (!TOKEN.matcher(method).matches()) {
        throw new IllegalArgumentException("found methods '" + text
            + "'; expected * or method names separated by commas without spaces, such as GET,POST");
      }
      methods.add(method.toUpperCase(Locale.ROOT));
    }
    return new MethodSet(String.join(",", methods), Set.copyOf(methods));
  }

  boolean matches(String method) {
    if (methods == null) {
      return true;
    }
    String upper = method.toUpperCase(Locale.ROOT);
    return methods.contains(upper) || upper.equals("HEAD") && methods.contains("GET");
  }

  @Override
  public String toString() {
    return text;
  }
}
