package dev.mtls.core.verify;

import java.util.List;
import java.util.Set;

/**
 * SPKI pinning: one of the configured {@code sha256/BASE64} pins must name the key of a
 * certificate in the path. On failure the message lists the pin of every certificate next to the
 * configured pins, so that a user can fix the configuration by copying from it.
 */
final class PinCheck {
  private PinCheck() {}

  static Failure check(List<PathCertificate> path, Set<String> pins) {
    if (pins.isEmpty() || path.stream().anyMatch(c -> pins.contains(c.pin()))) {
      return null;
    }
    return Failure.of(FailureReason.PIN_MISMATCH, -1, message(path, pins));
  }

  static String message(List<PathCertificate> path, Set<String> pins) {
    StringBuilder text = new StringBuilder("certificate pinning failure: no certificate of the"
        + " path matches a configured pin\n  peer's pins:");
    for (int i = 0; i < path.size(); i++) {
      text.append("\n    [").append(i).append("] ").append(path.get(i).pin()).append(": ")
          .append(path.get(i).certificate().getSubjectX500Principal().getName());
    }
    text.append("\n  configured pins:");
    pins.stream().sorted().forEach(pin -> text.append("\n    ").append(pin));
    return text.toString();
  }
}
