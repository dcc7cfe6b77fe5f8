package dev.mtls.http.proxy;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads RFC 9440's fields: {@code Client-Cert}, an RFC 8941 byte sequence ({@code :BASE64:}) of
 * the client certificate's DER, and {@code Client-Cert-Chain}, a list of byte sequences of the
 * intermediates (field lines of a list combine, so a proxy may send one line per certificate).
 *
 * <p>Stricter than a general structured-field parser: {@code Client-Cert} is a single field line
 * holding one byte sequence without parameters (RFC 9440 defines none), list members are byte
 * sequences without parameters, and {@code Client-Cert-Chain} without {@code Client-Cert} is
 * refused. The base64 alphabet is RFC 4648's standard one; padding may be left out, as RFC 8941
 * lets parsers accept.
 */
final class Rfc9440Fields {
  static final String CLIENT_CERT = "Client-Cert";
  static final String CLIENT_CERT_CHAIN = "Client-Cert-Chain";

  private Rfc9440Fields() {}

  /** The chain, the client's certificate first; empty if neither field is present. */
  static List<X509Certificate> read(List<String> certLines, List<String> chainLines, int maxLength,
      int maxChainLength) throws ForwardedCertificateException {
    Headers.checkLength(CLIENT_CERT, certLines, maxLength);
    Headers.checkLength(CLIENT_CERT_CHAIN, chainLines, maxLength);
    if (certLines.isEmpty()) {
      if (!chainLines.isEmpty()) {
        throw new ForwardedCertificateException(CLIENT_CERT_CHAIN, "found without " + CLIENT_CERT
            + "; expected the client certificate in " + CLIENT_CERT + " whenever a chain is sent");
      }
      return List.of();
    }
    if (certLines.size() > 1) {
      throw new ForwardedCertificateException(CLIENT_CERT, "found " + certLines.size() + " field lines;"
          + " expected one byte sequence ':BASE64:'");
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(DerCertificates.decode(byteSequence(CLIENT_CERT, certLines.get(0), "the value"), CLIENT_CERT,
        "the client certificate"));
    if (!chainLines.isEmpty()) {
      List<String> members = Headers.splitList(String.join(",", chainLines));
      if (members.size() + 1 > maxChainLength) {
        throw new ForwardedCertificateException(CLIENT_CERT_CHAIN, "found " + members.size()
            + " certificates; expected at most " + (maxChainLength - 1) + " (a chain of at most "
            + maxChainLength + " with the client certificate)");
      }
      for (int i = 0; i < members.size(); i++) {
        String which = "list member " + (i + 1);
        chain.add(DerCertificates.decode(byteSequence(CLIENT_CERT_CHAIN, members.get(i), which),
            CLIENT_CERT_CHAIN, which));
      }
    }
    return List.copyOf(chain);
  }

  /** Decodes {@code :BASE64:}, with optional whitespace around it. */
  static byte[] byteSequence(String header, String field, String which) throws ForwardedCertificateException {
    String value = Headers.trimOws(field);
    String expected = "; expected a byte sequence ':BASE64:' of a DER certificate";
    if (value.isEmpty()) {
      throw new ForwardedCertificateException(header, "found an empty " + which + expected);
    }
    if (value.charAt(0) != ':') {
      throw new ForwardedCertificateException(header, "found " + which + " starting with "
          + Headers.describe(value.charAt(0)) + expected);
    }
    int end = value.indexOf(':', 1);
    if (end < 0) {
      throw new ForwardedCertificateException(header, "found no closing ':' in " + which + expected);
    }
    if (end != value.length() - 1) {
      char next = value.charAt(end + 1);
      throw new ForwardedCertificateException(header, "found " + Headers.describe(next) + " after the closing ':'"
          + " of " + which + (next == ',' ? "; expected a single byte sequence" : next == ';'
              ? "; expected no parameters" : expected));
    }
    String base64 = value.substring(1, end);
    for (int i = 0; i < base64.length(); i++) {
      char c = base64.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
          || c == '=')) {
        throw new ForwardedCertificateException(header, "found " + Headers.describe(c) + " at position " + (i + 1)
            + " of the base64 in " + which + "; expected A-Z, a-z, 0-9, '+', '/' or '='");
      }
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ForwardedCertificateException(header, "found invalid base64 in " + which + " ("
          + e.getMessage() + ")" + expected, e);
    }
  }
}
