package dev.mtls.pki;

/**
 * The {@code OCSPResponseStatus} of RFC 6960 section 4.2.1: whether the responder answered with
 * a signed response or with an (unsigned) error.
 */
public enum OcspResponseStatus {
  /** Code 0: the response carries signed certificate statuses. */
  SUCCESSFUL(0, "successful"),
  /** Code 1: the request did not parse or did not conform to the OCSP syntax. */
  MALFORMED_REQUEST(1, "malformedRequest"),
  /** Code 2: the responder reached an inconsistent internal state. */
  INTERNAL_ERROR(2, "internalError"),
  /** Code 3: the responder cannot answer now; try again later. */
  TRY_LATER(3, "tryLater"),
  /** Code 5: the responder wants the request signed. */
  SIG_REQUIRED(5, "sigRequired"),
  /** Code 6: the client may not ask this responder, or not about this certificate. */
  UNAUTHORIZED(6, "unauthorized");

  private final int code;
  private final String asn1Name;

  OcspResponseStatus(int code, String asn1Name) {
    this.code = code;
    this.asn1Name = asn1Name;
  }

  /**
   * Returns the value of the {@code OCSPResponseStatus} enumeration.
   *
   * @return the code: 0 to 3, 5 or 6
   */
  public int code() {
    return code;
  }

  /**
   * Looks up a status by its code.
   *
   * @param code 0 to 3, 5 or 6
   * @return the status
   * @throws IllegalArgumentException if no status has this code (4 is not used)
   */
  public static OcspResponseStatus ofCode(int code) {
    for (OcspResponseStatus status : values()) {
      if (status.code == code) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "Not an OCSPResponseStatus code: " + code + " (expected 0 to 3, 5 or 6)");
  }

  /**
   * Returns the RFC 6960 name and the code, as messages show them.
   *
   * @return for instance {@code tryLater (3)}
   */
  @Override
  public String toString() {
    return asn1Name + " (" + code + ")";
  }
}
