package dev.mtls.core.principal;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PrincipalMapper} made of a verified chain: a principal, no opinion, or a refusal.
 *
 * <p>The three cases differ in what happens next. {@link Mapped} ends the search with an identity.
 * {@link NoMatch} means the mapper did not find what it looks for (no URI SAN, no rule matched),
 * so a {@linkplain PrincipalMappers#firstMatch(PrincipalMapper...) composite} may ask the next
 * mapper; at the top level it is a refusal. {@link Rejected} means the certificate has what the
 * mapper looks for but in a form it must not accept (two SPIFFE IDs, a CA certificate as an
 * X509-SVID, a trust domain outside the allow-list): no other mapper is asked.
 *
 * <p>Each message says what the certificate had and what the mapper expected, so that it can be
 * logged and acted on without the certificate at hand.
 */
public sealed interface MappingResult {

  /**
   * Returns a result carrying a principal.
   *
   * @param principal the principal
   * @return the result
   */
  static MappingResult mapped(MtlsPrincipal principal) {
    return new Mapped(principal);
  }

  /**
   * Returns a result saying the mapper found nothing to map, so another may try.
   *
   * @param why what the certificate had and what the mapper looked for
   * @return the result
   */
  static MappingResult noMatch(String why) {
    return new NoMatch(why);
  }

  /**
   * Returns a result refusing the chain.
   *
   * @param reason what the certificate had and why that is not acceptable
   * @return the result
   */
  static MappingResult rejected(String reason) {
    return new Rejected(reason);
  }

  /**
   * Returns the principal if this result is {@link Mapped}.
   *
   * @return the principal, or empty
   */
  default Optional<MtlsPrincipal> mappedPrincipal() {
    return this instanceof Mapped mapped ? Optional.of(mapped.principal()) : Optional.empty();
  }

  /**
   * The chain maps to a principal.
   *
   * @param principal the principal
   */
  record Mapped(MtlsPrincipal principal) implements MappingResult {

    /**
     * Checks the principal is present.
     *
     * @param principal the principal
     */
    public Mapped {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /**
   * The mapper found nothing it could map; the next mapper may try.
   *
   * @param why what the certificate had and what the mapper looked for
   */
  record NoMatch(String why) implements MappingResult {

    /**
     * Checks the explanation is present.
     *
     * @param why what the certificate had and what the mapper looked for
     */
    public NoMatch {
      Objects.requireNonNull(why, "why");
    }
  }

  /**
   * The chain is refused; no other mapper is asked.
   *
   * @param reason what the certificate had and why that is not acceptable
   */
  record Rejected(String reason) implements MappingResult {

    /**
     * Checks the reason is present.
     *
     * @param reason what the certificate had and why that is not acceptable
     */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
