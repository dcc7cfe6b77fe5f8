package dev.mtls.http.policy;

/**
 * A policy file or policy text that cannot be used. The message names the source (the path as
 * given, or the name given to {@link AccessPolicy#parse(String, String)}), the line when the
 * problem is on one, what was found and what was expected:
 *
 * <pre>
 * /etc/mtls/access.policy: line 7: found 'permit'; expected allow or deny
 * </pre>
 *
 * <p>The cause, if any (a file that cannot be read), is kept.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The source's description. */
  private final String source;
  /** The line, 1-based, or 0 when the problem is not on one line. */
  private final int line;

  PolicyException(String source, int line, String detail, Throwable cause) {
    super(source + ": " + (line > 0 ? "line " + line + ": " : "") + detail, cause);
    this.source = source;
    this.line = line;
  }

  /**
   * Returns the source: the file's path as given, or the name of policy text.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * Returns the line the problem is on.
   *
   * @return the line, counting from 1, or 0 if the problem concerns the whole source
   */
  public int line() {
    return line;
  }
}
