package dev.mtls.http.proxy;

import java.util.ArrayList;
import java.util.List;

/** What both header formats share: length limits, whitespace, list splitting, safe descriptions. */
final class Headers {
  private Headers() {}

  /** Refuses field lines whose combined length (with the separators) exceeds the limit. */
  static void checkLength(String header, List<String> lines, int maxLength) throws ForwardedCertificateException {
    long length = Math.max(0, lines.size() - 1);
    for (String line : lines) {
      length += line.length();
    }
    if (length > maxLength) {
      throw new ForwardedCertificateException(header, "found " + length + " characters; expected at most "
          + maxLength + " (ForwardedCertificates.Builder.maxHeaderLength)");
    }
  }

  /** Strips spaces and tabs (HTTP's optional whitespace) at both ends. */
  static String trimOws(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** Splits a list at commas; refuses empty members (a leading, trailing or doubled comma). */
  static List<String> splitList(String value) throws ForwardedCertificateException {
    List<String> members = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = value.indexOf(',', start);
      String member = trimOws(comma < 0 ? value.substring(start) : value.substring(start, comma));
      if (member.isEmpty()) {
        throw new ForwardedCertificateException(Rfc9440Fields.CLIENT_CERT_CHAIN, "found an empty list member"
            + " (member " + (members.size() + 1) + "); expected byte sequences separated by commas");
      }
      members.add(member);
      if (comma < 0) {
        return members;
      }
      start = comma + 1;
    }
  }

  /** A character for a message: printable ASCII quoted, anything else as its code point. */
  static String describe(char c) {
    return c > 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
