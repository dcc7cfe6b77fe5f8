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
    int at = address.lastIndexOf('@');
    return at > 0 && isHostName(address.substring(at + 1))
        && address.substring(0, at).chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  /** The bytes of an IP literal, or null if the text is not one (never resolves a host). */
  static byte[] ipBytes(String literal) {
    boolean v4 = literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    if (!v4 && !literal.matches("[0-9A-Fa-f:.]+") || !v4 && !literal.contains(":")) {
      return null;
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
