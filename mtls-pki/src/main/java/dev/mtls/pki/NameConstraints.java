package dev.mtls.pki;

import java.util.List;
import java.util.Objects;

/**
 * The name constraints extension of a CA certificate (RFC 5280 section 4.2.1.10): the subtrees of
 * names that certificates below the CA may use ({@code permitted}) and may not use
 * ({@code excluded}). A private root constrained to {@code .internal.example.com} cannot be
 * misused to certify {@code bank.example}, even if its key leaks.
 *
 * <p>Subtrees use the text forms of {@link GeneralName}: {@code DNS:example.com} (the domain and
 * its subdomains), {@code IP:10.0.0.0/8}, {@code EMAIL:example.com},
 * {@code URI:.example.com} (see {@link GeneralName#uriSubtree(String)}),
 * {@code DIRECTORY_NAME:O=Example}.
 *
 * @param permitted subtrees that names must fall into (an empty list permits everything)
 * @param excluded subtrees that names must not fall into
 */
public record NameConstraints(List<GeneralName> permitted, List<GeneralName> excluded) {

  /**
   * Copies the lists.
   *
   * @param permitted subtrees that names must fall into
   * @param excluded subtrees that names must not fall into
   */
  public NameConstraints {
    permitted = List.copyOf(Objects.requireNonNull(permitted, "permitted"));
    excluded = List.copyOf(Objects.requireNonNull(excluded, "excluded"));
    if (permitted.isEmpty() && excluded.isEmpty()) {
      throw new IllegalArgumentException("Name constraints need at least one subtree");
    }
  }

  /**
   * Constraints that only permit the given subtrees.
   *
   * @param permitted the permitted subtrees
   * @return the constraints
   */
  public static NameConstraints permitting(GeneralName... permitted) {
    return new NameConstraints(List.of(permitted), List.of());
  }

  /**
   * Constraints that only exclude the given subtrees.
   *
   * @param excluded the excluded subtrees
   * @return the constraints
   */
  public static NameConstraints excluding(GeneralName... excluded) {
    return new NameConstraints(List.of(), List.of(excluded));
  }
}
