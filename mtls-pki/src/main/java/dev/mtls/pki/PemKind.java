package dev.mtls.pki;

import java.util.List;
import java.util.Set;

/** What a caller asks to read from PEM input, with the labels that hold it. */
enum PemKind {
  CERTIFICATES("CERTIFICATE or TRUSTED CERTIFICATE blocks", false,
      "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"),
  PRIVATE_KEY("one PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block",
      true, "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"),
  PUBLIC_KEY("one PUBLIC KEY or RSA PUBLIC KEY block", true, "PUBLIC KEY", "RSA PUBLIC KEY"),
  REQUEST("one CERTIFICATE REQUEST or NEW CERTIFICATE REQUEST block", true,
      "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"),
  CRLS("X509 CRL blocks", false, "X509 CRL");

  /** Labels this module understands; any other label is an error. */
  static final Set<String> KNOWN_LABELS = Set.of(
      "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "PRIVATE KEY",
      "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "EC PARAMETERS", "PUBLIC KEY",
      "RSA PUBLIC KEY", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "X509 CRL");

  private final String expected;
  private final boolean single;
  private final List<String> labels;

  PemKind(String expected, boolean single, String... labels) {
    this.expected = expected;
    this.single = single;
    this.labels = List.of(labels);
  }

  /** What the input should hold, for messages. */
  String expected() {
    return expected;
  }

  /** Whether exactly one block of this kind is expected. */
  boolean single() {
    return single;
  }

  /** Whether a block with this label holds this kind. */
  boolean accepts(String label) {
    return labels.contains(label);
  }
}
