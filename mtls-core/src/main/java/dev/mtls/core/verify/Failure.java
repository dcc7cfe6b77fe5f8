package dev.mtls.core.verify;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.PKIXReason;

/**
 * A rejection found by one step of the pipeline, before it is turned into a
 * {@link PeerVerificationException} with the whole diagnosis.
 *
 * @param reason the typed reason
 * @param index the index in the path of the certificate at fault, or -1
 * @param detail what is wrong, and what was expected
 * @param jdkReason the reason JSSE understands, for the alert it sends
 */
record Failure(
    FailureReason reason, int index, String detail, CertPathValidatorException.Reason jdkReason) {

  static Failure of(FailureReason reason, int index, String detail) {
    return new Failure(reason, index, detail, jdkReason(reason));
  }

  Failure withJdkReason(CertPathValidatorException.Reason newReason) {
    return new Failure(reason, index, detail, newReason);
  }

  private static CertPathValidatorException.Reason jdkReason(FailureReason reason) {
    return switch (reason) {
      case EXPIRED -> BasicReason.EXPIRED;
      case NOT_YET_VALID -> BasicReason.NOT_YET_VALID;
      case REVOKED -> BasicReason.REVOKED;
      case REVOCATION_UNKNOWN -> BasicReason.UNDETERMINED_REVOCATION_STATUS;
      case WEAK_KEY, WEAK_SIGNATURE -> BasicReason.ALGORITHM_CONSTRAINED;
      case UNTRUSTED_ISSUER, PIN_MISMATCH -> PKIXReason.NO_TRUST_ANCHOR;
      case PATH_TOO_LONG -> PKIXReason.PATH_TOO_LONG;
      case WRONG_KEY_USAGE, WRONG_EXTENDED_KEY_USAGE -> PKIXReason.INVALID_KEY_USAGE;
      case UNKNOWN_CRITICAL_EXTENSION -> PKIXReason.UNRECOGNIZED_CRIT_EXT;
      case NAME_CONSTRAINT_VIOLATION -> PKIXReason.INVALID_NAME;
      default -> BasicReason.UNSPECIFIED;
    };
  }
}
