package dev.mtls.cli;

import java.io.Serial;

/**
 * A failure a command reports as one line on standard error, with the exit code it maps to. The
 * message names the file or value concerned and what is wrong with it.
 */
final class CliException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A bad flag combination, or an unreadable or malformed input: exit code 2. */
  static CliException input(String message) {
    return new CliException(ExitCodes.USAGE, message, null);
  }

  /** A bad input with its cause kept for {@code --verbose}: exit code 2. */
  static CliException input(String message, Throwable cause) {
    return new CliException(ExitCodes.USAGE, message, cause);
  }

  /** The environment failed (port in use, connection refused, timeout): exit code 3. */
  static CliException environment(String message, Throwable cause) {
    return new CliException(ExitCodes.ENVIRONMENT, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
