package dev.mtls.core.principal;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a verified certificate chain into an application principal.
 *
 * <p>A mapper only ever sees chains that already passed verification: it decides who the peer
 * is, never whether the certificate is trustworthy. The built-in mappers are in
 * {@link PrincipalMappers}; the default methods here decorate a mapper. Mappers are stateless
 * and safe to call from many threads at once.
 */
@FunctionalInterface
public interface PrincipalMapper {

  /**
   * Maps a verified chain.
   *
   * @param verifiedChain the chain that passed verification: the peer's certificate first, then
   *     each issuer, the trust anchor last (a pinned peer without issuers: its certificate alone)
   * @return the principal, no match, or a rejection; never {@code null}
   */
  MappingResult map(List<X509Certificate> verifiedChain);

  /**
   * Returns a mapper that adds groups to every principal this mapper maps. The groups are added
   * to those the principal already has. No match and rejections pass through unchanged.
   *
   * @param groupsOf the groups of a principal, for instance
   *     {@code p -> table.getOrDefault(p.getName(), Set.of())}; must not return {@code null}
   * @return the decorated mapper
   */
  default PrincipalMapper withGroups(Function<? super MtlsPrincipal, ? extends Set<String>> groupsOf) {
    Objects.requireNonNull(groupsOf, "groupsOf");
    return chain -> {
      MappingResult result = map(chain);
      if (result instanceof MappingResult.Mapped mapped) {
        MtlsPrincipal principal = mapped.principal();
        Set<String> more = Objects.requireNonNull(groupsOf.apply(principal),
            () -> "groups of " + principal.getName());
        Set<String> all = new TreeSet<>(principal.groups());
        all.addAll(more);
        return MappingResult.mapped(principal.withGroups(all));
      }
      return result;
    };
  }

  /**
   * Returns a mapper that maps to a fixed principal when this one finds no match, for instance
   * an anonymous principal with no rights. Rejections stay rejections.
   *
   * @param fallback the principal for chains this mapper does not match
   * @return the decorated mapper
   */
  default PrincipalMapper orElse(MtlsPrincipal fallback) {
    Objects.requireNonNull(fallback, "fallback");
    return chain -> {
      MappingResult result = map(chain);
      return result instanceof MappingResult.NoMatch ? MappingResult.mapped(fallback) : result;
    };
  }

  /**
   * Returns a mapper that rejects the chains this one does not match, so that its result is
   * always {@link MappingResult.Mapped} or {@link MappingResult.Rejected}. This is the secure
   * default at the top level: a peer nobody could name gets no identity at all.
   *
   * @return the decorated mapper; its rejection reason is {@code no principal: } followed by
   *     the no-match explanation
   */
  default PrincipalMapper orElseReject() {
    return chain -> {
      MappingResult result = map(chain);
      return result instanceof MappingResult.NoMatch noMatch
          ? MappingResult.rejected("no principal: " + noMatch.why())
          : result;
    };
  }
}
