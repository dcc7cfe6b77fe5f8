package dev.mtls.cli;

import dev.mtls.pki.GeneralName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Subject alternative names given on the command line. */
final class NameOptions {
  @Option(names = "--dns", paramLabel = "NAME", description = "A DNS name (repeatable).")
  List<String> dns = new ArrayList<>();

  @Option(names = "--ip", paramLabel = "ADDRESS", description = "An IPv4 or IPv6 address (repeatable).")
  List<String> ip = new ArrayList<>();

  @Option(names = "--uri", paramLabel = "URI", description = "A URI, such as a SPIFFE ID (repeatable).")
  List<String> uri = new ArrayList<>();

  @Option(names = "--email", paramLabel = "ADDRESS", description = "An email address (repeatable).")
  List<String> email = new ArrayList<>();

  /** The names, each checked, in the order DNS, IP, URI, email. */
  List<GeneralName> names() {
    List<GeneralName> names = new ArrayList<>();
    add(names, "--dns", dns, GeneralName::dns);
    add(names, "--ip", ip, GeneralName::ip);
    add(names, "--uri", uri, GeneralName::uri);
    add(names, "--email", email, GeneralName::email);
    return names;
  }

  boolean hasHostNames() {
    return !dns.isEmpty() || !ip.isEmpty();
  }

  private static void add(List<GeneralName> names, String option, List<String> values,
      Function<String, GeneralName> parse) {
    for (String value : values) {
      try {
        names.add(parse.apply(value));
      } catch (IllegalArgumentException e) {
        throw CliException.input(option + " '" + value + "': " + e.getMessage(), e);
      }
    }
  }

  /** Checks a certificate name that becomes a file name in the output directory. */
  static void checkFileName(String name) {
    if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw CliException.input("--name '" + name + "': it names the output files, so it must not be empty,"
          + " start with '.' or contain '/' or '\\'");
    }
  }
}
