package dev.mtls.cli;

/** The exit codes every command keeps. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;
  /** A verdict against the input: verification failed, handshake rejected, request denied. */
  static final int REJECTED = 1;
  /** A usage or input error: bad flag, unreadable or malformed file, wrong password. */
  static final int USAGE = 2;
  /** An environment error: port in use, connection refused, timeout, internal error. */
  static final int ENVIRONMENT = 3;

  private ExitCodes() {}
}
