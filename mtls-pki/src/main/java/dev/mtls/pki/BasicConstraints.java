package dev.mtls.pki;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The basic constraints extension (RFC 5280 section 4.2.1.9): whether the certified key belongs
 * to a certificate authority, and how many intermediate CAs may follow it in a path.
 *
 * @param ca whether the subject is a CA ({@code cA})
 * @param pathLength the {@code pathLenConstraint}, if present (only ever present on a CA)
 */
public record BasicConstraints(boolean ca, OptionalInt pathLength) {

  /**
   * Checks the values.
   *
   * @param ca whether the subject is a CA
   * @param pathLength the path length constraint, if any
   * @throws IllegalArgumentException if the path length is negative or set on a non-CA
   */
  public BasicConstraints {
    Objects.requireNonNull(pathLength, "pathLength");
    if (pathLength.isPresent() && pathLength.getAsInt() < 0) {
      throw new IllegalArgumentException("pathLength must be >= 0, was " + pathLength.getAsInt());
    }
    if (pathLength.isPresent() && !ca) {
      throw new IllegalArgumentException(
          "pathLength " + pathLength.getAsInt() + " is only allowed on a CA");
    }
  }
}
