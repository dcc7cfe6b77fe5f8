package dev.mtls.pki;

import java.io.Serial;

/**
 * Bad PKI input or a PKI operation that cannot be carried out: a file that is not what it claims
 * to be, a wrong password, a key that does not belong to its certificate.
 *
 * <p>The message always names the source (a file path, or {@code inline PEM} for text passed
 * directly), the block or line concerned where there is one, what was found and what was
 * expected. The underlying exception, if any, is kept as the cause. This exception is unchecked:
 * most callers cannot recover from bad key material, and those that can (a reload that must keep
 * the old material) catch it in one place.
 *
 * <p>OCSP failures are an {@link OcspException}, which adds the kind of problem so that a
 * revocation checker can tell an unavailable responder from a forged response.
 */
public sealed class PkiException extends RuntimeException permits OcspException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a complete, human-readable message.
   *
   * @param message what went wrong, naming the source
   */
  public PkiException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a complete, human-readable message and the exception that caused it.
   *
   * @param message what went wrong, naming the source
   * @param cause the underlying failure, kept for diagnosis
   */
  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
