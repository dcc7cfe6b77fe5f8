package dev.mtls.core.principal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Maps one attribute of the subject DN; see
 * {@link PrincipalMappers#subjectAttribute(String, AttributeSelection)}.
 *
 * <p>The subject is read in the RFC 2253 form of {@link javax.security.auth.x500.X500Principal},
 * which names CN, C, L, ST, O, OU, STREET, DC and UID by keyword and every other attribute by
 * its dotted OID with a hex DER value ({@code 2.5.4.5=#130131}); the DER strings are decoded.
 */
final class SubjectAttributeMapper implements PrincipalMapper {
  /** The keywords X500Principal writes in RFC 2253 form. */
  private static final Set<String> KEYWORDS = Set.of("CN", "C", "L", "ST", "O", "OU", "STREET", "DC", "UID");
  /** The OIDs of those keywords, so that configuring {@code 2.5.4.3} means {@code CN}. */
  private static final Map<String, String> KEYWORD_OIDS = Map.of(
      "2.5.4.3", "CN", "2.5.4.6", "C", "2.5.4.7", "L", "2.5.4.8", "ST", "2.5.4.10", "O",
      "2.5.4.11", "OU", "2.5.4.9", "STREET", "0.9.2342.19200300.100.1.25", "DC",
      "0.9.2342.19200300.100.1.1", "UID");
  private static final String OID = "[0-2](\\.(0|[1-9][0-9]*))+";

  private final String attribute;
  private final AttributeSelection selection;

  SubjectAttributeMapper(String attribute, AttributeSelection selection) {
    this.attribute = normalise(Objects.requireNonNull(attribute, "attribute"));
    this.selection = Objects.requireNonNull(selection, "selection");
  }

  private static String normalise(String attribute) {
    if (attribute.matches(OID)) {
      return KEYWORD_OIDS.getOrDefault(attribute, attribute);
    }
    String keyword = attribute.toUpperCase(Locale.ROOT);
    if (!KEYWORDS.contains(keyword)) {
      throw new IllegalArgumentException("Unknown subject attribute '" + attribute + "'; use one of "
          + "CN, OU, O, UID, DC, C, L, ST, STREET or a dotted OID such as 2.5.4.5 (serialNumber)");
    }
    return keyword;
  }

  @Override
  public MappingResult map(List<X509Certificate> verifiedChain) {
    X509Certificate leaf = Chains.leaf(verifiedChain);
    String dn = Chains.rfc2253(leaf.getSubjectX500Principal());
    List<Rdn> rdns;
    try {
      rdns = new LdapName(dn).getRdns();
    } catch (InvalidNameException e) {
      return MappingResult.rejected(Chains.describe(leaf) + " has a subject that does not parse as RFC 2253: "
          + e.getMessage());
    }
    // getRdns() lists the RDNs as the certificate encodes them, the most specific one last;
    // walk them in RFC 2253 string order instead, the most specific first.
    List<List<String>> valuesPerRdn = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int i = rdns.size() - 1; i >= 0; i--) {
      Rdn rdn = rdns.get(i);
      List<String> values;
      try {
        values = values(rdn);
      } catch (IllegalArgumentException e) {
        return MappingResult.rejected(Chains.describe(leaf) + " has a " + attribute + " attribute "
            + e.getMessage());
      }
      if (!values.isEmpty()) {
        valuesPerRdn.add(values);
        all.addAll(values);
      }
    }
    if (all.isEmpty()) {
      return MappingResult.noMatch(Chains.describe(leaf) + " has no " + attribute + " attribute in its subject; "
          + (selection == AttributeSelection.ONLY ? "expected exactly one" : "expected at least one"));
    }
    List<String> chosen = selection == AttributeSelection.ONLY ? all : valuesPerRdn.get(0);
    if (chosen.size() > 1) {
      return MappingResult.rejected(Chains.describe(leaf) + " has " + chosen.size() + " " + attribute
          + " values " + chosen + (selection == AttributeSelection.ONLY
              ? "; expected exactly one"
              : " in its most specific " + attribute + " RDN; expected one"));
    }
    if (chosen.get(0).isEmpty()) {
      return MappingResult.rejected(Chains.describe(leaf) + " has an empty " + attribute + "; expected a name");
    }
    return MappingResult.mapped(MtlsPrincipal.of(type(), chosen.get(0)).withAttribute("dn", dn));
  }

  /** Returns the principal type: the lower-case keyword, or the OID. */
  String type() {
    return attribute.toLowerCase(Locale.ROOT);
  }

  private List<String> values(Rdn rdn) {
    Attribute values = rdn.toAttributes().get(attribute);
    List<String> result = new ArrayList<>();
    if (values == null) {
      return result;
    }
    try {
      for (int i = 0; i < values.size(); i++) {
        Object value = values.get(i);
        result.add(value instanceof byte[] der ? decodeDerString(der) : value.toString());
      }
    } catch (NamingException e) {
      throw new IllegalStateException("Cannot read the values of " + rdn, e);
    }
    return result;
  }

  /**
   * Decodes a DER-encoded directory string (UTF8String, PrintableString, IA5String, ...).
   *
   * @throws IllegalArgumentException if the value is not a string
   */
  static String decodeDerString(byte[] der) {
    String hex = "#" + HexFormat.of().formatHex(der);
    if (der.length < 2) {
      throw new IllegalArgumentException("value " + hex + " that is not DER");
    }
    int length = der[1] & 0xff;
    int offset = 2;
    if (length > 0x7f) {
      int octets = length & 0x7f;
      if (octets == 0 || octets > 3 || der.length < 2 + octets) {
        throw new IllegalArgumentException("value " + hex + " that is not DER");
      }
      length = 0;
      for (int i = 0; i < octets; i++) {
        length = (length << 8) | (der[2 + i] & 0xff);
      }
      offset += octets;
    }
    if (offset + length != der.length) {
      throw new IllegalArgumentException("value " + hex + " whose DER length does not match");
    }
    Charset charset = switch (der[0]) {
      case 0x0c -> StandardCharsets.UTF_8;
      case 0x12, 0x13, 0x16, 0x1a -> StandardCharsets.US_ASCII;
      case 0x14 -> StandardCharsets.ISO_8859_1;
      case 0x1e -> StandardCharsets.UTF_16BE;
      case 0x1c -> Charset.forName("UTF-32BE");
      default -> throw new IllegalArgumentException("value " + hex + " that is not a string (DER tag 0x"
          + HexFormat.of().toHexDigits(der[0]) + ")");
    };
    return new String(der, offset, length, charset);
  }
}
