package dev.mtls.core.verify;

import dev.mtls.pki.GeneralName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Whether a well-formed name lies within, or meets, a name-constraint subtree of its kind. */
final class SubtreeMatch {
  private SubtreeMatch() {}

  /** Every name the given name stands for lies in the subtree (for permitted subtrees). */
  static boolean within(GeneralName name, GeneralName subtree) {
    String value = name.value();
    String base = subtree.value();
    return switch (name.kind()) {
      case DNS -> HostNames.inDomain(value.startsWith("*.") ? value.substring(2) : value, base);
      case EMAIL -> email(value, base);
      case URI -> host(uriHost(value), base);
      case IP -> ip(value, base);
      case DIRECTORY_NAME -> directoryName(value, base);
      default -> false;
    };
  }

  /** Some name the given name stands for lies in the subtree (for excluded subtrees). */
  static boolean intersects(GeneralName name, GeneralName subtree) {
    if (name.kind() == GeneralName.Kind.DNS && name.value().startsWith("*.")) {
      String domain = name.value().substring(2);
      return HostNames.inDomain(domain, subtree.value())
          || HostNames.inDomain(subtree.value(), domain);
    }
    return switch (name.kind()) {
      case DNS, EMAIL, URI, IP, DIRECTORY_NAME -> within(name, subtree);
      default -> true;
    };
  }

  private static boolean email(String mailbox, String base) {
    int at = mailbox.lastIndexOf('@');
    String host = mailbox.substring(at + 1);
    if (base.contains("@")) {
      int baseAt = base.lastIndexOf('@');
      return mailbox.substring(0, at).equals(base.substring(0, baseAt))
          && host.equalsIgnoreCase(base.substring(baseAt + 1));
    }
    return host(host, base);
  }

  /** A host against a URI or email subtree: {@code .domain} means subdomains only. */
  private static boolean host(String host, String base) {
    if (host == null) {
      return false;
    }
    if (base.startsWith(".")) {
      return host.toLowerCase(Locale.ROOT).endsWith(base.toLowerCase(Locale.ROOT));
    }
    return host.equalsIgnoreCase(base);
  }

  /** The host of a URI, or null if it has none (then no URI constraint can permit it). */
  static String uriHost(String uri) {
    try {
      String host = new URI(uri).getHost();
      return host != null && HostNames.isHostName(host) ? host : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean ip(String address, String cidr) {
    int slash = cidr.indexOf('/');
    byte[] value = HostNames.ipBytes(address);
    byte[] network = HostNames.ipBytes(cidr.substring(0, slash));
    if (value == null || network == null || value.length != network.length) {
      return false;
    }
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((value[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static boolean directoryName(String name, String base) {
    try {
      LdapName full = new LdapName(canonical(name));
      List<Rdn> prefix = new LdapName(canonical(base)).getRdns();
      return full.size() >= prefix.size() && full.startsWith(prefix);
    } catch (InvalidNameException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String canonical(String rfc2253) {
    return new X500Principal(rfc2253).getName(X500Principal.CANONICAL);
  }
}
