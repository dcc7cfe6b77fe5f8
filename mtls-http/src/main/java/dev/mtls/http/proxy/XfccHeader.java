package dev.mtls.http.proxy;

import dev.mtls.pki.Pem;
import dev.mtls.pki.PkiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads Envoy's {@code x-forwarded-client-cert}: elements separated by commas, one per proxy
 * that appended one, each of {@code key=value} pairs separated by semicolons. Values are a run
 * of characters other than {@code , ; "} and whitespace, or a double-quoted string in which
 * {@code \"} and {@code \\} stand for a quote and a backslash (Envoy quotes {@code Subject},
 * {@code Cert} and {@code Chain}, whose values can hold commas and semicolons). Keys compare
 * case-insensitively; {@code URI} and {@code DNS} may repeat, {@code Cert} and {@code Chain}
 * may not.
 *
 * <p>Only the last element counts: it is what the nearest proxy, the one whose connection this
 * is, appended about its own client. Earlier elements describe hops before it, which the trusted
 * proxy passed on without checking, so they are parsed (a malformed header is refused whole) but
 * never used. From that element, {@code Chain} (the URL-encoded PEM of the client's whole chain,
 * its own certificate first) is used if present, else {@code Cert} (the URL-encoded PEM of the
 * client's certificate); with both, the first certificate of the chain must be the certificate.
 * An element with neither (a proxy configured to forward only {@code Hash} or {@code Subject})
 * forwards no certificate.
 */
final class XfccHeader {
  static final String NAME = "x-forwarded-client-cert";

  private XfccHeader() {}

  /** A key and its value, as parsed. */
  private record Pair(String key, String value) {}

  static List<X509Certificate> read(List<String> lines, int maxLength, int maxChainLength)
      throws ForwardedCertificateException {
    Headers.checkLength(NAME, lines, maxLength);
    if (lines.isEmpty()) {
      return List.of();
    }
    List<List<Pair>> elements = parse(String.join(",", lines));
    List<Pair> last = elements.get(elements.size() - 1);
    String cert = single(last, "cert");
    String chain = single(last, "chain");
    if (cert == null && chain == null) {
      return List.of();
    }
    List<X509Certificate> certificates;
    if (chain != null) {
      certificates = pem(chain, "Chain", maxChainLength);
      if (cert != null && !pem(cert, "Cert", 1).get(0).equals(certificates.get(0))) {
        throw new ForwardedCertificateException(NAME, "found a Cert that is not the first certificate of Chain;"
            + " expected the client's certificate in both");
      }
    } else {
      certificates = pem(cert, "Cert", 1);
    }
    return certificates;
  }

  private static String single(List<Pair> element, String key) throws ForwardedCertificateException {
    String found = null;
    for (Pair pair : element) {
      if (pair.key().equals(key)) {
        if (found != null) {
          throw new ForwardedCertificateException(NAME, "found key '" + key + "' twice in the last element;"
              + " expected it at most once");
        }
        found = pair.value();
      }
    }
    return found;
  }

  /** Parses all elements; every element has at least one pair. */
  private static List<List<Pair>> parse(String value) throws ForwardedCertificateException {
    List<List<Pair>> elements = new ArrayList<>();
    List<Pair> element = new ArrayList<>();
    int i = skipOws(value, 0);
    while (true) {
      String where = " in element " + (elements.size() + 1);
      int keyStart = i;
      while (i < value.length() && isKeyChar(value.charAt(i))) {
        i++;
      }
      if (i == keyStart) {
        throw new ForwardedCertificateException(NAME, (i < value.length()
            ? "found " + Headers.describe(value.charAt(i)) : "found the end") + " at position " + (i + 1)
            + where + "; expected a key such as Cert, Chain, Hash, Subject, URI, DNS or By");
      }
      String key = value.substring(keyStart, i).toLowerCase(Locale.ROOT);
      if (i >= value.length() || value.charAt(i) != '=') {
        throw new ForwardedCertificateException(NAME, "found key '" + value.substring(keyStart, i) + "' without"
            + " '='" + where + "; expected key=value");
      }
      i++;
      StringBuilder text = new StringBuilder();
      if (i < value.length() && value.charAt(i) == '"') {
        i = quoted(value, i, text, where);
      } else {
        int start = i;
        while (i < value.length() && !isDelimiter(value.charAt(i))) {
          char c = value.charAt(i);
          if (c == '"' || c < 0x21 || c > 0x7E) {
            throw new ForwardedCertificateException(NAME, "found " + Headers.describe(c) + " at position " + (i + 1)
                + " in the unquoted value of '" + key + "'" + where + "; expected a quoted value for text with"
                + " quotes, spaces or other characters outside printable ASCII");
          }
          i++;
        }
        if (i == start) {
          throw new ForwardedCertificateException(NAME, "found an empty value for '" + key + "'" + where
              + "; expected a value");
        }
        text.append(value, start, i);
      }
      element.add(new Pair(key, text.toString()));
      i = skipOws(value, i);
      if (i >= value.length()) {
        elements.add(element);
        return elements;
      }
      char c = value.charAt(i);
      if (c == ',') {
        elements.add(element);
        element = new ArrayList<>();
      } else if (c != ';') {
        throw new ForwardedCertificateException(NAME, "found " + Headers.describe(c) + " at position " + (i + 1)
            + where + "; expected ';' between pairs or ',' between elements");
      }
      i = skipOws(value, i + 1);
    }
  }

  /** Reads a quoted string starting at {@code value.charAt(open) == '"'}; returns the index after it. */
  private static int quoted(String value, int open, StringBuilder text, String where)
      throws ForwardedCertificateException {
    int i = open + 1;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= value.length() || value.charAt(i + 1) != '"' && value.charAt(i + 1) != '\\') {
          throw new ForwardedCertificateException(NAME, "found a backslash at position " + (i + 1) + where
              + " followed by " + (i + 1 < value.length() ? Headers.describe(value.charAt(i + 1)) : "the end")
              + "; expected \\\" or \\\\ in a quoted value");
        }
        text.append(value.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c < 0x20 || c == 0x7F) {
        throw new ForwardedCertificateException(NAME, "found " + Headers.describe(c) + " at position " + (i + 1)
            + where + "; expected no control characters in a quoted value");
      }
      text.append(c);
      i++;
    }
    throw new ForwardedCertificateException(NAME, "found no closing '\"' for the quote at position " + (open + 1)
        + where + "; expected a quoted value to end with '\"'");
  }

  /** Percent-decodes URL-encoded PEM ({@code +} is a base64 character here, not a space) and reads it. */
  private static List<X509Certificate> pem(String encoded, String key, int max) throws ForwardedCertificateException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (low < 0) {
          throw new ForwardedCertificateException(NAME, "found a '%' not followed by two hex digits at position "
              + (i + 1) + " of " + key + "; expected URL-encoded PEM");
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c > 0x20 && c < 0x7F) {
        bytes.write(c);
      } else {
        throw new ForwardedCertificateException(NAME, "found " + Headers.describe(c) + " at position " + (i + 1)
            + " of " + key + "; expected URL-encoded PEM");
      }
    }
    byte[] decoded = bytes.toByteArray();
    for (int i = 0; i < decoded.length; i++) {
      int b = decoded[i] & 0xFF;
      if (b > 0x7E || b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
        throw new ForwardedCertificateException(NAME, String.format("found byte 0x%02x at position %d of the"
            + " decoded %s; expected PEM text", b, i + 1, key));
      }
    }
    List<X509Certificate> certificates;
    try {
      certificates = Pem.parseCertificates(new String(decoded, StandardCharsets.US_ASCII));
    } catch (PkiException e) {
      throw new ForwardedCertificateException(NAME, "found a " + key + " that is not PEM certificates ("
          + e.getMessage() + ")", e);
    }
    if (certificates.size() > max) {
      throw new ForwardedCertificateException(NAME, "found " + certificates.size() + " certificates in " + key
          + "; expected " + (max == 1 ? "one" : "at most " + max + " (ForwardedCertificates.Builder.maxChainLength)"));
    }
    return certificates;
  }

  private static int skipOws(String value, int i) {
    while (i < value.length() && Headers.isOws(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isKeyChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
  }

  private static boolean isDelimiter(char c) {
    return c == ',' || c == ';' || Headers.isOws(c);
  }
}
