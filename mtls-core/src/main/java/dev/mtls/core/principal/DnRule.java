package dev.mtls.core.principal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed DN mapping rule; see {@link PrincipalMappers#dnRules(String)}.
 *
 * @param text the rule as written
 * @param pattern the whole-DN pattern, {@code null} for DEFAULT
 * @param replacement literal strings and group numbers, in order
 * @param caseFlag {@code L}, {@code U}, or 0 for none
 */
record DnRule(String text, Pattern pattern, List<Object> replacement, char caseFlag) {

  /** Returns the name this rule makes of the DN, or {@code null} if it does not match. */
  String apply(String dn) {
    if (pattern == null) {
      return dn;
    }
    Matcher matcher = pattern.matcher(dn);
    if (!matcher.matches()) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    for (Object part : replacement) {
      if (part instanceof Integer group) {
        String value = matcher.group(group);
        name.append(value == null ? "" : value);
      } else {
        name.append((String) part);
      }
    }
    String result = name.toString();
    return caseFlag == 'L' ? result.toLowerCase(Locale.ROOT)
        : caseFlag == 'U' ? result.toUpperCase(Locale.ROOT) : result;
  }
}
