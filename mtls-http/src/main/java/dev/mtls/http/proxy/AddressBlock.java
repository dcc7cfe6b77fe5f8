package dev.mtls.http.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR block of them ({@code 10.1.2.3}, {@code 10.0.0.0/8},
 * {@code fd00::/8}, {@code ::1}). Written as literals only: a host name is refused rather than
 * looked up, and so is a block with host bits set ({@code 10.0.0.1/8}), which usually means a
 * typing mistake. An IPv4 address matches IPv4 blocks only and an IPv6 address IPv6 blocks only,
 * except that an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is the IPv4 address.
 */
final class AddressBlock {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
  private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");
  private static final String EXPECTED = "expected an IPv4 or IPv6 address or a CIDR block, such as 10.1.2.3,"
      + " 10.0.0.0/8, 2001:db8::1 or fd00::/8";

  private final String text;
  private final byte[] network;
  private final int prefix;

  private AddressBlock(String text, byte[] network, int prefix) {
    this.text = text;
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses a block.
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  static AddressBlock parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address, text);
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = text.substring(slash + 1);
      if (!PREFIX.matcher(length).matches() || Integer.parseInt(length) > bits) {
        throw new IllegalArgumentException("found trusted proxy address '" + text + "' with prefix length '"
            + length + "'; expected 0 to " + bits + " for an IPv" + (bits == 32 ? "4" : "6") + " block");
      }
      prefix = Integer.parseInt(length);
      if (prefix == 0) {
        throw new IllegalArgumentException("found trusted proxy address '" + text + "'; a block of every address"
            + " would let every client forward any certificate; expected the proxies' addresses or their subnet");
      }
      for (int bit = prefix; bit < bits; bit++) {
        if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
          throw new IllegalArgumentException("found trusted proxy address '" + text + "' with host bits set after"
              + " the first " + prefix + "; expected the block's first address, such as "
              + firstAddress(bytes, prefix) + "/" + prefix);
        }
      }
    }
    return new AddressBlock(text, bytes, prefix);
  }

  private static byte[] literal(String address, String text) {
    boolean v4 = IPV4.matcher(address).matches();
    if (!v4 && !(IPV6.matcher(address).matches() && address.indexOf(':') >= 0)) {
      throw new IllegalArgumentException("found trusted proxy address '" + text + "'; " + EXPECTED
          + " (host names are not looked up)");
    }
    try {
      // A literal, in brackets if IPv6 so that the JDK refuses a malformed one instead of
      // looking it up as a host name.
      InetAddress parsed = InetAddress.getByName(v4 ? address : "[" + address + "]");
      return parsed.getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("found trusted proxy address '" + text + "'; " + EXPECTED, e);
    }
  }

  private static String firstAddress(byte[] bytes, int prefix) {
    byte[] first = bytes.clone();
    for (int bit = prefix; bit < first.length * 8; bit++) {
      first[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(first).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + first.length + " bytes", e);
    }
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
      bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
    } else if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
      return false;
    }
    if (bytes.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (bytes[whole] & mask) == (network[whole] & mask);
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
  }

  @Override
  public String toString() {
    return text;
  }
}
