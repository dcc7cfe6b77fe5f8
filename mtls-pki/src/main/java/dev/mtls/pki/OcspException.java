package dev.mtls.pki;

import java.io.Serial;
import java.util.Objects;

/**
 * An OCSP message that cannot be read or a response that does not verify, with the
 * {@link OcspProblem} that says which check failed.
 *
 * <p>Like every {@link PkiException}, the message names the source (the responder URL or file the
 * bytes came from), what was found and what was expected.
 */
public final class OcspException extends PkiException {
  @Serial private static final long serialVersionUID = 1L;

  /** Which check failed. */
  private final OcspProblem problem;

  OcspException(OcspProblem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  OcspException(OcspProblem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * Returns which check failed.
   *
   * @return the kind of problem
   */
  public OcspProblem problem() {
    return problem;
  }
}
