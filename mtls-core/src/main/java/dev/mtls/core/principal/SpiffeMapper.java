package dev.mtls.core.principal;

import dev.mtls.pki.GeneralName;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Maps an X509-SVID to {@code spiffe:<SPIFFE ID>}; see {@link PrincipalMappers#spiffe(String...)}. */
final class SpiffeMapper implements PrincipalMapper {
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private final SortedSet<String> trustDomains;

  SpiffeMapper(String... trustDomains) {
    if (trustDomains.length == 0) {
      throw new IllegalArgumentException(
          "spiffe(..) needs at least one trust domain to accept, such as spiffe(\"example.org\")");
    }
    TreeSet<String> copy = new TreeSet<>();
    for (String trustDomain : trustDomains) {
      copy.add(checkedTrustDomain(trustDomain));
    }
    this.trustDomains = copy;
  }

  /** Validates a configured trust domain, failing with the reason. */
  static String checkedTrustDomain(String trustDomain) {
    try {
      SpiffeId.checkTrustDomain(trustDomain);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a SPIFFE trust domain: " + e.getMessage(), e);
    }
    return trustDomain;
  }

  @Override
  public MappingResult map(List<X509Certificate> verifiedChain) {
    X509Certificate leaf = Chains.leaf(verifiedChain);
    MappingResult svid = svid(leaf);
    if (!(svid instanceof MappingResult.Mapped mapped)) {
      return svid;
    }
    String trustDomain = mapped.principal().attributes().get("trustDomain");
    if (!trustDomains.contains(trustDomain)) {
      return MappingResult.rejected(Chains.describe(leaf) + " has SPIFFE ID '" + mapped.principal().value()
          + "' in trust domain '" + trustDomain + "'; accepted trust domains are " + trustDomains);
    }
    return svid;
  }

  /**
   * Applies the X509-SVID rules to a leaf, without the trust-domain allow-list: a principal
   * with attributes {@code trustDomain} and {@code path}, no match, or a rejection.
   */
  static MappingResult svid(X509Certificate leaf) {
    List<String> uris = Chains.subjectAlternativeNames(leaf, GeneralName.Kind.URI);
    if (uris.stream().noneMatch(SpiffeId::hasSpiffeScheme)) {
      return MappingResult.noMatch(Chains.describe(leaf)
          + (uris.isEmpty() ? " has no URI SAN" : " has no SPIFFE ID among its URI SANs " + uris)
          + "; an X509-SVID has exactly one URI SAN, a spiffe:// ID");
    }
    if (uris.size() > 1) {
      return MappingResult.rejected(Chains.describe(leaf) + " has " + uris.size() + " URI SANs " + uris
          + "; an X509-SVID has exactly one");
    }
    String uri = uris.get(0);
    SpiffeId id;
    try {
      id = SpiffeId.parseWorkloadId(uri);
    } catch (IllegalArgumentException e) {
      return MappingResult.rejected(Chains.describe(leaf) + " has SPIFFE ID '" + uri
          + "', which is not valid: " + e.getMessage());
    }
    if (leaf.getBasicConstraints() >= 0) {
      return MappingResult.rejected(Chains.describe(leaf) + " with SPIFFE ID '" + uri
          + "' is a CA certificate (basic constraints cA=true); an X509-SVID leaf must not be a CA");
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && keyUsage.length > CRL_SIGN && (keyUsage[KEY_CERT_SIGN] || keyUsage[CRL_SIGN])) {
      return MappingResult.rejected(Chains.describe(leaf) + " with SPIFFE ID '" + uri
          + "' has key usage keyCertSign or cRLSign; an X509-SVID leaf must have neither");
    }
    return MappingResult.mapped(MtlsPrincipal.of("spiffe", id.toString())
        .withAttribute("trustDomain", id.trustDomain())
        .withAttribute("path", id.path()));
  }
}
