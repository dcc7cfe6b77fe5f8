package dev.mtls.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls inspect}: what certificate, key, request, CRL and PKCS#12 files hold. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {
        "Show what files hold: PEM or DER certificates and chains, private keys (never their",
        "material), public keys, certificate requests, CRLs, PKCS#12 files (password as usual).",
        "Exit code 2 if any file failed, after printing the others."},
    footer = {"", "Example:", "  mtls inspect certs/api.crt certs/api.key ca/ca.crt", "",
        "JSON (--json):",
        "  {\"files\": [{\"file\": PATH, \"format\": \"PEM\"|\"DER\"|\"PKCS#12\"|null, \"error\": MESSAGE|null,",
        "              \"items\": [ITEM...]}]}",
        "  certificate: {\"kind\":\"certificate\", \"index\":N, \"subject\", \"issuer\" (RFC 2253),",
        "    \"serial\" (lower-case hex), \"notBefore\", \"notAfter\" (ISO-8601), \"secondsLeft\",",
        "    \"expired\", \"selfSigned\", \"ca\", \"pathLength\", \"keyType\" (\"EC P-256\", \"RSA 2048\",",
        "    \"Ed25519\"), \"signatureAlgorithm\", \"spkiPin\" (sha256/BASE64), \"sha256Fingerprint\",",
        "    \"subjectAlternativeNames\" ([\"DNS:api\", \"IP:127.0.0.1\", \"URI:spiffe://..\"]), \"keyUsage\",",
        "    \"extendedKeyUsage\", \"ocspUrls\", \"caIssuersUrls\", \"crlUrls\",",
        "    \"extensions\" ([{\"oid\", \"name\", \"critical\"}])}",
        "  privateKey: {\"kind\":\"privateKey\", \"keyType\", \"encrypted\", \"matchesCertificate\" (index|null)}",
        "  publicKey: {\"kind\":\"publicKey\", \"keyType\", \"spkiPin\"}",
        "  certificateRequest: {\"kind\":\"certificateRequest\", \"subject\", \"keyType\", \"spkiPin\",",
        "    \"subjectAlternativeNames\", \"signatureValid\"}",
        "  crl: {\"kind\":\"crl\", \"issuer\", \"crlNumber\" (hex), \"thisUpdate\", \"nextUpdate\", \"stale\",",
        "    \"revoked\" ([{\"serial\", \"revokedAt\", \"reason\"}]), \"extensions\"}"})
final class InspectCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to inspect.")
  List<Path> files;

  @Option(names = "--json", description = "Print JSON (schema below) instead of text.")
  boolean json;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    List<Map<String, Object>> results = new ArrayList<>();
    boolean failed = false;
    for (Path file : files) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("file", file.toString());
      try {
        Material material = Material.read(file, passwords, context());
        result.put("format", material.format);
        result.put("error", null);
        result.put("items", items(material, now));
      } catch (CliException | dev.mtls.pki.PkiException e) {
        failed = true;
        result.put("format", null);
        result.put("error", Main.oneLine(e.getMessage()));
        result.put("items", List.of());
        err().println("mtls inspect: " + Main.oneLine(e.getMessage()));
      }
      results.add(result);
    }
    if (json) {
      out().println(Json.write(Map.of("files", results)));
    } else {
      for (Map<String, Object> result : results) {
        if (result.get("error") == null) {
          printText(out(), result);
        }
      }
    }
    return failed ? ExitCodes.USAGE : ExitCodes.OK;
  }

  private static List<Map<String, Object>> items(Material material, Instant now) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < material.certificates.size(); i++) {
      items.add(Describe.certificate(material.certificates.get(i), i, now));
    }
    if (material.privateKey != null) {
      items.add(Describe.privateKey(material.privateKey, material.privateKeyEncrypted, material.certificates));
    }
    material.publicKeys.forEach(key -> items.add(Describe.publicKey(key)));
    material.requests.forEach(request -> items.add(Describe.request(request)));
    material.crls.forEach(crl -> items.add(Describe.crl(crl, now)));
    return items;
  }

  @SuppressWarnings("unchecked")
  private static void printText(PrintWriter out, Map<String, Object> result) {
    out.println("== " + result.get("file") + " (" + result.get("format") + ")");
    for (Map<String, Object> item : (List<Map<String, Object>>) result.get("items")) {
      String kind = (String) item.get("kind");
      out.println(item.containsKey("index") ? kind + " [" + item.get("index") + "]" : kind);
      for (Map.Entry<String, Object> field : item.entrySet()) {
        String key = field.getKey();
        Object value = field.getValue();
        if (key.equals("kind") || key.equals("index") || key.equals("secondsLeft") || key.equals("expired")) {
          continue;
        }
        if (key.equals("privateKey") || value == null || value instanceof List<?> list && list.isEmpty()) {
          continue;
        }
        String text;
        if (key.equals("notAfter") && item.containsKey("secondsLeft")) {
          text = value + " (" + timeLeft((Long) item.get("secondsLeft")) + ")";
        } else if (key.equals("extensions")) {
          text = ((List<Map<String, Object>>) value).stream()
              .map(e -> e.get("name") + (Boolean.TRUE.equals(e.get("critical")) ? " (critical)" : ""))
              .collect(Collectors.joining(", "));
        } else if (key.equals("revoked")) {
          text = ((List<Map<String, Object>>) value).stream()
              .map(e -> e.get("serial") + " at " + e.get("revokedAt")
                  + (e.get("reason") == null ? "" : " (" + e.get("reason") + ")"))
              .collect(Collectors.joining("; "));
        } else if (value instanceof List<?> list) {
          text = list.stream().map(String::valueOf).collect(Collectors.joining(", "));
        } else if (key.equals("privateKey") || kind.equals("privateKey") && key.equals("keyType")) {
          text = value + " (private key material not shown)";
        } else {
          text = String.valueOf(value);
        }
        out.printf("  %-24s %s%n", key, text);
      }
    }
  }

  static String timeLeft(long seconds) {
    long days = Math.abs(seconds) / 86_400;
    long hours = Math.abs(seconds) % 86_400 / 3600;
    String amount = days > 0 ? days + " days" : hours + " hours";
    return seconds >= 0 ? amount + " left" : "expired " + amount + " ago";
  }
}
