package dev.mtls.core.principal;

import dev.mtls.pki.GeneralName;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * The built-in {@link PrincipalMapper}s and the ways to combine them.
 *
 * <p>Each mapper reads one field of the peer's certificate and never falls back to another: a
 * SPIFFE mapper does not look at the common name when there is no URI SAN, it answers
 * {@link MappingResult.NoMatch}. Fallbacks are written out with
 * {@link #firstMatch(PrincipalMapper...)}, so that they are visible in the configuration.
 *
 * <p>All arguments are checked when the mapper is created; a bad configuration fails with an
 * {@link IllegalArgumentException} then, never during a handshake.
 */
public final class PrincipalMappers {

  private PrincipalMappers() {}

  /**
   * Maps an X509-SVID to {@code spiffe:<SPIFFE ID>}, with the attributes {@code trustDomain} and
   * {@code path}.
   *
   * <p>The rules of the X509-SVID specification apply to the peer's certificate: it has exactly
   * one URI SAN, a SPIFFE ID ({@code spiffe://}, a lower-case trust domain of letters, digits,
   * {@code .}, {@code -} and {@code _}, a non-empty path of non-empty segments that are not
   * {@code .} or {@code ..}, no user info, port, query or fragment); it is not a CA (basic
   * constraints) and has neither keyCertSign nor cRLSign key usage. A certificate without any
   * {@code spiffe:} URI SAN is no match. A certificate with one that breaks a rule, with several
   * URI SANs of which one is a {@code spiffe:} URI, or whose trust domain is not accepted, is
   * rejected.
   *
   * @param trustDomains the trust domains to accept, such as {@code example.org}; at least one
   * @return the mapper
   * @throws IllegalArgumentException if there is no trust domain or one is not valid
   */
  public static PrincipalMapper spiffe(String... trustDomains) {
    return new SpiffeMapper(trustDomains);
  }

  /**
   * Maps the peer certificate's only subject alternative name of a kind: a DNS SAN to
   * {@code dns:<name>}, an IP SAN to {@code ip:<address>}, a URI SAN to {@code uri:<uri>}, an
   * email SAN to {@code email:<address>}, a UPN to {@code upn:<name>}.
   *
   * <p>No SAN of the kind is no match. Several are rejected: RFC 5280 gives SANs no order, so
   * picking the first would let the encoding decide who the peer is. To choose among several, use
   * {@link #subjectAlternativeName(GeneralName.Kind, Pattern)}.
   *
   * @param kind DNS, IP, URI, EMAIL or UPN
   * @return the mapper
   * @throws IllegalArgumentException for another kind
   */
  public static PrincipalMapper subjectAlternativeName(GeneralName.Kind kind) {
    return new SanMapper(kind, null);
  }

  /**
   * Like {@link #subjectAlternativeName(GeneralName.Kind)}, but considers only the SANs of the
   * kind whose whole value matches a pattern, such as {@code [a-z0-9-]+\.clients\.example\.org}
   * for a certificate that also names {@code localhost}. Exactly one must match.
   *
   * @param kind DNS, IP, URI, EMAIL or UPN
   * @param pattern a regular expression the whole SAN value must match
   * @return the mapper
   * @throws IllegalArgumentException for a kind other than DNS, IP, URI, EMAIL or UPN
   */
  public static PrincipalMapper subjectAlternativeName(GeneralName.Kind kind, Pattern pattern) {
    return new SanMapper(kind, Objects.requireNonNull(pattern, "pattern"));
  }

  /**
   * Maps an attribute of the peer certificate's subject, such as its common name, to
   * {@code <attribute>:<value>}: {@code cn:alice}, {@code ou:payments}, or for an attribute named
   * by OID, {@code 2.5.4.5:12345}. The principal has the attribute {@code dn}, the subject in
   * RFC 2253 form.
   *
   * <p>The subject is parsed as a structured name, so an escaped comma stays part of its value
   * ({@code CN=Smith\, John} has the common name {@code Smith, John}) and each attribute of a
   * multi-valued RDN ({@code CN=alice+UID=a1}) counts on its own. A subject without the attribute
   * is no match; when it has the attribute more than once, {@code selection} decides.
   *
   * @param attribute {@code CN}, {@code OU}, {@code O}, {@code UID}, {@code DC}, {@code C},
   *     {@code L}, {@code ST}, {@code STREET} (any case), or a dotted OID such as
   *     {@code 2.5.4.5} (serialNumber); the OID of one of the named attributes means that name
   * @param selection what to do with several values
   * @return the mapper
   * @throws IllegalArgumentException if the attribute is neither a known name nor an OID
   */
  public static PrincipalMapper subjectAttribute(String attribute, AttributeSelection selection) {
    return new SubjectAttributeMapper(attribute, selection);
  }

  /**
   * Maps the peer certificate's subject with Kafka-style rules, the syntax of Kafka's
   * {@code ssl.principal.mapping.rules}.
   *
   * <p>The rules are separated by commas or newlines, and tried in order. Each is either
   * {@code DEFAULT}, which maps any subject to {@code dn:<subject>}, or
   * {@code RULE:pattern/replacement/} with an optional {@code L} (lower case) or {@code U}
   * (upper case) after the last slash. A rule applies when {@code pattern}, a Java regular
   * expression, matches the <em>whole</em> subject in the RFC 2253 form of
   * {@link X500Principal#getName(String)}: most specific RDN first, no spaces after commas,
   * special characters escaped with a backslash, and attributes other than CN, C, L, ST, O, OU,
   * STREET, DC and UID written as a dotted OID with a hex DER value, such as
   * {@code CN=Smith\, John,2.5.4.5=#130131,O=Example}. The principal is then
   * {@code name:<replacement>}, where {@code $1} to {@code $n} insert the pattern's groups,
   * {@code $0} the whole subject, and a backslash takes the next character literally
   * ({@code \/}, {@code \$}, {@code \\}). In the pattern, {@code \/} is a slash. The principal
   * has the attributes {@code dn} (the subject) and {@code rule} (the rule that matched). No
   * matching rule is no match.
   *
   * <p>Example: {@code RULE:^CN=([^,]+),OU=clients,O=Example$/$1/L, DEFAULT} maps
   * {@code CN=Alice,OU=clients,O=Example} to {@code name:alice} and every other subject to
   * {@code dn:<subject>}.
   *
   * <p>The rules are stricter than Kafka's: a {@code $n} beyond the pattern's groups, a flag other
   * than {@code L} or {@code U}, text after a rule, a {@code $} not followed by a group number, an
   * empty pattern, a trailing comma and a rule after {@code DEFAULT} (which could never apply)
   * are all errors. A replacement that yields an empty name rejects the certificate.
   *
   * @param rules the rules
   * @return the mapper
   * @throws IllegalArgumentException naming the rule, the position (counted from 1 in
   *     {@code rules}) and the problem, if the rules do not parse
   */
  public static PrincipalMapper dnRules(String rules) {
    return new DnRules(rules);
  }

  /**
   * Maps the peer certificate's public key, by its SPKI pin, to a configured principal. A pin
   * names a key, not a certificate: certificates re-issued for the same key map to the same
   * principal. The principal has the attribute {@code pin}. A key not in the table is no match,
   * and the message shows its pin, ready to copy into the table.
   *
   * @param principalNamesByPin principal names in {@code type:value} form (such as
   *     {@code service:billing}; the type is yours to choose) by pin in the form of
   *     {@link dev.mtls.pki.Certificates#spkiPin(java.security.cert.X509Certificate)},
   *     {@code sha256/<Base64>}; not empty
   * @return the mapper
   * @throws IllegalArgumentException if the table is empty, a pin is malformed or a name has no
   *     type prefix
   */
  public static PrincipalMapper spkiPins(Map<String, String> principalNamesByPin) {
    return BindingTable.spkiPins(principalNamesByPin);
  }

  /**
   * Maps the peer certificate, by its issuer and serial number, to a configured principal: a
   * binding to exactly one certificate. The principal has the attributes {@code issuer} (RFC 2253)
   * and {@code serial} (lower-case hex). A certificate not in the table is no match.
   *
   * @param principalNamesByCertificate principal names in {@code type:value} form (such as
   *     {@code user:alice}; the type is yours to choose) by issuer and serial number; not empty
   * @return the mapper
   * @throws IllegalArgumentException if the table is empty or a name has no type prefix
   */
  public static PrincipalMapper issuerAndSerial(Map<IssuerSerial, String> principalNamesByCertificate) {
    return BindingTable.issuerAndSerial(principalNamesByCertificate);
  }

  /**
   * Asks each mapper in turn: the first principal wins, the first rejection ends the search.
   * When none matches, the result is no match with every mapper's explanation.
   *
   * @param mappers the mappers, in order; at least one
   * @return the composite mapper
   * @throws IllegalArgumentException if there is no mapper
   */
  public static PrincipalMapper firstMatch(PrincipalMapper... mappers) {
    return Composition.firstMatch(mappers);
  }

  /**
   * Applies a mapper only to chains from one CA: those whose peer certificate was issued by, or
   * whose trust anchor is, the given name. Other chains are no match. Use it to give each CA its
   * own rules, so that one CA cannot issue names that another CA's rules would accept.
   *
   * @param issuerOrAnchor the subject of the issuing CA or of the trust anchor
   * @param mapper the mapper for that CA's certificates
   * @return the scoped mapper
   */
  public static PrincipalMapper scopedToIssuer(X500Principal issuerOrAnchor, PrincipalMapper mapper) {
    return Composition.scopedToIssuer(issuerOrAnchor, mapper);
  }

  /**
   * Applies a mapper only to X509-SVIDs of one SPIFFE trust domain. A certificate with no
   * SPIFFE ID, or one of another trust domain, is no match; one that breaks the X509-SVID rules
   * of {@link #spiffe(String...)} is rejected.
   *
   * @param trustDomain the trust domain, such as {@code example.org}
   * @param mapper the mapper for that trust domain
   * @return the scoped mapper
   * @throws IllegalArgumentException if the trust domain is not valid
   */
  public static PrincipalMapper scopedToTrustDomain(String trustDomain, PrincipalMapper mapper) {
    return Composition.scopedToTrustDomain(trustDomain, mapper);
  }

  /**
   * Requires two mappers to name the same principal ({@link MtlsPrincipal#getName()}), for
   * instance an SPKI pin table and a SPIFFE ID. The result is then the first mapper's principal.
   * A rejection by either is the result; no match by both is no match; a principal from one and
   * no match or a different principal from the other is a rejection.
   *
   * @param first the mapper whose principal is the result
   * @param second the mapper that must agree
   * @return the combined mapper
   */
  public static PrincipalMapper requireAgreement(PrincipalMapper first, PrincipalMapper second) {
    return Composition.requireAgreement(first, second);
  }
}
