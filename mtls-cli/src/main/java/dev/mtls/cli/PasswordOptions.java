package dev.mtls.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command gets a password: {@code --password-file}, {@code --password-stdin}, or the
 * {@code MTLS_PASSWORD} environment variable, in that order of precedence; {@code --password}
 * exists for tests only, since a command line shows in process listings. A password is the first
 * line of its source, without the line ending.
 */
final class PasswordOptions {
  /** The environment variable a password may come from. */
  static final String ENVIRONMENT_VARIABLE = "MTLS_PASSWORD";

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the password from the first line of FILE.")
  Path passwordFile;

  @Option(names = "--password-stdin",
      description = "Read the password from the first line of standard input.")
  boolean passwordStdin;

  @Option(names = "--password", paramLabel = "PASSWORD",
      description = "The password itself; for tests only, as it shows in process listings."
          + " Prefer --password-file, --password-stdin or MTLS_PASSWORD.")
  String password;

  private Optional<char[]> resolved;

  /** Returns the password if one was given in any of the ways. */
  Optional<char[]> optional(CliContext context) {
    if (resolved == null) {
      resolved = resolve(context);
    }
    return resolved.map(char[]::clone);
  }

  /** Returns the password, or fails with a message saying how to give one. */
  char[] required(CliContext context, String purpose) {
    return optional(context).orElseThrow(() -> CliException.input(
        "a password is needed " + purpose + ": give --password-file FILE, --password-stdin, or set "
            + ENVIRONMENT_VARIABLE));
  }

  private Optional<char[]> resolve(CliContext context) {
    int given = (passwordFile != null ? 1 : 0) + (passwordStdin ? 1 : 0) + (password != null ? 1 : 0);
    if (given > 1) {
      throw CliException.input(
          "give only one of --password-file, --password-stdin and --password");
    }
    if (passwordFile != null) {
      try {
        List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
          throw CliException.input(passwordFile + ": the password file is empty");
        }
        return Optional.of(lines.get(0).toCharArray());
      } catch (IOException e) {
        throw CliException.input(
            passwordFile + ": cannot read the password file (" + Problems.describe(e) + ")", e);
      }
    }
    if (passwordStdin) {
      try {
        String line = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8))
            .readLine();
        if (line == null || line.isEmpty()) {
          throw CliException.input("standard input: no password (--password-stdin reads its first line)");
        }
        return Optional.of(line.toCharArray());
      } catch (IOException e) {
        throw CliException.input("standard input: cannot read the password (" + Problems.describe(e) + ")", e);
      }
    }
    if (password != null) {
      return Optional.of(password.toCharArray());
    }
    String fromEnvironment = context.environment(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return Optional.of(fromEnvironment.toCharArray());
    }
    return Optional.empty();
  }
}
