package dev.mtls.pki;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The policy constraints extension of a CA certificate (RFC 5280 section 4.2.1.11): after how
 * many further certificates in a path an explicit policy is required, and after how many policy
 * mapping is no longer allowed. At least one of the two is present.
 *
 * @param requireExplicitPolicy the {@code requireExplicitPolicy} skip count, if present
 * @param inhibitPolicyMapping the {@code inhibitPolicyMapping} skip count, if present
 */
public record PolicyConstraints(OptionalInt requireExplicitPolicy, OptionalInt inhibitPolicyMapping) {

  /**
   * Checks the values.
   *
   * @param requireExplicitPolicy the requireExplicitPolicy skip count, if present
   * @param inhibitPolicyMapping the inhibitPolicyMapping skip count, if present
   * @throws IllegalArgumentException if both are absent
   */
  public PolicyConstraints {
    Objects.requireNonNull(requireExplicitPolicy, "requireExplicitPolicy");
    Objects.requireNonNull(inhibitPolicyMapping, "inhibitPolicyMapping");
    if (requireExplicitPolicy.isEmpty() && inhibitPolicyMapping.isEmpty()) {
      throw new IllegalArgumentException(
          "Policy constraints need requireExplicitPolicy or inhibitPolicyMapping");
    }
  }
}
