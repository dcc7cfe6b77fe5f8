package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateBuilderTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private static final CertifiedKey ROOT =
      CertificateBuilder.create().commonName("Test Root").role(CertificateRole.CA).build();

  @Test
  void build_defaults_makeConformingLeaf() throws Exception {
    CertifiedKey leaf = CertificateBuilder.create()
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .commonName("leaf")
        .issuedBy(ROOT)
        .build();
    X509Certificate cert = leaf.certificate();

    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(KeyType.of(cert.getPublicKey())).isEqualTo(KeyType.EC_P256);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    assertThat(cert.getSerialNumber().signum()).isEqualTo(1);
    assertThat(cert.getSerialNumber().toByteArray().length).isLessThanOrEqualTo(20);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(cert.getExtendedKeyUsage())
        .containsExactly(ExtendedKeyUsage.SERVER_AUTH.oid(), ExtendedKeyUsage.CLIENT_AUTH.oid());
    assertThat(cert.getKeyUsage()[KeyUsage.DIGITAL_SIGNATURE.bit()]).isTrue();
    assertThat(cert.getKeyUsage()[KeyUsage.KEY_ENCIPHERMENT.bit()]).isFalse();
    assertThat(cert.getExtensionValue("2.5.29.14")).isNotNull();
    assertThat(cert.getExtensionValue("2.5.29.35")).isNotNull();
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ROOT.certificate().getSubjectX500Principal());
    cert.verify(ROOT.publicKey());
    assertThat(Certificates.keyMatches(leaf.privateKey(), cert)).isTrue();
  }

  @Test
  void build_ca_isCriticalCaWithCertSignUsageAndNoEku() {
    X509Certificate root = ROOT.certificate();

    assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(root.getKeyUsage()[KeyUsage.KEY_CERT_SIGN.bit()]).isTrue();
    assertThat(root.getKeyUsage()[KeyUsage.CRL_SIGN.bit()]).isTrue();
    assertThat(root.getKeyUsage()[KeyUsage.DIGITAL_SIGNATURE.bit()]).isFalse();
    assertThat(root.getExtensionValue("2.5.29.37")).isNull();
    assertThat(Certificates.isSelfSigned(root)).isTrue();
    assertThat(ROOT.chain()).containsExactly(root);
  }

  @Test
  void build_intermediateWithPathLength_chainsToRootAndValidates() throws Exception {
    CertifiedKey intermediate = CertificateBuilder.create()
        .commonName("Intermediate")
        .maxPathLength(0)
        .issuedBy(ROOT)
        .build();
    CertifiedKey leaf = CertificateBuilder.create()
        .commonName("client")
        .role(CertificateRole.CLIENT)
        .issuedBy(intermediate)
        .build();

    assertThat(intermediate.certificate().getBasicConstraints()).isEqualTo(0);
    assertThat(intermediate.chain()).containsExactly(intermediate.certificate());
    assertThat(leaf.chain()).containsExactly(leaf.certificate(), intermediate.certificate());
    assertThat(leaf.certificate().getExtendedKeyUsage())
        .containsExactly(ExtendedKeyUsage.CLIENT_AUTH.oid());
    assertPkixValid(leaf.chain(), ROOT.certificate());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void build_everyKeyType_signatureFollowsIssuerKey(KeyType type) throws Exception {
    CertifiedKey ca = CertificateBuilder.create().keyType(type).role(CertificateRole.CA).build();
    CertifiedKey leaf = CertificateBuilder.create().issuedBy(ca).build();

    String expected = switch (type) {
      case EC_P256 -> "SHA256withECDSA";
      case EC_P384 -> "SHA384withECDSA";
      case RSA_2048, RSA_3072, RSA_4096 -> "SHA256withRSA";
      case ED25519 -> "Ed25519";
    };
    assertThat(leaf.certificate().getSigAlgName()).isEqualToIgnoringCase(expected);
    assertThat(KeyType.of(ca.publicKey())).isEqualTo(type);
    leaf.certificate().verify(ca.publicKey());
  }

  @Test
  void build_rsaLeaf_addsKeyEncipherment() {
    CertifiedKey leaf = CertificateBuilder.create().keyType(KeyType.RSA_2048).issuedBy(ROOT).build();

    assertThat(leaf.certificate().getKeyUsage()[KeyUsage.KEY_ENCIPHERMENT.bit()]).isTrue();
  }

  @Test
  void build_ocspResponderRole_ocspSigningWithNoCheck() throws Exception {
    CertifiedKey responder = CertificateBuilder.create().keyType(KeyType.RSA_2048)
        .role(CertificateRole.OCSP_RESPONDER).issuedBy(ROOT).build();
    X509Certificate cert = responder.certificate();
    CertificateInfo info = CertificateInfo.of(cert);

    assertThat(info.extendedKeyUsage()).contains(List.of(ExtendedKeyUsage.OCSP_SIGNING.oid()));
    assertThat(info.keyUsage()).contains(Set.of(KeyUsage.DIGITAL_SIGNATURE));
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(info.extensions()).contains(
        new ExtensionInfo("1.3.6.1.5.5.7.48.1.5", "ocspNoCheck", false));
    // extnID id-pkix-ocsp-nocheck, extnValue OCTET STRING { NULL }. (The JDK's getExtensionValue
    // re-encodes this extension with an empty value, so the DER is checked instead.)
    assertThat(HexFormat.of().formatHex(cert.getEncoded()))
        .contains("300f06092b060105050730010504020500");
    assertThat(info.unknownCriticalExtensions()).isEmpty();
  }

  @Test
  void build_subjectAlternativeNames_allKindsRoundTripThroughJdk() throws Exception {
    CertifiedKey leaf = CertificateBuilder.create()
        .commonName("svc")
        .subjectAlternativeNames(
            GeneralName.dns("API.Example.com"),
            GeneralName.ip("10.1.2.3"),
            GeneralName.ip("2001:db8::1"),
            GeneralName.uri("spiffe://example.org/ns/default/sa/api"),
            GeneralName.email("ops@example.com"),
            GeneralName.upn("alice@corp.example.com"))
        .issuedBy(ROOT)
        .build();

    Collection<List<?>> sans = leaf.certificate().getSubjectAlternativeNames();
    assertThat(sans).contains(
        List.of(2, "api.example.com"),
        List.of(7, "10.1.2.3"),
        List.of(7, "2001:db8:0:0:0:0:0:1"),
        List.of(6, "spiffe://example.org/ns/default/sa/api"),
        List.of(1, "ops@example.com"));
    assertThat(sans).anySatisfy(san -> assertThat(san.get(0)).isEqualTo(0));
    assertThat(leaf.certificate().getNonCriticalExtensionOIDs()).contains("2.5.29.17");
  }

  @Test
  void build_emptySubjectWithSans_marksSanCritical() {
    CertifiedKey leaf = CertificateBuilder.create()
        .subject("")
        .subjectAlternativeNames(GeneralName.dns("a.example"))
        .issuedBy(ROOT)
        .build();

    assertThat(leaf.certificate().getCriticalExtensionOIDs()).contains("2.5.29.17");
  }

  @Test
  void build_nameConstraintsCrlDpAndAia_areWritten() {
    CertifiedKey ca = CertificateBuilder.create()
        .role(CertificateRole.CA)
        .nameConstraints(new NameConstraints(
            List.of(GeneralName.dns("example.org"), GeneralName.ipRange("10.0.0.0/8")),
            List.of(GeneralName.dns("bad.example.org"))))
        .crlDistributionPoint(URI.create("http://127.0.0.1:8080/root.crl"))
        .ocspResponder(URI.create("http://127.0.0.1:8081/ocsp"))
        .caIssuers(URI.create("http://127.0.0.1:8080/root.crt"))
        .issuedBy(ROOT)
        .build();

    X509Certificate cert = ca.certificate();
    assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.30");
    assertThat(cert.getNonCriticalExtensionOIDs()).contains("2.5.29.31", "1.3.6.1.5.5.7.1.1");
  }

  @Test
  void crlDistributionPoint_withCrlIssuerAndReasons_roundTrips() {
    DistributionPoint indirect = new DistributionPoint(
        List.of(GeneralName.uri("http://crl.example.org/indirect.crl")), Optional.empty(),
        Set.of(RevocationReason.KEY_COMPROMISE, RevocationReason.AA_COMPROMISE),
        List.of(GeneralName.directoryName("CN=CRL Issuer,O=Example")));
    DistributionPoint issuerOnly = new DistributionPoint(List.of(), Optional.empty(), Set.of(),
        List.of(GeneralName.directoryName("CN=Other CRL Issuer")));
    DistributionPoint relative = new DistributionPoint(List.of(), Optional.of("CN=Partition 7"),
        Set.of(RevocationReason.PRIVILEGE_WITHDRAWN), List.of());

    CertifiedKey leaf = CertificateBuilder.create()
        .crlDistributionPoint(URI.create("http://crl.example.org/root.crl"))
        .crlDistributionPoint(indirect)
        .crlDistributionPoint(issuerOnly)
        .crlDistributionPoint(relative)
        .issuedBy(ROOT)
        .build();

    assertThat(CertificateInfo.of(leaf.certificate()).crlDistributionPoints()).containsExactly(
        new DistributionPoint(List.of(GeneralName.uri("http://crl.example.org/root.crl")),
            Optional.empty(), Set.of(), List.of()),
        indirect, issuerOnly, relative);
  }

  @Test
  void crlDistributionPoint_refusesAPointWithoutNameOrCrlIssuer() {
    DistributionPoint empty = new DistributionPoint(List.of(), Optional.empty(), Set.of(), List.of());

    assertThatThrownBy(() -> CertificateBuilder.create().crlDistributionPoint(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A CRL distribution point needs a name or a CRL issuer (RFC 5280 4.2.1.13), was "
            + empty);
  }

  @Test
  void crlDistributionPoint_refusesBothAFullAndARelativeName() {
    DistributionPoint both = new DistributionPoint(List.of(GeneralName.uri("http://crl.example.org/a")),
        Optional.of("CN=Partition 1"), Set.of(), List.of());

    assertThatThrownBy(() -> CertificateBuilder.create().crlDistributionPoint(both))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A CRL distribution point is named by full names or by a name relative to the"
            + " CRL issuer, not both; was " + both);
  }

  @Test
  void crlDistributionPoint_refusesARelativeNameOfTwoRdns() {
    DistributionPoint point = new DistributionPoint(List.of(), Optional.of("CN=Partition 1,O=Example"),
        Set.of(), List.of());

    assertThatThrownBy(() -> CertificateBuilder.create().crlDistributionPoint(point))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A name relative to the CRL issuer is one RDN, such as 'CN=Partition 1'; was"
            + " 'CN=Partition 1,O=Example' (2 RDNs)");
  }

  @Test
  void crlDistributionPoint_refusesReasonsThatReasonFlagsCannotExpress() {
    DistributionPoint point = new DistributionPoint(List.of(GeneralName.uri("http://crl.example.org/a")),
        Optional.empty(), Set.of(RevocationReason.REMOVE_FROM_CRL), List.of());

    assertThatThrownBy(() -> CertificateBuilder.create().crlDistributionPoint(point))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A CRL distribution point's reasons cannot include UNSPECIFIED or REMOVE_FROM_CRL"
            + " (ReasonFlags has no bit for them), was [REMOVE_FROM_CRL]");
  }

  @Test
  void build_explicitUsages_overrideRoleDefaults() throws Exception {
    CertifiedKey leaf = CertificateBuilder.create()
        .role(CertificateRole.SERVER)
        .keyUsage(KeyUsage.KEY_AGREEMENT)
        .extendedKeyUsageOids("1.2.3.4")
        .issuedBy(ROOT)
        .build();

    assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly("1.2.3.4");
    assertThat(leaf.certificate().getKeyUsage()[KeyUsage.KEY_AGREEMENT.bit()]).isTrue();
    assertThat(leaf.certificate().getKeyUsage()[KeyUsage.DIGITAL_SIGNATURE.bit()]).isFalse();
  }

  @Test
  void build_noUsagesRequested_omitsExtensions() {
    CertifiedKey leaf = CertificateBuilder.create()
        .keyUsage()
        .extendedKeyUsage()
        .issuedBy(ROOT)
        .build();

    assertThat(leaf.certificate().getKeyUsage()).isNull();
    assertThat(leaf.certificate().getExtensionValue("2.5.29.37")).isNull();
  }

  @Test
  void build_nonConformingOptions_areApplied() throws Exception {
    CertifiedKey leaf = CertificateBuilder.create()
        .serialNumber(BigInteger.valueOf(-5))
        .omitAuthorityKeyIdentifier()
        .extensionCritical("2.5.29.19", false)
        .addExtension("1.2.3.4.5", true, new byte[] {0x05, 0x00})
        .keyType(KeyType.RSA_2048)
        .issuedBy(CertificateBuilder.create().keyType(KeyType.RSA_2048).role(CertificateRole.CA).build())
        .signatureAlgorithm("SHA1withRSA")
        .build();
    X509Certificate cert = leaf.certificate();

    assertThat(cert.getSerialNumber()).isEqualTo(BigInteger.valueOf(-5));
    assertThat(cert.getExtensionValue("2.5.29.35")).isNull();
    assertThat(cert.getNonCriticalExtensionOIDs()).contains("2.5.29.19");
    assertThat(cert.getCriticalExtensionOIDs()).contains("1.2.3.4.5");
    assertThat(cert.getSigAlgName()).isEqualTo("SHA1withRSA");
  }

  @Test
  void build_version1_hasNoExtensions() {
    X509Certificate cert = CertificateBuilder.create().version1().issuedBy(ROOT).build().certificate();

    assertThat(cert.getVersion()).isEqualTo(1);
    assertThat(cert.getCriticalExtensionOIDs()).isNull();
    assertThat(cert.getNonCriticalExtensionOIDs()).isNull();
  }

  @Test
  void build_existingKeyPair_isCertified() {
    KeyPair pair = KeyType.EC_P384.generate();

    CertifiedKey key = CertificateBuilder.create().keyPair(pair).build();

    assertThat(key.publicKey()).isEqualTo(pair.getPublic());
    assertThat(key.privateKey()).isEqualTo(pair.getPrivate());
  }

  @Test
  void buildCertificate_fromRequest_takesSubjectAndKeyButCaDecidesExtensions() throws Exception {
    KeyPair pair = KeyType.EC_P256.generate();
    CertificationRequest csr = CertificationRequest.create(
        "CN=worker,O=Example", pair, GeneralName.dns("worker.example.org"));

    X509Certificate cert = CertificateBuilder.create()
        .request(csr)
        .role(CertificateRole.CLIENT)
        .subjectAlternativeNames(GeneralName.uri("spiffe://example.org/worker"))
        .issuedBy(ROOT)
        .buildCertificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=worker,O=Example");
    assertThat(cert.getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://example.org/worker"));
    cert.verify(ROOT.publicKey());
  }

  @Test
  void setter_calledTwice_namesOldValue() {
    CertificateBuilder builder = CertificateBuilder.create().role(CertificateRole.SERVER);

    assertThatThrownBy(() -> builder.role(CertificateRole.CLIENT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("role was already set to SERVER");
  }

  @Test
  void keyType_afterKeyPair_isRefused() {
    CertificateBuilder builder = CertificateBuilder.create().keyPair(KeyType.EC_P256.generate());

    assertThatThrownBy(() -> builder.keyType(KeyType.RSA_2048))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("keyType conflicts with the key already set: keyPair EC");
  }

  @Test
  void maxPathLength_onLeafRole_isRefused() {
    CertificateBuilder builder = CertificateBuilder.create().role(CertificateRole.SERVER);

    assertThatThrownBy(() -> builder.maxPathLength(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxPathLength 1 conflicts with role SERVER (CAs only)");
  }

  @Test
  void validity_reversed_isRefused() {
    Instant later = NOW.plusSeconds(1);

    assertThatThrownBy(() -> CertificateBuilder.create().validity(later, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("notAfter 2026-06-01T12:00:00Z is before notBefore 2026-06-01T12:00:01Z");
  }

  @Test
  void build_withPublicKeyOnly_pointsToBuildCertificate() {
    CertificateBuilder builder = CertificateBuilder.create()
        .publicKey(KeyType.EC_P256.generate().getPublic())
        .issuedBy(ROOT);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Only a public key was given, so there is no private key to return: use"
            + " buildCertificate()");
  }

  @Test
  void commonName_withSpecialCharacters_isEscaped() {
    X509Certificate cert = CertificateBuilder.create().commonName("a,b+c=d").build().certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=a\\,b\\+c\\=d");
  }

  @Test
  void build_explicitValidity_isUsed() {
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    Instant to = Instant.parse("2021-01-01T00:00:00Z");

    X509Certificate cert = CertificateBuilder.create().validity(from, to).build().certificate();

    assertThat(cert.getNotBefore().toInstant()).isEqualTo(from);
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(to);
  }

  @Test
  void build_randomSerials_differ() {
    Set<BigInteger> serials = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      serials.add(CertificateBuilder.create().issuedBy(ROOT).build().certificate().getSerialNumber());
    }

    assertThat(serials).hasSize(20);
  }

  static void assertPkixValid(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
  }

  @Test
  void build_criticalityForAbsentExtension_isRefused() {
    CertificateBuilder builder = CertificateBuilder.create().extensionCritical("2.5.29.30", true);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("extensionCritical(2.5.29.30, ..) names an extension this certificate does not have");
  }
}
