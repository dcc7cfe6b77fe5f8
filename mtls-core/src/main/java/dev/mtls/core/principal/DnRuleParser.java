package dev.mtls.core.principal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses and checks Kafka-style DN mapping rules, failing with the rule's text, the 1-based
 * position of the problem and what it is. One parser reads one rules string, once.
 */
final class DnRuleParser {
  private static final String DEFAULT = "DEFAULT";
  private static final String RULE = "RULE:";
  private static final String SYNTAX = "; a rule reads RULE:pattern/replacement/ with an optional L or U after the "
      + "last '/', or DEFAULT, and rules are separated by ',' or newlines";

  private final String text;
  private int pos;

  private DnRuleParser(String text) {
    this.text = Objects.requireNonNull(text, "rules");
  }

  /** Parses the rules, throwing {@link IllegalArgumentException} for the first problem. */
  static List<DnRule> parse(String rules) {
    return List.copyOf(new DnRuleParser(rules).rules());
  }

  private List<DnRule> rules() {
    List<DnRule> parsed = new ArrayList<>();
    skip(" \t\r\n");
    if (pos == text.length()) {
      throw new IllegalArgumentException("DN mapping rules are empty" + SYNTAX);
    }
    while (true) {
      int start = pos;
      if (!parsed.isEmpty() && parsed.get(parsed.size() - 1).pattern() == null) {
        throw error(start, lineEnd(start), start,
            "it follows DEFAULT, which matches every DN, so it can never apply");
      }
      parsed.add(rule(start));
      int end = pos;
      skip(" \t\r");
      if (pos == text.length()) {
        return parsed;
      }
      char separator = text.charAt(pos);
      if (separator == ',') {
        pos++;
        skip(" \t\r\n");
        if (pos == text.length()) {
          throw new IllegalArgumentException("DN mapping rules end with ',' at position " + pos
              + "; expected another rule after it" + SYNTAX);
        }
      } else if (separator == '\n') {
        skip(" \t\r\n");
        if (pos == text.length()) {
          return parsed;
        }
      } else {
        throw error(start, lineEnd(start), pos, "unexpected '" + separator + "' after the rule ended at position "
            + end);
      }
    }
  }

  private DnRule rule(int start) {
    if (text.startsWith(DEFAULT, start)) {
      pos = start + DEFAULT.length();
      return new DnRule(DEFAULT, null, List.of(), (char) 0);
    }
    if (!text.startsWith(RULE, start)) {
      throw error(start, lineEnd(start), start, "expected RULE: or DEFAULT");
    }
    int patternStart = start + RULE.length();
    int patternEnd = segmentEnd(patternStart);
    if (patternEnd == patternStart) {
      throw error(start, lineEnd(start), patternStart, "the pattern is empty");
    }
    if (patternEnd == text.length() || text.charAt(patternEnd) != '/') {
      throw error(start, lineEnd(start), patternEnd, "missing '/' after the pattern");
    }
    int replacementStart = patternEnd + 1;
    int replacementEnd = segmentEnd(replacementStart);
    if (replacementEnd == text.length() || text.charAt(replacementEnd) != '/') {
      throw error(start, lineEnd(start), replacementEnd, "missing '/' after the replacement");
    }
    int flagStart = replacementEnd + 1;
    int flagEnd = flagStart;
    while (flagEnd < text.length() && Character.isLetterOrDigit(text.charAt(flagEnd))) {
      flagEnd++;
    }
    pos = flagEnd;
    String flag = text.substring(flagStart, flagEnd);
    if (!flag.isEmpty() && !flag.equals("L") && !flag.equals("U")) {
      throw error(start, flagEnd, flagStart, "unknown flag '" + flag
          + "'; the flag is L (lower case), U (upper case) or nothing");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(text.substring(patternStart, patternEnd));
    } catch (PatternSyntaxException e) {
      throw error(start, flagEnd, patternStart + Math.max(e.getIndex(), 0),
          "the pattern is not a valid regular expression: " + e.getDescription());
    }
    List<Object> replacement = replacement(start, flagEnd, replacementStart, replacementEnd,
        pattern.matcher("").groupCount());
    return new DnRule(text.substring(start, flagEnd), pattern, replacement, flag.isEmpty() ? 0 : flag.charAt(0));
  }

  /** Returns the index of the first unescaped '/' or newline from {@code from}, or the end. */
  private int segmentEnd(int from) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '/' || c == '\n') {
        return i;
      }
      i += c == '\\' && i + 1 < text.length() && text.charAt(i + 1) != '\n' ? 2 : 1;
    }
    return i;
  }

  private List<Object> replacement(int start, int end, int from, int to, int groups) {
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 == to) {
          throw error(start, end, i, "the replacement ends with a lone '\\'");
        }
        literal.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        int digits = i + 1;
        while (digits < to && Character.isDigit(text.charAt(digits)) && digits - i <= 9) {
          digits++;
        }
        if (digits == i + 1) {
          throw error(start, end, i, "'$' must be followed by a group number; write '\\$' for a literal '$'");
        }
        int group = Integer.parseInt(text.substring(i + 1, digits));
        if (group > groups) {
          throw error(start, end, i, "the replacement refers to $" + group + " but the pattern has "
              + groups + (groups == 1 ? " group" : " groups"));
        }
        if (literal.length() > 0) {
          parts.add(literal.toString());
          literal.setLength(0);
        }
        parts.add(group);
        i = digits;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(literal.toString());
    }
    return List.copyOf(parts);
  }

  private void skip(String characters) {
    while (pos < text.length() && characters.indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private int lineEnd(int from) {
    int newline = text.indexOf('\n', from);
    return newline < 0 ? text.length() : newline;
  }

  /** Builds the load-time error: the rule's text, the 1-based position of the problem, and what it is. */
  private IllegalArgumentException error(int ruleStart, int ruleEnd, int at, String problem) {
    String rule = text.substring(ruleStart, Math.max(ruleStart, ruleEnd)).strip();
    return new IllegalArgumentException("Invalid DN mapping rule '" + rule + "' at position " + (at + 1)
        + ": " + problem + SYNTAX);
  }
}
