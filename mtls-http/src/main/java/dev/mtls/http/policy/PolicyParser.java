package dev.mtls.http.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the policy file format described in {@link AccessPolicy}. */
final class PolicyParser {
  /** The largest policy file read, in bytes. */
  static final int MAX_BYTES = 1 << 20;
  private static final String SYNTAX = "allow|deny PRINCIPAL METHODS PATH-GLOB";

  private PolicyParser() {}

  /** Reads a file; the source is the path as given, rule ids use its file name. */
  static AccessPolicy read(Path file) {
    String source = file.toString();
    String text = decode(source, readBytes(file, source));
    Path name = file.getFileName();
    return parse(text, source, name == null ? source : name.toString());
  }

  /** The file's bytes, as the parser reads them (for change detection). */
  static byte[] readBytes(Path file, String source) {
    try {
      if (Files.isDirectory(file)) {
        throw new PolicyException(source, 0, "found a directory; expected a policy file", null);
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new PolicyException(source, 0, "found " + size + " bytes; expected at most " + MAX_BYTES
            + " (1 MiB)", null);
      }
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > MAX_BYTES) { // grew since size()
        throw new PolicyException(source, 0, "found " + bytes.length + " bytes; expected at most "
            + MAX_BYTES + " (1 MiB)", null);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new PolicyException(source, 0, "found no file; expected a policy file", e);
    } catch (IOException e) {
      throw new PolicyException(source, 0, "cannot be read (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); expected a readable policy file", e);
    }
  }

  static String decode(String source, byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      return text;
    } catch (CharacterCodingException e) {
      throw new PolicyException(source, 0, "found bytes that are not UTF-8; expected a UTF-8 text file", e);
    }
  }

  /**
   * Parses policy text.
   *
   * @param source names the text in messages
   * @param idPrefix prefixes rule ids, before {@code :line}
   */
  static AccessPolicy parse(String text, String source, String idPrefix) {
    List<AccessRule> rules = new ArrayList<>();
    String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      for (int c = 0; c < line.length(); c++) {
        char ch = line.charAt(c);
        if (ch != '\t' && Character.isISOControl(ch)) {
          throw new PolicyException(source, number, String.format(
              "found a control character (U+%04X) at column %d; expected printable text", (int) ch, c + 1), null);
        }
      }
      List<String> fields = fields(line);
      if (fields.isEmpty()) {
        continue;
      }
      AccessRule.Effect effect = switch (fields.get(0)) {
        case "allow" -> AccessRule.Effect.ALLOW;
        case "deny" -> AccessRule.Effect.DENY;
        default -> throw new PolicyException(source, number,
            "found '" + fields.get(0) + "'; expected allow or deny", null);
      };
      if (fields.size() != 4) {
        String found = fields.size() + (fields.size() == 1 ? " field" : " fields");
        throw new PolicyException(source, number,
            "found " + found + " ('" + String.join(" ", fields) + "'); expected 4: " + SYNTAX, null);
      }
      try {
        rules.add(AccessRule.parse(effect, fields.get(1), fields.get(2), fields.get(3), idPrefix + ":" + number));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(source, number, e.getMessage(), null);
      }
    }
    if (rules.isEmpty()) {
      throw new PolicyException(source, 0,
          "found no rules; expected at least one line '" + SYNTAX + "' (an empty policy would deny every request)",
          null);
    }
    return new AccessPolicy(source, rules);
  }

  /** Splits at spaces and tabs; a field that starts with '#' starts a comment. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      if (c == '#') {
        break;
      }
      int end = i;
      while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
        end++;
      }
      fields.add(line.substring(i, end));
      i = end;
    }
    return fields;
  }
}
