package dev.mtls.pki;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits PEM text (RFC 7468, with the RFC 1421 headers of OpenSSL's legacy encrypted keys) into
 * blocks. Text between blocks is ignored; CR, LF and CRLF line endings and trailing spaces are
 * accepted. Everything else that is wrong is reported with the block and line: an unknown label,
 * a missing or mismatched END line, a character that is not base64, a body whose length shows it
 * was truncated.
 */
final class PemDecoder {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  private final String source;
  private final PemKind kind;
  private final String[] lines;
  private int next;

  private PemDecoder(String text, String source, PemKind kind) {
    this.source = source;
    this.kind = kind;
    this.lines = splitLines(text);
  }

  /** Splits on CRLF, CR and LF without a regular expression (bundles can be large). */
  private static String[] splitLines(String text) {
    List<String> out = new ArrayList<>(text.length() / 64 + 1);
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    out.add(text.substring(start));
    return out.toArray(new String[0]);
  }

  /** Returns true if the text has a BEGIN line anywhere, so that it is not DER. */
  static boolean looksLikePem(String text) {
    return text.contains(BEGIN);
  }

  /**
   * Decodes every block.
   *
   * @param kind what the caller asked for, for the expectation in messages
   */
  static List<PemBlock> decode(String text, String source, PemKind kind) {
    return new PemDecoder(text, source, kind).decodeAll();
  }

  private List<PemBlock> decodeAll() {
    List<PemBlock> blocks = new ArrayList<>();
    while (next < lines.length) {
      String line = lines[next].strip();
      int lineNumber = ++next;
      if (line.startsWith(BEGIN)) {
        blocks.add(block(line, lineNumber, blocks.size() + 1));
      } else if (line.startsWith(END)) {
        throw new PkiException(source + ": line " + lineNumber + ": found '" + line
            + "' without a BEGIN line; expected " + kind.expected());
      }
    }
    return blocks;
  }

  private PemBlock block(String beginLine, int beginNumber, int index) {
    if (!beginLine.endsWith(DASHES) || beginLine.length() <= BEGIN.length() + DASHES.length()) {
      throw new PkiException(source + ": line " + beginNumber + ": found malformed BEGIN line '"
          + beginLine + "'; expected -----BEGIN LABEL-----");
    }
    String label = beginLine.substring(BEGIN.length(), beginLine.length() - DASHES.length());
    PemBlock where = new PemBlock(source, index, label, beginNumber, Map.of(), new byte[0]);
    if (!PemKind.KNOWN_LABELS.contains(label)) {
      throw where.error("unknown label " + label, kind.expected());
    }
    Map<String, String> headers = headers();
    String endLine = END + label + DASHES;
    StringBuilder body = new StringBuilder();
    while (true) {
      if (next >= lines.length) {
        throw where.error("the end of the input after line " + lines.length
            + " (truncated?)", endLine);
      }
      String line = lines[next].strip();
      int lineNumber = ++next;
      if (line.equals(endLine)) {
        break;
      }
      if (line.startsWith(END) || line.startsWith(BEGIN)) {
        throw where.error("'" + line + "' at line " + lineNumber, endLine);
      }
      checkBase64(line, lineNumber, where, body.length());
      body.append(line);
    }
    return new PemBlock(source, index, label, beginNumber, headers, base64(body, where));
  }

  /** Reads RFC 1421 headers ("Name: value") right after the BEGIN line, and the blank line. */
  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    while (next < lines.length) {
      String line = lines[next].strip();
      int colon = line.indexOf(':');
      if (colon <= 0 || line.startsWith(END)) {
        break;
      }
      headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      next++;
    }
    if (!headers.isEmpty() && next < lines.length && lines[next].isBlank()) {
      next++;
    }
    return Map.copyOf(headers);
  }

  private static void checkBase64(String line, int lineNumber, PemBlock where, int offset) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      boolean valid = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
          || c == '+' || c == '/' || c == '=';
      if (!valid) {
        throw where.error(String.format("character '%s' (U+%04X) at line %d, column %d", c,
            (int) c, lineNumber, i + 1), "base64 (A-Z, a-z, 0-9, +, /, =)");
      }
    }
  }

  private static byte[] base64(StringBuilder body, PemBlock where) {
    if (body.length() == 0) {
      throw where.error("an empty body", "base64-encoded DER");
    }
    int padding = body.indexOf("=");
    if (padding >= 0 && padding < body.length() - 2
        || body.length() % 4 != 0) {
      throw where.error("a base64 body of " + body.length() + " characters"
          + (padding >= 0 ? " with padding at character " + (padding + 1) : "")
          + " (truncated or corrupt?)", "a multiple of 4 characters with padding only at the end");
    }
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw where.error("invalid base64 (" + e.getMessage() + ")", "base64-encoded DER", e);
    }
  }
}
