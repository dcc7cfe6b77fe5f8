package dev.mtls.http.proxy;

import java.io.Serial;

/**
 * A trusted proxy sent a forwarded-certificate header that cannot be read: not the format
 * configured, larger than the limits, or not holding certificates. The message names the header
 * and says what was found and what was expected, without echoing the header's value; it is for
 * the log and the audit trail, not for the client.
 */
public final class ForwardedCertificateException extends Exception {
  @Serial private static final long serialVersionUID = 1L;

  private final String header;

  ForwardedCertificateException(String header, String problem) {
    this(header, problem, null);
  }

  ForwardedCertificateException(String header, String problem, Throwable cause) {
    super(header + ": " + problem, cause);
    this.header = header;
  }

  /**
   * Returns the name of the header that cannot be read.
   *
   * @return such as {@code Client-Cert} or {@code x-forwarded-client-cert}
   */
  public String header() {
    return header;
  }
}
