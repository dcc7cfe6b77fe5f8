package dev.mtls.pki;

import java.util.Map;

/**
 * One decoded PEM block: its label, RFC 1421 headers (only legacy encrypted keys have them) and
 * the DER bytes of its base64 body.
 *
 * @param source the file path or {@code inline PEM}
 * @param index the block's position in the input, from 1
 * @param label the text between {@code -----BEGIN } and {@code -----}
 * @param line the line number of the BEGIN line, from 1; 0 for a whole file of DER
 * @param headers the headers, such as {@code Proc-Type} and {@code DEK-Info}
 * @param der the decoded body
 */
record PemBlock(String source, int index, String label, int line, Map<String, String> headers,
    byte[] der) {

  /** Where the block is, for messages: {@code source: block 2 (label CERTIFICATE, line 23)}. */
  String where() {
    if (line == 0) {
      return source;
    }
    return source + ": block " + index + " (label " + label + ", line " + line + ")";
  }

  /** Where the DER came from, for the expectation: " under label X" or " in a DER file". */
  String under() {
    return line == 0 ? " in a DER file" : " under label " + label;
  }

  /** An error about this block: {@code where: found ...; expected ...}. */
  PkiException error(String found, String expected, Throwable cause) {
    return new PkiException(where() + ": found " + found + "; expected " + expected, cause);
  }

  /** An error about this block without an underlying exception. */
  PkiException error(String found, String expected) {
    return error(found, expected, null);
  }

  @Override
  public String toString() {
    return where();
  }
}
