package dev.mtls.core.principal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/** The combinators behind {@link PrincipalMappers}: first match, scopes and agreement. */
final class Composition {

  private Composition() {}

  static PrincipalMapper firstMatch(PrincipalMapper... mappers) {
    List<PrincipalMapper> list = List.of(mappers);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("firstMatch(..) needs at least one mapper");
    }
    return chain -> {
      List<String> reasons = new ArrayList<>();
      for (PrincipalMapper mapper : list) {
        MappingResult result = Objects.requireNonNull(mapper.map(chain), "mapping result");
        if (!(result instanceof MappingResult.NoMatch noMatch)) {
          return result;
        }
        reasons.add(noMatch.why());
      }
      return reasons.size() == 1
          ? MappingResult.noMatch(reasons.get(0))
          : MappingResult.noMatch("no mapper matched: " + String.join("; ", reasons));
    };
  }

  static PrincipalMapper scopedToIssuer(X500Principal issuer, PrincipalMapper mapper) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(mapper, "mapper");
    return chain -> {
      X509Certificate leaf = Chains.leaf(chain);
      X509Certificate anchor = Chains.anchor(chain);
      if (leaf.getIssuerX500Principal().equals(issuer) || anchor.getSubjectX500Principal().equals(issuer)) {
        return mapper.map(chain);
      }
      return MappingResult.noMatch(Chains.describe(leaf) + " is issued by '"
          + Chains.rfc2253(leaf.getIssuerX500Principal()) + "' under trust anchor '"
          + Chains.rfc2253(anchor.getSubjectX500Principal()) + "'; the mapper applies only to '"
          + Chains.rfc2253(issuer) + "'");
    };
  }

  static PrincipalMapper scopedToTrustDomain(String trustDomain, PrincipalMapper mapper) {
    SpiffeMapper.checkedTrustDomain(Objects.requireNonNull(trustDomain, "trustDomain"));
    Objects.requireNonNull(mapper, "mapper");
    return chain -> {
      X509Certificate leaf = Chains.leaf(chain);
      MappingResult svid = SpiffeMapper.svid(leaf);
      if (!(svid instanceof MappingResult.Mapped mapped)) {
        return svid;
      }
      String actual = mapped.principal().attributes().get("trustDomain");
      if (!actual.equals(trustDomain)) {
        return MappingResult.noMatch(Chains.describe(leaf) + " has SPIFFE ID '" + mapped.principal().value()
            + "' in trust domain '" + actual + "'; the mapper applies only to trust domain '" + trustDomain + "'");
      }
      return mapper.map(chain);
    };
  }

  static PrincipalMapper requireAgreement(PrincipalMapper first, PrincipalMapper second) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    return chain -> {
      MappingResult a = Objects.requireNonNull(first.map(chain), "mapping result");
      if (a instanceof MappingResult.Rejected) {
        return a;
      }
      MappingResult b = Objects.requireNonNull(second.map(chain), "mapping result");
      if (b instanceof MappingResult.Rejected) {
        return b;
      }
      if (a instanceof MappingResult.NoMatch noA && b instanceof MappingResult.NoMatch noB) {
        return MappingResult.noMatch(noA.why() + "; " + noB.why());
      }
      String leaf = Chains.describe(Chains.leaf(chain));
      if (a instanceof MappingResult.Mapped mappedA && b instanceof MappingResult.Mapped mappedB) {
        String nameA = mappedA.principal().getName();
        String nameB = mappedB.principal().getName();
        return nameA.equals(nameB)
            ? a
            : MappingResult.rejected(leaf + " maps to '" + nameA + "' and to '" + nameB
                + "'; both mappers must agree");
      }
      String why = a instanceof MappingResult.NoMatch noA ? noA.why() : ((MappingResult.NoMatch) b).why();
      MtlsPrincipal one = a.mappedPrincipal().or(b::mappedPrincipal).orElseThrow();
      return MappingResult.rejected(leaf + " maps to '" + one.getName()
          + "' by one mapper but not by the other (" + why + "); both mappers must agree");
    };
  }
}
