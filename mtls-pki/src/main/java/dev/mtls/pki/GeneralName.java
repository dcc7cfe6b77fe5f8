package dev.mtls.pki;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * One name of the RFC 5280 {@code GeneralName} choice, as found in a subject alternative name,
 * issuer alternative name or name constraint.
 *
 * <p>The value is the name in its usual text form: a host name for {@link Kind#DNS}, an address
 * for {@link Kind#IP} ({@code 10.0.0.1}, {@code 2001:db8::1}; in a name constraint, an address
 * with a prefix length, {@code 10.0.0.0/8}), a URI for {@link Kind#URI} (SPIFFE IDs included:
 * {@code spiffe://example.org/service}), a mailbox for {@link Kind#EMAIL}, a user principal name
 * for {@link Kind#UPN}, an RFC 2253 distinguished name for {@link Kind#DIRECTORY_NAME}, an object
 * identifier for {@link Kind#REGISTERED_ID}. Names of kinds this library does not interpret
 * ({@link Kind#OTHER_NAME} other than UPN, X.400 addresses, EDI party names) keep their type OID
 * and their DER as hex: {@code 1.2.3.4:0c03616263}.
 *
 * @param kind which alternative of the choice this is
 * @param value the name in the text form described above
 */
public record GeneralName(Kind kind, String value) {

  /** The alternatives of the {@code GeneralName} choice. */
  public enum Kind {
    /** A {@code dNSName}: a host name, possibly with a leading wildcard label. */
    DNS,
    /** An {@code iPAddress}: IPv4 or IPv6 (in name constraints, with a prefix length). */
    IP,
    /** A {@code uniformResourceIdentifier}, such as a SPIFFE ID. */
    URI,
    /** An {@code rfc822Name}: an email address (in name constraints, also a host or domain). */
    EMAIL,
    /** An {@code otherName} of type Microsoft UPN (1.3.6.1.4.1.311.20.2.3). */
    UPN,
    /** A {@code directoryName}: a distinguished name, in RFC 2253 form. */
    DIRECTORY_NAME,
    /** A {@code registeredID}: an object identifier. */
    REGISTERED_ID,
    /** Any other {@code otherName}, X.400 address or EDI party name, kept as OID and hex DER. */
    OTHER_NAME
  }

  /**
   * Validates and normalises the name.
   *
   * @param kind which alternative of the choice this is
   * @param value the name in its text form
   */
  public GeneralName {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("A " + kind + " name must not be empty");
    }
  }

  /**
   * A DNS name, such as {@code api.example.com} or {@code *.example.com}.
   *
   * @param name the host name; stored in lower case
   * @return the name
   */
  public static GeneralName dns(String name) {
    return new GeneralName(Kind.DNS, name.toLowerCase(Locale.ROOT));
  }

  /**
   * An IP address, IPv4 or IPv6, given as a literal (never resolved).
   *
   * @param address an address literal such as {@code 127.0.0.1} or {@code ::1}
   * @return the name, with the address in the canonical form of {@link InetAddress#getHostAddress()}
   * @throws IllegalArgumentException if {@code address} is not an IP literal
   */
  public static GeneralName ip(String address) {
    return new GeneralName(Kind.IP, canonicalAddress(address));
  }

  /**
   * The name a host is reached by: an IP address SAN if the text is an IP literal
   * ({@code 10.0.0.1}, {@code ::1}, {@code [::1]}), a DNS name otherwise. Never resolves anything.
   *
   * @param hostOrAddress a host name or an IP literal
   * @return an {@link Kind#IP} or {@link Kind#DNS} name
   */
  public static GeneralName host(String hostOrAddress) {
    String host = hostOrAddress.startsWith("[") && hostOrAddress.endsWith("]")
        ? hostOrAddress.substring(1, hostOrAddress.length() - 1) : hostOrAddress;
    return isIpLiteral(host) ? ip(host) : dns(host);
  }

  /**
   * An IP address range for a name constraint, in CIDR notation.
   *
   * @param cidr an address and a prefix length, such as {@code 10.0.0.0/8} or {@code fd00::/8}
   * @return the name
   * @throws IllegalArgumentException if {@code cidr} is not an address with a valid prefix length
   */
  public static GeneralName ipRange(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("Not a CIDR range (expected address/prefix): " + cidr);
    }
    String address = canonicalAddress(cidr.substring(0, slash));
    int max = address.contains(":") ? 128 : 32;
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Not a CIDR prefix length in " + cidr, e);
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException(
          "Prefix length out of range 0.." + max + " in " + cidr);
    }
    return new GeneralName(Kind.IP, address + "/" + prefix);
  }

  /**
   * A URI, such as a SPIFFE ID {@code spiffe://example.org/ns/default/sa/api}.
   *
   * @param uri an absolute URI
   * @return the name
   * @throws IllegalArgumentException if {@code uri} is not a syntactically valid absolute URI
   */
  public static GeneralName uri(String uri) {
    try {
      if (!new URI(uri).isAbsolute()) {
        throw new IllegalArgumentException("Not an absolute URI: " + uri);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Not a valid URI: " + uri, e);
    }
    return new GeneralName(Kind.URI, uri);
  }

  /**
   * A URI subtree for a name constraint: a host ({@code api.example.com}) that URIs must name
   * exactly, or a domain with a leading dot ({@code .example.com}) whose subdomains they may
   * name (RFC 5280 section 4.2.1.10).
   *
   * @param hostOrDomain a host name, or a domain starting with a dot
   * @return the name
   * @throws IllegalArgumentException if the value contains a scheme, path or port
   */
  public static GeneralName uriSubtree(String hostOrDomain) {
    if (!hostOrDomain.matches("\\.?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
      throw new IllegalArgumentException(
          "Not a host or .domain for a URI name constraint: " + hostOrDomain);
    }
    return new GeneralName(Kind.URI, hostOrDomain.toLowerCase(Locale.ROOT));
  }

  /**
   * An email address ({@code rfc822Name}).
   *
   * @param address a mailbox such as {@code alice@example.com}
   * @return the name
   */
  public static GeneralName email(String address) {
    return new GeneralName(Kind.EMAIL, address);
  }

  /**
   * A Microsoft user principal name, encoded as an {@code otherName}.
   *
   * @param upn a name such as {@code alice@corp.example.com}
   * @return the name
   */
  public static GeneralName upn(String upn) {
    return new GeneralName(Kind.UPN, upn);
  }

  /**
   * A directory name.
   *
   * @param distinguishedName an RFC 2253 name such as {@code CN=Alice,O=Example}
   * @return the name, in the RFC 2253 form of {@link X500Principal}
   * @throws IllegalArgumentException if the name does not parse
   */
  public static GeneralName directoryName(String distinguishedName) {
    return new GeneralName(
        Kind.DIRECTORY_NAME, new X500Principal(distinguishedName).getName(X500Principal.RFC2253));
  }

  /**
   * A registered object identifier.
   *
   * @param oid a dotted object identifier such as {@code 1.2.3.4}
   * @return the name
   */
  public static GeneralName registeredId(String oid) {
    if (!oid.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
      throw new IllegalArgumentException("Not an object identifier: " + oid);
    }
    return new GeneralName(Kind.REGISTERED_ID, oid);
  }

  /** Returns {@code kind:value}, for instance {@code DNS:api.example.com}. */
  @Override
  public String toString() {
    return kind + ":" + value;
  }

  private static boolean isIpLiteral(String text) {
    return text.contains(":") || text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  }

  private static String canonicalAddress(String literal) {
    if (!isIpLiteral(literal)) {
      throw new IllegalArgumentException("Not an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Not an IP address literal: " + literal, e);
    }
  }
}
