package dev.mtls.pki;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The authority key identifier extension of a certificate or CRL (RFC 5280 section 4.2.1.1): which
 * key signed it. Chain building compares {@link #keyIdentifier()} with the subject key identifier
 * of candidate issuers; the issuer name and serial form are rarely used, and come together or not
 * at all.
 *
 * @param keyIdentifier the issuer's key identifier; empty if the extension has none
 * @param issuer the issuer's issuer names ({@code authorityCertIssuer}); empty if absent
 * @param serialNumber the serial number of the issuer's certificate, if present
 */
public record AuthorityKeyIdentifier(
    byte[] keyIdentifier, List<GeneralName> issuer, Optional<BigInteger> serialNumber) {

  /**
   * Copies the values.
   *
   * @param keyIdentifier the issuer's key identifier; empty if absent
   * @param issuer the issuer's issuer names
   * @param serialNumber the serial number of the issuer's certificate, if present
   */
  public AuthorityKeyIdentifier {
    keyIdentifier = Objects.requireNonNull(keyIdentifier, "keyIdentifier").clone();
    issuer = List.copyOf(Objects.requireNonNull(issuer, "issuer"));
    Objects.requireNonNull(serialNumber, "serialNumber");
  }

  /**
   * Returns the issuer's key identifier.
   *
   * @return a copy of the key identifier; empty if the extension has none
   */
  @Override
  public byte[] keyIdentifier() {
    return keyIdentifier.clone();
  }

  /**
   * Returns whether the extension has a key identifier.
   *
   * @return true if {@link #keyIdentifier()} is not empty
   */
  public boolean hasKeyIdentifier() {
    return keyIdentifier.length > 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AuthorityKeyIdentifier that
        && Arrays.equals(keyIdentifier, that.keyIdentifier)
        && issuer.equals(that.issuer)
        && serialNumber.equals(that.serialNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(keyIdentifier), issuer, serialNumber);
  }

  @Override
  public String toString() {
    return "AuthorityKeyIdentifier[keyIdentifier=" + HexFormat.of().formatHex(keyIdentifier)
        + ", issuer=" + issuer + ", serialNumber=" + serialNumber + "]";
  }
}
