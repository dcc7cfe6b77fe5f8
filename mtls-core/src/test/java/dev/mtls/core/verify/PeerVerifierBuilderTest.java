package dev.mtls.core.verify;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerVerifierBuilderTest {

  @Test
  void profile_setTwice_isRefusedWithTheOldValue() {
    PeerVerifier.Builder builder =
        PeerVerifier.builder(PeerRole.SERVER).profile(VerificationProfile.WEB_PKI);

    assertThatThrownBy(() -> builder.profile(VerificationProfile.MTLS))
        .isInstanceOf(IllegalStateException.class).hasMessage("profile was already set to WEB_PKI");
  }

  @Test
  void maxChainLength_setTwice_isRefusedWithTheOldValue() {
    PeerVerifier.Builder builder = PeerVerifier.builder(PeerRole.SERVER).maxChainLength(4);

    assertThatThrownBy(() -> builder.maxChainLength(5))
        .isInstanceOf(IllegalStateException.class).hasMessage("maxChainLength was already set to 4");
  }

  @Test
  void clockSkew_negative_isRefused() {
    assertThatThrownBy(() -> PeerVerifier.builder(PeerRole.SERVER).clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clockSkew must not be negative, was PT-1S");
  }

  @Test
  void pins_notAPin_isRefused() {
    assertThatThrownBy(() -> PeerVerifier.builder(PeerRole.SERVER).pins(List.of("sha1/abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an SPKI pin: 'sha1/abc'; expected sha256/ followed by the Base64 of a"
            + " SHA-256 hash (44 characters)");
  }

  @Test
  void extendedKeyUsage_notAnOid_isRefused() {
    assertThatThrownBy(() -> PeerVerifier.builder(PeerRole.SERVER).extendedKeyUsage("serverAuth"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an object identifier: 'serverAuth'");
  }

  @Test
  void minimumRsaKeyBits_under1024_isRefused() {
    assertThatThrownBy(() -> PeerVerifier.builder(PeerRole.SERVER).minimumRsaKeyBits(512))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minimumRsaKeyBits must be >= 1024, was 512");
  }

  @Test
  void build_withoutTrustAnchors_isRefused() {
    assertThatThrownBy(() -> PeerVerifier.builder(PeerRole.SERVER).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No trust anchors: a verifier needs at least one CA certificate to trust, or"
            + " pins with pinsInsteadOfChain()");
  }

  @Test
  void build_pinsInsteadOfChainWithoutPins_isRefused() {
    assertThatThrownBy(() -> PeerVerifier.builder(PeerRole.SERVER).pinsInsteadOfChain().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pinsInsteadOfChain() needs pins(..)");
  }
}
