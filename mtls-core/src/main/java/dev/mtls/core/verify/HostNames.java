package dev.mtls.core.verify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Syntax of DNS names, wildcard patterns, mailboxes and IP literals, as the checks need it. */
final class HostNames {
  private static final int MAX_NAME = 253;
  private static final int MAX_LABEL = 63;

  private HostNames() {}

  /** A preferred-syntax host name (RFC 1034 letters, digits, hyphens), in A-label form. */
  static boolean isHostName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!isLabel(label)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLabel(String label) {
    if (label.isEmpty() || label.length() > MAX_LABEL
        || label.startsWith("-") || label.endsWith("-")) {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A wildcard pattern RFC 6125 and the CA/Browser Forum allow: {@code *.} followed by a host
   * name of at least two labels ({@code *.example.com}, never {@code *.com} or {@code *}).
   */
  static boolean isWildcardPattern(String name) {
    if (!name.startsWith("*.")) {
      return false;
    }
    String base = name.substring(2);
    return isHostName(base) && base.contains(".");
  }

  /** A DNS name or a wildcard pattern: what a dNSName SAN may hold. */
  static boolean isDnsSan(String name) {
    return isHostName(name) || isWildcardPattern(name);
  }

  /** Whether {@code name} is {@code domain} or one of its subdomains, ignoring case. */
  static boolean inDomain(String name, String domain) {
    String n = name.toLowerCase(Locale.ROOT);
    String d = domain.toLowerCase(Locale.ROOT);
    return n.equals(d) || n.endsWith("." + d);
  }

  /** A mailbox {@code local@host} with a non-empty local part and a valid host. */
  static boolean isMailbox(String address) {
    int at = address.indexOf('@');
    return at > 0 && at == address.lastIndexOf('@') && isHostName(address.substring(at + 1))
        && address.substring(0, at).chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  /**
   * The text form of an address as RFC 5952 recommends for IPv6 (lower case, no leading zeros,
   * the longest run of two or more zero groups as {@code ::}) and dotted decimal for IPv4.
   */
  static String canonicalText(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
          + (address[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  /** The bytes of an IP literal, or null if the text is not one (never resolves a host). */
  static byte[] ipBytes(String literal) {
    if (literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      String[] parts = literal.split("\\.");
      byte[] address = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(parts[i]);
        if (octet > 255) {
          return null;
        }
        address[i] = (byte) octet;
      }
      return address;
    }
    if (!literal.contains(":") || !literal.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    try {
      // A string with a colon is parsed as an IPv6 literal, never looked up.
      return InetAddress.getByName("[" + literal + "]").getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
