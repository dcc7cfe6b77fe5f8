package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.ExtendedKeyUsage;
import dev.mtls.pki.KeyUsage;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class BrokenCertificatesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final TestCa CA = TestCa.builder().intermediates(1).build();
  private static final BrokenCertificates CLIENT = CA.broken(CertificateRole.CLIENT);
  private static final BrokenCertificates SERVER = CA.broken(CertificateRole.SERVER);

  @Test
  void expired_endedADayAgoOnTheCaClock() {
    TestCa ca = TestCa.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    X509Certificate cert = ca.broken(CertificateRole.CLIENT).expired().certificate();

    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=expired");
  }

  @Test
  void notYetValid_startsADayAhead() {
    X509Certificate cert = CLIENT.notYetValid().certificate();

    assertThat(cert.getNotBefore().toInstant()).isAfter(Instant.now().plus(Duration.ofHours(23)));
  }

  @Test
  void wrongExtendedKeyUsage_isTheOtherRole() throws Exception {
    assertThat(CLIENT.wrongExtendedKeyUsage().certificate().getExtendedKeyUsage())
        .containsExactly(ExtendedKeyUsage.SERVER_AUTH.oid());
    assertThat(SERVER.wrongExtendedKeyUsage().certificate().getExtendedKeyUsage())
        .containsExactly(ExtendedKeyUsage.CLIENT_AUTH.oid());
  }

  @Test
  void noExtendedKeyUsage_hasNoEkuExtension() {
    assertThat(CLIENT.noExtendedKeyUsage().certificate().getExtensionValue("2.5.29.37")).isNull();
  }

  @Test
  void caAsLeaf_isACaCertificate() {
    X509Certificate cert = SERVER.caAsLeaf().certificate();

    assertThat(cert.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(cert.getKeyUsage()[KeyUsage.KEY_CERT_SIGN.bit()]).isTrue();
  }

  @Test
  void unknownIssuer_sameIssuerNameButOtherKey() {
    CertifiedKey leaf = CLIENT.unknownIssuer();

    assertThat(leaf.certificate().getIssuerX500Principal())
        .isEqualTo(CA.issuer().certificate().getSubjectX500Principal());
    assertThatThrownBy(() -> leaf.certificate().verify(CA.issuer().publicKey()))
        .isInstanceOf(java.security.SignatureException.class);
  }

  @Test
  void selfSigned_isItsOwnIssuer() {
    CertifiedKey leaf = SERVER.selfSigned();

    assertThat(leaf.chain()).hasSize(1);
    assertThat(dev.mtls.pki.Certificates.isSelfSigned(leaf.certificate())).isTrue();
    assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void nameConstraintViolation_isRejectedByJdkPkix() {
    CertifiedKey leaf = CLIENT.nameConstraintViolation();

    assertThat(leaf.chain()).hasSize(3);
    assertThat(leaf.chain().get(1).getExtensionValue("2.5.29.30")).isNotNull();
    assertThat(TestCaTest.pkixValidates(leaf, CA)).isFalse();
  }

  @Test
  void pathLengthViolation_isRejectedByJdkPkix() {
    CertifiedKey leaf = CLIENT.pathLengthViolation();

    assertThat(leaf.chain()).hasSize(4);
    assertThat(leaf.chain().get(2).getBasicConstraints()).isZero();
    assertThat(TestCaTest.pkixValidates(leaf, CA)).isFalse();
  }

  @Test
  void rsa1024_hasA1024BitKey() {
    RSAPublicKey key = (RSAPublicKey) CLIENT.rsa1024().publicKey();

    assertThat(key.getModulus().bitLength()).isEqualTo(1024);
  }

  @Test
  void sha1Signature_isSignedWithSha1() {
    assertThat(CLIENT.sha1Signature().certificate().getSigAlgName()).isEqualTo("SHA1withECDSA");
  }

  @Test
  void missingAuthorityKeyIdentifier_hasNoAki() {
    assertThat(CLIENT.missingAuthorityKeyIdentifier().certificate().getExtensionValue("2.5.29.35")).isNull();
  }

  @Test
  void controlCases_soundMaterialValidates() {
    assertThat(TestCaTest.pkixValidates(CA.client("sound"), CA)).isTrue();
    assertThat(TestCaTest.pkixValidates(CLIENT.missingAuthorityKeyIdentifier(), CA)).isTrue();
  }

  @Test
  void expiredClient_isRefusedInARealHandshake() throws Exception {
    CertifiedKey expired = CLIENT.expired();

    try (TestTlsServer server = TestTlsServer.start(CA.sslContext(CA.server("localhost")))) {
      assertThatThrownBy(() -> Handshakes.connect(CA.sslContext(expired), server, "TLSv1.3"))
          .isInstanceOf(java.io.IOException.class);

      TestTlsServer.Connection seen = server.awaitConnection(Duration.ofSeconds(10));
      assertThat(seen.handshakeSucceeded()).isFalse();
      assertThat(seen.failure()).isNotBlank();
    }
  }

  @Test
  void wrongEkuServer_isRefusedByClientInARealHandshake() throws Exception {
    CertifiedKey server = SERVER.wrongExtendedKeyUsage();

    try (TestTlsServer tls = TestTlsServer.start(CA.sslContext(server))) {
      assertThatThrownBy(() -> Handshakes.connect(CA.sslContext(CA.client("c")), tls, "TLSv1.3"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void broken_forCaRole_isRefused() {
    assertThatThrownBy(() -> CA.broken(CertificateRole.CA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Broken certificates are leaves: use SERVER, CLIENT or SERVER_AND_CLIENT, not CA");
  }
}
