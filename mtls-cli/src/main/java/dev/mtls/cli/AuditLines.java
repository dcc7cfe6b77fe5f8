package dev.mtls.cli;

import dev.mtls.core.AccessEvent;
import dev.mtls.core.ExpiryEvent;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.MtlsEvent;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.ReloadEvent;
import dev.mtls.core.Slf4jListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the server's events to standard output, one line each: the library's {@code key=value}
 * lines, or with {@code --json} one JSON object per line with the same keys (all values strings)
 * after {@code time}, so that both forms carry the same, stable fields.
 */
final class AuditLines implements MtlsListener {
  private final PrintWriter out;
  private final boolean json;

  AuditLines(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  @Override
  public void onHandshake(HandshakeEvent event) {
    print(event);
  }

  @Override
  public void onReload(ReloadEvent event) {
    print(event);
  }

  @Override
  public void onExpiry(ExpiryEvent event) {
    print(event);
  }

  @Override
  public void onAccess(AccessEvent event) {
    print(event);
  }

  private void print(MtlsEvent event) {
    String text = json ? Json.line(fields(event)) : Slf4jListener.format(event);
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  /** The fields of the event's {@code key=value} line, in order, after the event's time. */
  static Map<String, String> fields(MtlsEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("time", event.at().toString());
    fields.putAll(Slf4jListener.fields(event));
    return fields;
  }
}
