package dev.mtls.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a TLS alert from a server most likely means. A server never says why it refused a client;
 * the alert it sends is the only clue, and servers use them loosely, so these are likely causes,
 * not certainties.
 */
final class Alerts {
  private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: ([a-z_]+)");

  private Alerts() {}

  /** The alert named in a JSSE message ({@code Received fatal alert: bad_certificate}), or null. */
  static String received(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        Matcher matcher = RECEIVED.matcher(t.getMessage());
        if (matcher.find()) {
          return matcher.group(1);
        }
      }
    }
    return null;
  }

  static String explain(String alert, boolean sentCertificate) {
    String noCertificate = sentCertificate ? "" : " We sent no client certificate: give --cert and --key.";
    return switch (alert.toLowerCase(Locale.ROOT)) {
      case "certificate_required" ->
          "the server requires a client certificate and none was sent (TLS 1.3 alert 116)."
              + (sentCertificate ? " Ours was not sent: its issuer is probably not among the CAs the server"
                  + " accepts." : noCertificate);
      case "bad_certificate" -> sentCertificate
          ? "the server rejected our client certificate: most likely it does not trust its issuer, or its own"
              + " checks failed (expired, wrong extended key usage, revoked, not allowed by its policy)."
          : "the server refused the handshake for want of a valid client certificate." + noCertificate;
      case "unknown_ca" -> "the server does not trust the CA that issued our client certificate"
          + " (or, if we sent none, requires one)." + noCertificate;
      case "certificate_expired" -> "the server says our client certificate has expired (or is not yet valid).";
      case "certificate_revoked" -> "the server says our client certificate is revoked.";
      case "certificate_unknown" -> "the server could not accept our client certificate: most often an"
          + " untrusted issuer, a wrong extended key usage (clientAuth needed) or a failed revocation check.";
      case "unsupported_certificate" -> "the server does not support our certificate's type or key usage.";
      case "access_denied" -> "the server verified us but its policy denies this client.";
      case "handshake_failure" -> "no protocol version or cipher suite in common, or (TLS 1.2) the server"
          + " requires a client certificate we did not send." + noCertificate;
      case "protocol_version" -> "the server and this client share no TLS version (this client offers TLS 1.3"
          + " and 1.2).";
      case "insufficient_security" -> "the server wants stronger cipher suites than this client offers.";
      case "unrecognized_name" -> "the server does not serve the host name we asked for (SNI).";
      case "decrypt_error" -> "a signature or key check failed: often a client key that does not match its"
          + " certificate.";
      case "internal_error" -> "the server failed internally during the handshake; its logs say why.";
      default -> "the server ended the handshake with the alert " + alert + ".";
    };
  }
}
