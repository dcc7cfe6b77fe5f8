package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class CertificationRequestTest {

  @Test
  void create_roundTripsThroughDer() {
    KeyPair pair = KeyType.RSA_2048.generate();
    CertificationRequest csr = CertificationRequest.create(
        "CN=svc,O=Example", pair, GeneralName.dns("svc.example.org"), GeneralName.ip("10.0.0.7"));

    CertificationRequest parsed = CertificationRequest.fromDer(csr.encoded(), "svc.csr");

    assertThat(parsed.subject().getName()).isEqualTo("CN=svc,O=Example");
    assertThat(parsed.publicKey()).isEqualTo(pair.getPublic());
    assertThat(parsed.subjectAlternativeNames())
        .containsExactly(GeneralName.dns("svc.example.org"), GeneralName.ip("10.0.0.7"));
    parsed.verify();
  }

  @Test
  void create_withoutSans_hasNone() {
    CertificationRequest csr = CertificationRequest.create("CN=a", KeyType.ED25519.generate());

    assertThat(csr.subjectAlternativeNames()).isEmpty();
    csr.verify();
  }

  @Test
  void verify_tamperedRequest_fails() {
    byte[] der = CertificationRequest.create("CN=victim", KeyType.EC_P256.generate()).encoded();
    der[der.length - 5] ^= 0x01; // inside the signature

    CertificationRequest tampered = CertificationRequest.fromDer(der, "tampered.csr");

    assertThatThrownBy(tampered::verify)
        .isInstanceOf(PkiException.class)
        .hasMessageStartingWith("tampered.csr: ");
  }

  @Test
  void fromDer_garbage_namesSource() {
    assertThatThrownBy(() -> CertificationRequest.fromDer(new byte[] {1, 2, 3}, "junk.csr"))
        .isInstanceOf(PkiException.class)
        .hasMessage("junk.csr: not a PKCS#10 certificate request (3 bytes of DER)")
        .cause()
        .isNotNull();
  }
}
