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
   * Formats an event as one line: {@code event=handshake outcome=success role=server
   * peer_host=.. sni=.. protocol=.. cipher=.. principal=.. subject=".." issuer=".." serial=..
   * fingerprint=.. duration_ms=..}, and on failure {@code outcome=failure failure=..
   * reason=.. message=".."}. Absent values are left out; the order is fixed.
   *
   * @param event the event
   * @return the line
   */
  public static String format(HandshakeEvent event) {
    StringBuilder line = new StringBuilder("event=handshake");
    field(line, "outcome", event.succeeded() ? "success" : "failure");
    field(line, "role", event.role());
    field(line, "peer_host", event.peerHost());
    field(line, "sni", event.serverName());
    field(line, "protocol", event.protocol());
    field(line, "cipher", event.cipherSuite());
    field(line, "principal", event.principal());
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

  private static void field(StringBuilder line, String key, String value) {
    if (value == null) {
      return;
    }
    line.append(' ').append(key).append('=');
    boolean quote = value.isEmpty() || value.chars().anyMatch(
        c -> c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\r' || c == '\\' || c < 0x20);
    if (quote) {
      // Peers choose their certificate's subject: escape anything that could forge a log line.
      line.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n").replace("\r", "\\r")).append('"');
    } else {
      line.append(value);
    }
  }
}
