package dev.mtls.cli;

import picocli.CommandLine.Option;

/** Where a server command listens: the options {@code serve} and {@code ocsp-responder} share. */
final class ListenOptions {
  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "The address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0",
      description = "The port; 0 (the default) picks a free one.")
  int port;

  /** Checks the port, which picocli reads as any integer. */
  void validate() {
    if (port < 0 || port > 65_535) {
      throw CliException.input("--port " + port + ": expected 0 to 65535");
    }
  }
}
