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
    String line = Slf4jListener.format(event);
    String text = json ? Json.line(fields(event, line)) : line;
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  /** The fields of a {@code key=value} line, in order, after the event's time. */
  static Map<String, String> fields(MtlsEvent event, String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("time", event.at().toString());
    int i = 0;
    while (i < line.length()) {
      int equals = line.indexOf('=', i);
      String key = line.substring(i, equals);
      StringBuilder value = new StringBuilder();
      i = equals + 1;
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c != '\\') {
            value.append(c);
            continue;
          }
          char escaped = line.charAt(i++);
          switch (escaped) {
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 'u' -> {
              value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
              i += 4;
            }
            default -> value.append(escaped);
          }
        }
        i++;
      } else {
        int space = line.indexOf(' ', i);
        int end = space < 0 ? line.length() : space;
        value.append(line, i, end);
        i = end;
      }
      fields.put(key, value.toString());
      i++; // the space before the next field
    }
    return fields;
  }
}
