package dev.mtls.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library logs through SLF4J; the command's Logback configuration sends it to standard error.
 * Results must stay readable, so logging is off unless {@code --verbose} asks for it.
 */
final class Logging {
  private Logging() {}

  static void configure(boolean verbose) {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(verbose ? Level.DEBUG : Level.OFF);
    }
  }
}
