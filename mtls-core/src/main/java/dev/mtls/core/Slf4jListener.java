package dev.mtls.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
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
    StringBuilder line = new StringBuilder(256); // an access line is about 230 characters
    emit(event, (key, value) -> {
      if (line.length() == 0) {
        line.append(key).append('=').append(value); // event=..., never quoted
      } else {
        field(line, key, value);
      }
    });
    return line.toString();
  }

  /**
   * Returns the fields of an event's line, in the order {@link #format(MtlsEvent)} writes them,
   * unquoted and unescaped, without the ones it leaves out: for writers of other formats (JSON,
   * say) that must carry the same, stable fields.
   *
   * @param event the event
   * @return the fields by key, {@code event} first
   */
  public static Map<String, String> fields(MtlsEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    emit(event, (key, value) -> {
      if (value != null) {
        fields.put(key, value);
      }
    });
    return fields;
  }

  private static void emit(MtlsEvent event, BiConsumer<String, String> out) {
    if (event instanceof ReloadEvent reload) {
      emitReload(reload, out);
    } else if (event instanceof ExpiryEvent expiry) {
      emitExpiry(expiry, out);
    } else if (event instanceof AccessEvent access) {
      emitAccess(access, out);
    } else {
      emitHandshake((HandshakeEvent) event, out);
    }
  }

  private static void emitHandshake(HandshakeEvent event, BiConsumer<String, String> out) {
    out.accept("event", "handshake");
    out.accept("outcome", event.succeeded() ? "success" : "failure");
    out.accept("role", event.role());
    out.accept("peer_host", event.peerHost());
    out.accept("sni", event.serverName());
    out.accept("protocol", event.protocol());
    out.accept("cipher", event.cipherSuite());
    out.accept("principal", event.principal());
    out.accept("revocation", event.revocation());
    out.accept("subject", event.peerSubject());
    out.accept("issuer", event.peerIssuer());
    out.accept("serial", event.peerSerial() == null ? null : event.peerSerial().toString(16));
    out.accept("fingerprint", event.peerFingerprint());
    out.accept("duration_ms", event.duration() == null ? null
        : String.valueOf(event.duration().toMillis()));
    out.accept("failure", event.failure() == null ? null : event.failure().name());
    out.accept("reason", event.reason() == null ? null : event.reason().name());
    out.accept("message", event.message());
  }

  private static void emitReload(ReloadEvent event, BiConsumer<String, String> out) {
    out.accept("event", "reload");
    out.accept("material", lower(event.material()));
    out.accept("outcome", lower(event.outcome()));
    out.accept("source", event.source());
    certificate(out, "old_", event.previous().isEmpty() ? null : event.previous().get(0));
    if (event.changed()) {
      certificate(out, "new_", event.current().isEmpty() ? null : event.current().get(0));
    }
    out.accept("count", String.valueOf(event.current().size()));
    out.accept("message", event.message());
  }

  private static void emitExpiry(ExpiryEvent event, BiConsumer<String, String> out) {
    out.accept("event", "expiry");
    out.accept("material", lower(event.material()));
    out.accept("source", event.source());
    certificate(out, "", event.certificate());
    out.accept("threshold", event.threshold().toString());
    out.accept("remaining", event.remaining().toString());
  }

  private static void emitAccess(AccessEvent event, BiConsumer<String, String> out) {
    out.accept("event", "access");
    out.accept("decision", event.allowed() ? "allow" : "deny");
    out.accept("principal", event.principal());
    out.accept("fingerprint", event.fingerprint());
    out.accept("via", event.via());
    out.accept("method", event.method());
    out.accept("path", event.path());
    out.accept("rule", event.rule());
    out.accept("certificate_failure",
        event.certificateFailure() == null ? null : event.certificateFailure().name());
    out.accept("reason", event.reason());
  }

  private static void certificate(BiConsumer<String, String> out, String prefix, CertificateSummary summary) {
    if (summary == null) {
      return;
    }
    out.accept(prefix + "subject", summary.subject());
    out.accept(prefix + "serial", summary.serial().toString(16));
    out.accept(prefix + "fingerprint", summary.fingerprint());
    out.accept(prefix + "not_after", summary.notAfter().toString());
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
