package dev.mtls.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per event with stable {@code key=value} fields, values with spaces quoted.
 * Never logs certificates, keys or request data.
 */
public final class Slf4jListener implements MtlsListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mtls.events");

  Slf4jListener() {}

  @Override
  public void onReload(ReloadEvent event) {
    if (event.outcome() == ReloadEvent.Outcome.FAILED) {
      if (LOG.isWarnEnabled()) {
        LOG.warn(format(event));
      }
    } else if (LOG.isInfoEnabled()) {
      LOG.info(format(event));
    }
  }

  @Override
  public void onExpiry(ExpiryEvent event) {
    if (LOG.isWarnEnabled()) {
      LOG.warn(format(event));
    }
  }

  @Override
  public void onAccess(AccessEvent event) {
    if (event.allowed()) {
      if (LOG.isInfoEnabled()) {
        LOG.info(format(event));
      }
    } else if (LOG.isWarnEnabled()) {
      LOG.warn(format(event));
    }
  }

  @Override
  public void onHandshake(HandshakeEvent event) {
    if (event.succeeded()) {
      if (LOG.isInfoEnabled()) {
        LOG.info(format(event));
      }
    } else if (LOG.isWarnEnabled()) {
      LOG.warn(format(event));
    }
  }

  /**
   * Formats an event as one line of {@code key=value} fields, values with spaces or quotes
   * quoted, absent values left out, in a fixed order:
   *
   * <ul>
   *   <li>handshakes: {@code event=handshake outcome=success role=server peer_host=.. sni=..
   *       protocol=.. cipher=.. principal=.. revocation=".." subject=".." issuer=".." serial=..
   *       fingerprint=..
   *       duration_ms=..}, and on failure {@code outcome=failure failure=.. reason=..
   *       message=".."};
   *   <li>reloads: {@code event=reload material=identity|trust outcome=changed|unchanged|failed
   *       source=".." old_subject=".." old_serial=.. old_fingerprint=.. old_not_after=..
   *       new_subject=".." new_serial=.. new_fingerprint=.. new_not_after=.. count=..
   *       message=".."} (the {@code old_} and {@code new_} fields describe the first
   *       certificate; {@code count} is how many there are after the reload);
   *   <li>expiry warnings: {@code event=expiry material=.. source=".." subject=".." serial=..
   *       fingerprint=.. not_after=.. threshold=P7D remaining=P6DT23H..};
   *   <li>access decisions: {@code event=access decision=allow|deny principal=.. fingerprint=..
   *       via=.. method=.. path=.. rule=.. certificate_failure=.. reason=".."} ({@code via} only
   *       for a certificate a proxy forwarded, such as {@code via=proxy:cn:envoy};
   *       {@code certificate_failure} only when the certificate was rejected, such as
   *       {@code certificate_failure=EXPIRED}).
   * </ul>
   *
   * @param event the event
   * @return the line
   */
  public static String format(MtlsEvent event) {
    if (event instanceof ReloadEvent reload) {
      return formatReload(reload);
    }
    if (event instanceof ExpiryEvent expiry) {
      return formatExpiry(expiry);
    }
    if (event instanceof AccessEvent access) {
      return formatAccess(access);
    }
    return formatHandshake((HandshakeEvent) event);
  }

  private static String formatHandshake(HandshakeEvent event) {
    StringBuilder line = new StringBuilder("event=handshake");
    field(line, "outcome", event.succeeded() ? "success" : "failure");
    field(line, "role", event.role());
    field(line, "peer_host", event.peerHost());
    field(line, "sni", event.serverName());
    field(line, "protocol", event.protocol());
    field(line, "cipher", event.cipherSuite());
    field(line, "principal", event.principal());
    field(line, "revocation", event.revocation());
    field(line, "subject", event.peerSubject());
    field(line, "issuer", event.peerIssuer());
    field(line, "serial", event.peerSerial() == null ? null : event.peerSerial().toString(16));
    field(line, "fingerprint", event.peerFingerprint());
    field(line, "duration_ms", event.duration() == null ? null
        : String.valueOf(event.duration().toMillis()));
    field(line, "failure", event.failure() == null ? null : event.failure().name());
    field(line, "reason", event.reason() == null ? null : event.reason().name());
    field(line, "message", event.message());
    return line.toString();
  }

  private static String formatReload(ReloadEvent event) {
    StringBuilder line = new StringBuilder("event=reload");
    field(line, "material", lower(event.material()));
    field(line, "outcome", lower(event.outcome()));
    field(line, "source", event.source());
    certificate(line, "old_", event.previous().isEmpty() ? null : event.previous().get(0));
    if (event.changed()) {
      certificate(line, "new_", event.current().isEmpty() ? null : event.current().get(0));
    }
    field(line, "count", String.valueOf(event.current().size()));
    field(line, "message", event.message());
    return line.toString();
  }

  private static String formatExpiry(ExpiryEvent event) {
    StringBuilder line = new StringBuilder("event=expiry");
    field(line, "material", lower(event.material()));
    field(line, "source", event.source());
    certificate(line, "", event.certificate());
    field(line, "threshold", event.threshold().toString());
    field(line, "remaining", event.remaining().toString());
    return line.toString();
  }

  private static String formatAccess(AccessEvent event) {
    StringBuilder line = new StringBuilder("event=access");
    field(line, "decision", event.allowed() ? "allow" : "deny");
    field(line, "principal", event.principal());
    field(line, "fingerprint", event.fingerprint());
    field(line, "via", event.via());
    field(line, "method", event.method());
    field(line, "path", event.path());
    field(line, "rule", event.rule());
    field(line, "certificate_failure",
        event.certificateFailure() == null ? null : event.certificateFailure().name());
    field(line, "reason", event.reason());
    return line.toString();
  }

  private static void certificate(StringBuilder line, String prefix, CertificateSummary summary) {
    if (summary == null) {
      return;
    }
    field(line, prefix + "subject", summary.subject());
    field(line, prefix + "serial", summary.serial().toString(16));
    field(line, prefix + "fingerprint", summary.fingerprint());
    field(line, prefix + "not_after", summary.notAfter().toString());
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Appends one {@code key=value} field with this listener's quoting rules, for code that writes
   * lines of its own in the same format: a space, the key, {@code =}, and the value, in double
   * quotes if it is empty or holds a space, {@code "}, {@code =}, a backslash or a control
   * character, with backslashes, quotes, line feeds and carriage returns escaped (other control
   * characters as {@code \\uXXXX}) so that no value
   * can start a forged line. A null value appends nothing.
   *
   * @param line the line so far
   * @param key the key: lower-case letters, digits and {@code _}
   * @param value the value, or null
   */
  public static void field(StringBuilder line, String key, String value) {
    if (value == null) {
      return;
    }
    line.append(' ').append(key).append('=');
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ' ' || c == '"' || c == '=' || c == '\\' || Character.isISOControl(c);
    }
    if (!quote) {
      line.append(value);
      return;
    }
    // Peers choose their certificate's subject: escape anything that could forge a log line or
    // move a terminal's cursor (tabs, escape sequences, C1 controls).
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> line.append("\\\\");
        case '"' -> line.append("\\\"");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
