package dev.mtls.cli;

import dev.mtls.pki.KeyType;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The key types {@code --key} offers, by their command-line names. */
enum KeyChoice {
  EC_P256("ec-p256", KeyType.EC_P256),
  EC_P384("ec-p384", KeyType.EC_P384),
  RSA_2048("rsa-2048", KeyType.RSA_2048),
  RSA_3072("rsa-3072", KeyType.RSA_3072),
  ED25519("ed25519", KeyType.ED25519);

  private final String flag;
  private final KeyType type;

  KeyChoice(String flag, KeyType type) {
    this.flag = flag;
    this.type = type;
  }

  KeyType type() {
    return type;
  }

  @Override
  public String toString() {
    return flag;
  }

  static String names() {
    return Arrays.stream(values()).map(KeyChoice::toString).collect(Collectors.joining("|"));
  }

  /** Converts {@code --key} values. */
  static final class Converter implements ITypeConverter<KeyChoice> {
    @Override
    public KeyChoice convert(String value) {
      String wanted = value.toLowerCase(Locale.ROOT);
      for (KeyChoice choice : values()) {
        if (choice.flag.equals(wanted)) {
          return choice;
        }
      }
      throw new TypeConversionException("unknown key type '" + value + "', expected one of " + names());
    }
  }

  /** Lists the names in the help. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(KeyChoice::toString).iterator();
    }
  }
}
