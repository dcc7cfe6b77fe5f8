package dev.mtls.cli;

import dev.mtls.pki.RevocationReason;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Collectors;

/** Revocation reasons by their RFC 5280 names: {@code keyCompromise}, {@code superseded}, ... */
final class Reasons {
  private Reasons() {}

  static String name(RevocationReason reason) {
    return switch (reason) {
      case CA_COMPROMISE -> "cACompromise";
      case AA_COMPROMISE -> "aACompromise";
      default -> Describe.camel(reason.name());
    };
  }

  static RevocationReason parse(String name) {
    for (RevocationReason reason : RevocationReason.values()) {
      if (name(reason).equalsIgnoreCase(name)) {
        return reason;
      }
    }
    throw CliException.input("--reason '" + name + "': expected one of " + names());
  }

  static String names() {
    return Arrays.stream(RevocationReason.values()).map(Reasons::name).collect(Collectors.joining(", "));
  }

  /** Lists the names in the help. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(RevocationReason.values()).map(Reasons::name).iterator();
    }
  }
}
