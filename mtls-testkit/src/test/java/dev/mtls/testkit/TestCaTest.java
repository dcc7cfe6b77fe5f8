package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.ExtendedKeyUsage;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyType;
import dev.mtls.pki.RevocationReason;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestCaTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void create_defaults_ecP256RootWithoutIntermediates() {
    TestCa ca = TestCa.create();

    assertThat(ca.keyType()).isEqualTo(KeyType.EC_P256);
    assertThat(ca.intermediates()).isEmpty();
    assertThat(ca.issuer()).isSameAs(ca.root());
    assertThat(ca.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void leaf_defaults_validFromOneHourAgoToOneDayAheadOnTheCaClock() {
    TestCa ca = TestCa.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    X509Certificate leaf = ca.client("alice").certificate();

    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    assertThat(ca.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
  }

  @Test
  void server_namesBecomeDnsAndIpSans() throws Exception {
    CertifiedKey server = TestCa.create().server("api.test", "10.1.1.1", "::1");

    assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=api.test");
    assertThat(server.certificate().getSubjectAlternativeNames()).containsExactly(
        List.of(2, "api.test"), List.of(7, "10.1.1.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(server.certificate().getExtendedKeyUsage())
        .containsExactly(ExtendedKeyUsage.SERVER_AUTH.oid());
  }

  @Test
  void leaf_withIntermediates_chainsLeafThenIntermediatesAndValidates() throws Exception {
    TestCa ca = TestCa.builder().intermediates(2).build();

    CertifiedKey client = ca.leaf(CertificateRole.CLIENT)
        .commonName("worker")
        .spiffeId("spiffe://example.org/worker")
        .issue();

    assertThat(client.chain()).hasSize(3);
    assertThat(client.chain().get(1)).isEqualTo(ca.intermediates().get(1).certificate());
    assertThat(client.chain().get(2)).isEqualTo(ca.intermediates().get(0).certificate());
    assertThat(pkixValidates(client, ca)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void sslContext_mutualHandshake_worksForEveryKeyType(KeyType keyType) throws Exception {
    TestCa ca = TestCa.builder().keyType(keyType).build();
    CertifiedKey client = ca.client("alice");

    try (TestTlsServer server = TestTlsServer.start(ca.sslContext(ca.server("localhost")))) {
      String answer = Handshakes.connect(ca.sslContext(client), server, "TLSv1.3");

      TestTlsServer.Connection seen = server.awaitConnection(Duration.ofSeconds(10));
      assertThat(answer).isEqualTo("ping");
      assertThat(seen.handshakeSucceeded()).isTrue();
      assertThat(seen.protocol()).isEqualTo("TLSv1.3");
      assertThat(seen.clientChain()).containsExactly(client.certificate());
      assertThat(seen.serverName()).isEqualTo("localhost");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void sslContext_mutualHandshakeWithIntermediates_worksOnBothProtocols(String protocol) throws Exception {
    TestCa ca = TestCa.builder().intermediates(1).keyType(KeyType.RSA_2048).build();
    CertifiedKey client = ca.client("bob");

    try (TestTlsServer server = TestTlsServer.start(ca.sslContext(ca.server("localhost")))) {
      Handshakes.connect(ca.sslContext(client), server, protocol);

      TestTlsServer.Connection seen = server.awaitConnection(Duration.ofSeconds(10));
      assertThat(seen.protocol()).isEqualTo(protocol);
      assertThat(seen.clientChain()).containsExactlyElementsOf(client.chain());
    }
  }

  @Test
  void sslContext_clientOfAnotherCa_isRefusedByServer() throws Exception {
    TestCa ca = TestCa.create();
    TestCa other = TestCa.create();
    CertifiedKey stranger = other.client("mallory");

    try (TestTlsServer server = TestTlsServer.start(ca.sslContext(ca.server("localhost")))) {
      assertThatThrownBy(() -> Handshakes.connect(
              TestKeyStores.sslContext(stranger, ca.certificate()), server, "TLSv1.3"))
          .isInstanceOf(java.io.IOException.class);

      TestTlsServer.Connection seen = server.awaitConnection(Duration.ofSeconds(10));
      assertThat(seen.handshakeSucceeded()).isFalse();
      assertThat(seen.failure()).isNotBlank();
    }
  }

  @Test
  void testServer_withoutClientCertificate_recordsTheFailure() throws Exception {
    TestCa ca = TestCa.create();

    try (TestTlsServer server = TestTlsServer.start(ca.sslContext(ca.server("localhost")))) {
      assertThatThrownBy(() -> Handshakes.connect(
              TestKeyStores.sslContext(null, ca.certificate()), server, "TLSv1.3"))
          .isInstanceOf(java.io.IOException.class);

      TestTlsServer.Connection seen = server.awaitConnection(Duration.ofSeconds(10));
      assertThat(seen.handshakeSucceeded()).isFalse();
      assertThat(seen.clientChain()).isEmpty();
    }
  }

  @Test
  void insecureTrust_acceptsAnyServerAndClient() throws Exception {
    TestCa ca = TestCa.create();
    CertifiedKey selfSigned = ca.broken(CertificateRole.SERVER).selfSigned();
    CertifiedKey stranger = TestCa.create().client("stranger");

    try (TestTlsServer server = TestTlsServer.start(InsecureTrust.trustEverythingContext(selfSigned))) {
      String answer = Handshakes.connect(InsecureTrust.trustEverythingContext(stranger), server, "TLSv1.2");

      assertThat(answer).isEqualTo("ping");
      assertThat(server.awaitConnection(Duration.ofSeconds(10)).clientChain())
          .containsExactly(stranger.certificate());
    }
  }

  @Test
  void builder_settingTwice_isRefused() {
    TestCa.Builder builder = TestCa.builder().intermediates(1);

    assertThatThrownBy(() -> builder.intermediates(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("intermediates was already set to 1");
  }

  @Test
  void leafSpiffeId_withoutScheme_isRefused() {
    LeafBuilder leaf = TestCa.create().leaf(CertificateRole.CLIENT);

    assertThatThrownBy(() -> leaf.spiffeId("https://example.org/a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a SPIFFE ID (must start with spiffe://): https://example.org/a");
  }

  @Test
  void leaf_explicitSansAndKeyType_areUsed() throws Exception {
    CertifiedKey leaf = TestCa.create().leaf(CertificateRole.SERVER_AND_CLIENT)
        .subjectAlternativeNames(GeneralName.email("ops@example.org"))
        .keyType(KeyType.ED25519)
        .issue();

    assertThat(leaf.publicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(leaf.certificate().getSubjectAlternativeNames()).containsExactly(List.of(1, "ops@example.org"));
    assertThat(leaf.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=ops@example.org");
  }

  @Test
  void revoke_certificateOfAnotherCa_isRefused() {
    TestCa ca = TestCa.builder().name("Ours").build();
    X509Certificate stranger = TestCa.builder().name("Theirs").build().client("stranger").certificate();

    assertThatThrownBy(() -> ca.revoke(stranger, RevocationReason.KEY_COMPROMISE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'CN=stranger' was issued by 'CN=Theirs Root,O=mtls testkit', which is not a"
            + " certificate of TestCa[Ours, EC_P256, 0 intermediates]; revoke it with the TestCa that"
            + " issued it");
  }

  @Test
  void revoke_certificateOfAnotherCaWithTheSameName_isRefused() {
    TestCa ca = TestCa.builder().name("Twin").build();
    X509Certificate twins = TestCa.builder().name("Twin").build().client("stranger").certificate();

    assertThatThrownBy(() -> ca.revoke(twins, RevocationReason.KEY_COMPROMISE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'CN=stranger' was issued by 'CN=Twin Root,O=mtls testkit', which is"
            + " not a certificate of TestCa[Twin");
    assertThat(ca.crl().getRevokedCertificates()).isNull();
  }

  @Test
  void revoke_intermediate_isListedByTheRoot() {
    TestCa ca = TestCa.builder().intermediates(1).build();
    X509Certificate intermediate = ca.intermediates().get(0).certificate();

    ca.revoke(intermediate, RevocationReason.CA_COMPROMISE);

    assertThat(ca.crl(ca.root()).getRevokedCertificate(intermediate.getSerialNumber())).isNotNull();
    assertThat(ca.crl().getRevokedCertificates()).as("the intermediate's own CRL").isNull();
  }

  static boolean pkixValidates(CertifiedKey leaf, TestCa ca) {
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain()), params);
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

}
