package dev.mtls.pki;

import java.util.Objects;

/**
 * One extension of a certificate or CRL, as listed in the encoding: its object identifier, a
 * readable name where this library knows one, and whether it is critical. A relying party must
 * reject a certificate or CRL with a critical extension it does not process.
 *
 * @param oid the extension's dotted object identifier, such as {@code 2.5.29.17}
 * @param name the extension's RFC 5280 name, such as {@code subjectAltName}, or the OID if unknown
 * @param critical whether the extension is marked critical
 */
public record ExtensionInfo(String oid, String name, boolean critical) {

  /**
   * Checks the values.
   *
   * @param oid the extension's object identifier
   * @param name the extension's name
   * @param critical whether it is critical
   */
  public ExtensionInfo {
    Objects.requireNonNull(oid, "oid");
    Objects.requireNonNull(name, "name");
  }
}
