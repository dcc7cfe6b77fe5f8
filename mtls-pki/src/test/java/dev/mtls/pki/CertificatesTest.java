package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CertificatesTest {
  private static final CertifiedKey KEY = CertificateBuilder.create().commonName("pin").build();

  @Test
  void sha256Fingerprint_isUpperHexWithColons() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY.certificate().getEncoded());

    String fingerprint = Certificates.sha256Fingerprint(KEY.certificate());

    assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(fingerprint.replace(":", "")).isEqualTo(HexFormat.of().withUpperCase().formatHex(digest));
  }

  @Test
  void spkiPin_isSha256OfSubjectPublicKeyInfo() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY.publicKey().getEncoded());

    assertThat(Certificates.spkiPin(KEY.certificate()))
        .isEqualTo("sha256/" + Base64.getEncoder().encodeToString(digest))
        .isEqualTo(Certificates.spkiPin(KEY.publicKey()));
  }

  @Test
  void keyMatches_ownKey_isTrueForEveryType() {
    for (KeyType type : KeyType.values()) {
      CertifiedKey key = CertificateBuilder.create().keyType(type).build();

      assertThat(Certificates.keyMatches(key.privateKey(), key.certificate())).as(type.name()).isTrue();
    }
  }

  @Test
  void keyMatches_otherKeyOfSameType_isFalse() {
    CertifiedKey other = CertificateBuilder.create().commonName("other").build();

    assertThat(Certificates.keyMatches(other.privateKey(), KEY.certificate())).isFalse();
  }

  @Test
  void keyMatches_keyOfOtherAlgorithm_isFalse() {
    CertifiedKey rsa = CertificateBuilder.create().keyType(KeyType.RSA_2048).build();

    assertThat(Certificates.keyMatches(rsa.privateKey(), KEY.certificate())).isFalse();
  }

  @Test
  void requireKeyMatches_mismatch_namesSourceSubjectAndPin() {
    CertifiedKey other = CertificateBuilder.create().keyType(KeyType.RSA_2048).build();

    assertThatThrownBy(() -> Certificates.requireKeyMatches(other.privateKey(), KEY.certificate(), "server.pem"))
        .isInstanceOf(PkiException.class)
        .hasMessage("server.pem: the private key (RSA) does not match the certificate 'CN=pin' (public key EC, "
            + Certificates.spkiPin(KEY.certificate()) + "); expected the key the certificate was issued for");
  }

  @Test
  void isSelfSigned_distinguishesRootFromIssued() {
    CertifiedKey leaf = CertificateBuilder.create().issuedBy(KEY).build();

    assertThat(Certificates.isSelfSigned(KEY.certificate())).isTrue();
    assertThat(Certificates.isSelfSigned(leaf.certificate())).isFalse();
  }
}
