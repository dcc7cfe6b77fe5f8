package dev.mtls.cli;

import dev.mtls.core.revocation.RevocationChecker;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.core.revocation.RevocationStatus;
import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.verify.VerifiedPath;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls verify}: the library's peer verifier, on files. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Verify a certificate chain (leaf first, then any intermediates) as a TLS peer's, with the",
        "mtls library's verifier: path to a --trust anchor, the strict RFC 5280 profile, extended",
        "key usage for the purpose, the host name, and revocation when asked for.",
        "The first line of the output is OK or REJECTED <REASON> (EXPIRED, REVOKED,",
        "UNTRUSTED_ISSUER, WRONG_EXTENDED_KEY_USAGE, NAME_MISMATCH, REVOCATION_UNKNOWN, ...), then",
        "the diagnosis. Exit code 0 when verified, 1 when rejected."},
    footer = {"", "Examples:",
        "  mtls verify --trust ca/ca.crt certs/alice.crt",
        "  mtls verify --trust ca/ca.crt --purpose server --host api.example.com certs/api.crt",
        "  mtls verify --trust ca/ca.crt --crl ca.crl certs/carol.crt",
        "  mtls verify --trust ca/ca.crt --ocsp --soft-fail certs/bob.crt", "",
        "JSON (--json):",
        "  {\"result\": \"OK\"|\"REJECTED\", \"reason\": REASON|null, \"certificateIndex\": N|null,",
        "   \"diagnosis\": TEXT|null,",
        "   \"path\": [{\"subject\", \"issuer\", \"serial\", \"notAfter\", \"spkiPin\"}],  (leaf to anchor; OK only)",
        "   \"revocation\": [{\"index\", \"subject\", \"serial\", \"status\" (GOOD|REVOKED|UNKNOWN|UNAVAILABLE),",
        "                   \"source\", \"reason\", \"revokedAt\", \"detail\"}]}"})
final class VerifyCommand extends CliCommand {
  /** Whose certificate is verified. */
  enum Purpose {
    CLIENT(PeerRole.CLIENT), SERVER(PeerRole.SERVER);

    private final PeerRole role;

    Purpose(PeerRole role) {
      this.role = role;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Parameters(index = "0", paramLabel = "CHAIN", description = "The certificate, then any intermediates (PEM or DER).")
  Path chainFile;

  @Option(names = "--trust", required = true, paramLabel = "FILE", description = "The trust anchors (PEM).")
  Path trustFile;

  @Option(names = "--untrusted", paramLabel = "FILE",
      description = "More intermediates to build the path from (PEM).")
  Path untrustedFile;

  @Mixin
  RevocationOptions revocation;

  @Option(names = "--whole-chain",
      description = "Check the revocation of intermediates too, not only of the certificate.")
  boolean wholeChain;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "Verify as of this time: 2027-01-31T12:00:00Z or 2027-01-31 (default: now).")
  String at;

  @Option(names = "--purpose", paramLabel = "client|server", defaultValue = "client",
      description = "The peer's role, which decides the extended key usage required (default: ${DEFAULT-VALUE}).")
  Purpose purpose;

  @Option(names = "--host", paramLabel = "HOST",
      description = "The host name or IP address the certificate must name (subject alternative names only).")
  String host;

  @Option(names = "--json", description = "Print JSON (schema below) instead of text.")
  boolean json;

  @Override
  public Integer call() {
    revocation.validate();
    Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(parseInstant(at), ZoneOffset.UTC);
    GeneralName expected = null;
    if (host != null) {
      try {
        expected = GeneralName.host(host);
      } catch (IllegalArgumentException e) {
        throw CliException.input("--host '" + host + "': " + e.getMessage(), e);
      }
    }
    List<X509Certificate> chain = Pem.readCertificates(chainFile);
    List<X509Certificate> anchors = Pem.readCertificates(trustFile);
    List<X509Certificate> pool = new ArrayList<>(chain.subList(1, chain.size()));
    if (untrustedFile != null) {
      pool.addAll(Pem.readCertificates(untrustedFile));
    }
    revocation.crlFiles.forEach(Pem::readCrls);

    RevocationChecker checker = null;
    try {
      PeerVerifier.Builder builder = PeerVerifier.builder(purpose.role).trustAnchors(anchors).clock(clock);
      if (revocation.enabled()) {
        checker = RevocationChecker.builder(revocationPolicy()).clock(clock).build();
        builder.revocation(checker);
      }
      PeerVerifier verifier = builder.build();
      Map<String, Object> result = new LinkedHashMap<>();
      int code;
      try {
        VerifiedPath path = verifier.verify(chain.get(0), pool, expected);
        result.put("result", "OK");
        result.put("reason", null);
        result.put("certificateIndex", null);
        result.put("diagnosis", null);
        result.put("path", describePath(path));
        result.put("revocation", describeRevocation(path.revocation()));
        code = ExitCodes.OK;
      } catch (PeerVerificationException e) {
        String prefix = e.reason() + ": ";
        String diagnosis = e.getMessage().startsWith(prefix)
            ? e.getMessage().substring(prefix.length()) : e.getMessage();
        result.put("result", "REJECTED");
        result.put("reason", e.reason().name());
        result.put("certificateIndex", e.certificateIndex() < 0 ? null : e.certificateIndex());
        result.put("diagnosis", diagnosis);
        result.put("path", List.of());
        result.put("revocation", List.of());
        code = ExitCodes.REJECTED;
      }
      print(result);
      return code;
    } finally {
      if (checker != null) {
        checker.close();
      }
    }
  }

  private RevocationPolicy revocationPolicy() {
    return revocation.policy()
        .scope(wholeChain ? RevocationPolicy.Scope.WHOLE_CHAIN : RevocationPolicy.Scope.END_ENTITY);
  }

  @SuppressWarnings("unchecked")
  private void print(Map<String, Object> result) {
    if (json) {
      out().println(Json.write(result));
      return;
    }
    if (result.get("result").equals("OK")) {
      out().println("OK");
      out().println("verified path, from the certificate to the trust anchor:");
      List<Map<String, Object>> path = (List<Map<String, Object>>) result.get("path");
      for (int i = 0; i < path.size(); i++) {
        Map<String, Object> certificate = path.get(i);
        out().println("  [" + i + "] " + certificate.get("subject") + "  serial " + certificate.get("serial")
            + "  valid until " + certificate.get("notAfter") + (i == path.size() - 1 ? "  (trust anchor)" : ""));
      }
      List<Map<String, Object>> revocation = (List<Map<String, Object>>) result.get("revocation");
      if (!revocation.isEmpty()) {
        out().println("revocation:");
        revocation.forEach(status -> out().println("  " + status.get("describe")));
      }
    } else {
      out().println("REJECTED " + result.get("reason"));
      out().println(result.get("diagnosis"));
    }
  }

  private static List<Map<String, Object>> describePath(VerifiedPath path) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (X509Certificate certificate : path.certificates()) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("subject", certificate.getSubjectX500Principal().getName());
      map.put("issuer", certificate.getIssuerX500Principal().getName());
      map.put("serial", certificate.getSerialNumber().toString(16));
      map.put("notAfter", certificate.getNotAfter().toInstant().toString());
      map.put("spkiPin", Certificates.spkiPin(certificate));
      list.add(map);
    }
    return list;
  }

  private static List<Map<String, Object>> describeRevocation(List<RevocationStatus> statuses) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (RevocationStatus status : statuses) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("index", status.index());
      map.put("subject", status.subject());
      map.put("serial", status.serial().toString(16));
      map.put("status", status.status().name());
      map.put("source", status.source());
      map.put("reason", status.reason().map(Reasons::name).orElse(null));
      map.put("revokedAt", status.revokedAt().map(Instant::toString).orElse(null));
      map.put("detail", status.detail());
      map.put("describe", status.describe());
      list.add(map);
    }
    return list;
  }

  static Instant parseInstant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw CliException.input("--at '" + text + "': expected an instant such as 2027-01-31T12:00:00Z"
            + " or a date such as 2027-01-31", notDate);
      }
    }
  }
}
