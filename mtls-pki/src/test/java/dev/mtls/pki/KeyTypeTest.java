package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KeyTypeTest {

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void of_generatedKey_isItsType(KeyType type) {
    assertThat(KeyType.of(type.generate().getPublic())).isEqualTo(type);
  }

  @Test
  void of_otherCurveOfSameSize_isRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
    generator.initialize(new ECGenParameterSpec("brainpoolP256r1"));

    assertThatThrownBy(() -> KeyType.of(generator.generateKeyPair().getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unsupported EC curve with a 256-bit field (expected P-256 or P-384)");
  }

  @Test
  void of_rsa1024_isRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);

    assertThatThrownBy(() -> KeyType.of(generator.generateKeyPair().getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unsupported RSA key size: 1024 bits");
  }
}
