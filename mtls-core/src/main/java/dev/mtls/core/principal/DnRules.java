package dev.mtls.core.principal;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Kafka-style DN mapping rules; see {@link PrincipalMappers#dnRules(String)} for the syntax.
 * The rules are parsed and checked once, by {@link DnRuleParser}, when the mapper is created.
 */
final class DnRules implements PrincipalMapper {
  private final List<DnRule> rules;

  DnRules(String rules) {
    this.rules = DnRuleParser.parse(rules);
  }

  @Override
  public MappingResult map(List<X509Certificate> verifiedChain) {
    X509Certificate leaf = Chains.leaf(verifiedChain);
    String dn = Chains.rfc2253(leaf.getSubjectX500Principal());
    for (DnRule rule : rules) {
      String name = rule.apply(dn);
      if (name == null) {
        continue;
      }
      if (name.isEmpty()) {
        return MappingResult.rejected(Chains.describe(leaf) + " maps to an empty name by DN rule '"
            + rule.text() + "'; expected a name");
      }
      MtlsPrincipal principal = rule.pattern() == null ? MtlsPrincipal.of("dn", name) : MtlsPrincipal.of("name", name);
      return MappingResult.mapped(principal.withAttribute("dn", dn).withAttribute("rule", rule.text()));
    }
    return MappingResult.noMatch(Chains.describe(leaf) + " matches none of the DN rules "
        + rules.stream().map(DnRule::text).toList());
  }
}
