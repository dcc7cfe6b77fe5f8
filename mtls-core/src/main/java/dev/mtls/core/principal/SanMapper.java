package dev.mtls.core.principal;

import dev.mtls.pki.GeneralName;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Maps the one SAN of a kind; see {@link PrincipalMappers#subjectAlternativeName(GeneralName.Kind)}. */
final class SanMapper implements PrincipalMapper {
  private final GeneralName.Kind kind;
  private final Pattern filter;
  private final String type;
  private final String label;

  /** Creates the mapper; {@code filter} is {@code null} to consider every SAN of the kind. */
  SanMapper(GeneralName.Kind kind, Pattern filter) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.filter = filter;
    switch (kind) {
      case DNS -> {
        type = "dns";
        label = "DNS";
      }
      case IP -> {
        type = "ip";
        label = "IP";
      }
      case URI -> {
        type = "uri";
        label = "URI";
      }
      case EMAIL -> {
        type = "email";
        label = "email";
      }
      case UPN -> {
        type = "upn";
        label = "UPN";
      }
      default -> throw new IllegalArgumentException("Cannot map " + kind
          + " subject alternative names to a principal; supported kinds are DNS, IP, URI, EMAIL and UPN");
    }
  }

  @Override
  public MappingResult map(List<X509Certificate> verifiedChain) {
    X509Certificate leaf = Chains.leaf(verifiedChain);
    List<String> all = Chains.subjectAlternativeNames(leaf, kind);
    List<String> candidates = filter == null
        ? all
        : all.stream().filter(value -> filter.matcher(value).matches()).toList();
    String matching = filter == null ? "" : " matching '" + filter.pattern() + "'";
    if (candidates.isEmpty()) {
      String had = filter == null || all.isEmpty() ? "" : " (its " + label + " SANs are " + all + ")";
      return MappingResult.noMatch(Chains.describe(leaf) + " has no " + label + " SAN" + matching + had
          + "; expected exactly one");
    }
    if (candidates.size() > 1) {
      return MappingResult.rejected(Chains.describe(leaf) + " has " + candidates.size() + " " + label
          + " SANs" + matching + " " + candidates + "; expected exactly one");
    }
    return MappingResult.mapped(MtlsPrincipal.of(type, candidates.get(0)));
  }
}
