package dev.mtls.core.verify;

import java.io.Serial;
import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * A peer's certificate chain was rejected. Thrown from trust managers inside JSSE, so it is a
 * {@link CertificateException}; the {@link #reason()} is typed and the message is a diagnosis a
 * person can act on: what was presented (subject, SANs, issuer, serial, validity and SPKI pin of
 * each certificate, which one failed) and what was expected.
 *
 * <p>Where JSSE knows a matching {@link java.security.cert.CertPathValidatorException.BasicReason}
 * (expired, revoked, ...), the cause is a {@link java.security.cert.CertPathValidatorException}
 * carrying it, so that JSSE sends the matching TLS alert.
 */
public final class PeerVerificationException extends CertificateException {
  @Serial private static final long serialVersionUID = 1L;

  private final FailureReason reason;
  private final int certificateIndex;

  /**
   * Creates the exception.
   *
   * @param reason the typed reason
   * @param certificateIndex the index in the path (0 = the peer's own certificate) of the
   *     certificate that failed, or -1 if the failure is not about one certificate
   * @param diagnosis the readable diagnosis
   * @param cause the underlying exception, or null
   */
  public PeerVerificationException(
      FailureReason reason, int certificateIndex, String diagnosis, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + diagnosis, cause);
    this.reason = reason;
    this.certificateIndex = certificateIndex;
  }

  /**
   * Returns why the chain was rejected.
   *
   * @return the typed reason
   */
  public FailureReason reason() {
    return reason;
  }

  /**
   * Returns which certificate failed: 0 for the peer's own certificate, 1 for its issuer, and so
   * on along the path; -1 if the failure is not about a single certificate.
   *
   * @return the index, or -1
   */
  public int certificateIndex() {
    return certificateIndex;
  }
}
