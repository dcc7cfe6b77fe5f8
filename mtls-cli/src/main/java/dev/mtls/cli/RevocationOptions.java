package dev.mtls.cli;

import dev.mtls.core.revocation.RevocationPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How a command checks revocation: the options {@code verify} and {@code serve} share. */
final class RevocationOptions {
  @Option(names = "--crl", paramLabel = "FILE", description = "A CRL to check revocation against (repeatable).")
  List<Path> crlFiles = new ArrayList<>();

  @Option(names = "--ocsp", description = "Ask the OCSP responder named in each certificate's AIA.")
  boolean ocsp;

  @Option(names = "--soft-fail",
      description = "Accept when no revocation source can answer (default: reject as REVOCATION_UNKNOWN).")
  boolean softFail;

  /** Whether any revocation source was given. */
  boolean enabled() {
    return ocsp || !crlFiles.isEmpty();
  }

  /** Refuses {@code --soft-fail} without a source. */
  void validate() {
    if (softFail && !enabled()) {
      throw CliException.input("--soft-fail needs a revocation source: --crl FILE or --ocsp");
    }
  }

  /** The policy: hard fail unless {@code --soft-fail}, from the sources given. */
  RevocationPolicy policy() {
    RevocationPolicy policy = softFail ? RevocationPolicy.softFail() : RevocationPolicy.hardFail();
    List<RevocationPolicy.Source> sources = new ArrayList<>();
    if (ocsp) {
      sources.add(RevocationPolicy.Source.OCSP);
    }
    if (!crlFiles.isEmpty()) {
      sources.add(RevocationPolicy.Source.CRL);
      policy = policy.crlFiles(crlFiles.toArray(Path[]::new));
    }
    return policy.sources(sources.toArray(RevocationPolicy.Source[]::new));
  }
}
