package dev.mtls.core.principal;

import dev.mtls.pki.Certificates;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A strong binding: a table from something only one certificate or key has (an SPKI pin, an
 * issuer and serial number) to a configured principal; see {@link PrincipalMappers#spkiPins(Map)}
 * and {@link PrincipalMappers#issuerAndSerial(Map)}.
 *
 * @param <K> the key read from the leaf
 */
final class BindingTable<K> implements PrincipalMapper {
  private static final String PIN_PREFIX = "sha256/";
  private static final int SHA256_BYTES = 32;

  /** Names the key in messages, before its value: {@code SPKI pin }, or nothing. */
  private final String what;
  private final Function<X509Certificate, K> keyOf;
  private final Map<K, MtlsPrincipal> principals;

  private BindingTable(String what, Function<X509Certificate, K> keyOf, Map<K, MtlsPrincipal> principals) {
    this.what = what;
    this.keyOf = keyOf;
    this.principals = principals;
  }

  static BindingTable<String> spkiPins(Map<String, String> principalNamesByPin) {
    Map<String, MtlsPrincipal> table = new LinkedHashMap<>();
    Objects.requireNonNull(principalNamesByPin, "principalNamesByPin").forEach((pin, name) -> {
      checkPin(pin);
      table.put(pin, principal(name, "SPKI pin " + pin).withAttribute("pin", pin));
    });
    return new BindingTable<>("SPKI pin ", Certificates::spkiPin, checkedNotEmpty(table));
  }

  static BindingTable<IssuerSerial> issuerAndSerial(Map<IssuerSerial, String> principalNamesByCertificate) {
    Map<IssuerSerial, MtlsPrincipal> table = new LinkedHashMap<>();
    Objects.requireNonNull(principalNamesByCertificate, "principalNamesByCertificate").forEach((key, name) -> {
      Objects.requireNonNull(key, "issuer and serial");
      table.put(key, principal(name, key.toString())
          .withAttribute("issuer", Chains.rfc2253(key.issuer()))
          .withAttribute("serial", key.serialNumber().toString(16)));
    });
    return new BindingTable<>("", IssuerSerial::of, checkedNotEmpty(table));
  }

  @Override
  public MappingResult map(List<X509Certificate> verifiedChain) {
    X509Certificate leaf = Chains.leaf(verifiedChain);
    K key = keyOf.apply(leaf);
    MtlsPrincipal principal = principals.get(key);
    if (principal == null) {
      return MappingResult.noMatch(Chains.describe(leaf) + " has " + what + key + ", which is not among the "
          + principals.size() + " bound in the table");
    }
    return MappingResult.mapped(principal);
  }

  private static MtlsPrincipal principal(String name, String boundTo) {
    try {
      return MtlsPrincipal.parse(Objects.requireNonNull(name, () -> "principal name for " + boundTo));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad principal for " + boundTo + ": " + e.getMessage(), e);
    }
  }

  private static void checkPin(String pin) {
    Objects.requireNonNull(pin, "pin");
    byte[] hash = null;
    if (pin.startsWith(PIN_PREFIX)) {
      try {
        hash = Base64.getDecoder().decode(pin.substring(PIN_PREFIX.length()));
      } catch (IllegalArgumentException e) {
        hash = null;
      }
    }
    if (hash == null || hash.length != SHA256_BYTES) {
      throw new IllegalArgumentException("Not an SPKI pin: '" + pin + "'; a pin is sha256/ followed by the Base64 "
          + "of 32 bytes, as Certificates.spkiPin(certificate) returns");
    }
  }

  private static <K> Map<K, MtlsPrincipal> checkedNotEmpty(Map<K, MtlsPrincipal> table) {
    if (table.isEmpty()) {
      throw new IllegalArgumentException("A binding table needs at least one entry");
    }
    return Map.copyOf(table);
  }
}
