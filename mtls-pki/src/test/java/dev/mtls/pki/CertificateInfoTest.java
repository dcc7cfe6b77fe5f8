package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.junit.jupiter.api.Test;

class CertificateInfoTest {
  private static final BigInteger SERIAL = BigInteger.valueOf(0x1f);
  private static final String LEAF = "Certificate 'CN=leaf' serial 1f";

  private static final CertifiedKey ROOT = CertificateBuilder.create()
      .commonName("Root")
      .maxPathLength(1)
      .nameConstraints(new NameConstraints(
          List.of(
              GeneralName.dns("example.org"),
              GeneralName.ipRange("10.0.0.0/8"),
              GeneralName.ipRange("fd00::/8"),
              GeneralName.email("example.org"),
              new GeneralName(GeneralName.Kind.URI, ".example.org"),
              GeneralName.directoryName("O=Example")),
          List.of(GeneralName.dns("bad.example.org"), GeneralName.ipRange("10.9.0.0/16"))))
      .build();

  @Test
  void ofReadsEveryExtensionOfALeaf() {
    CertifiedKey leaf = CertificateBuilder.create()
        .commonName("leaf")
        .serialNumber(SERIAL)
        .role(CertificateRole.CLIENT)
        .subjectAlternativeNames(
            GeneralName.dns("a.example.org"),
            GeneralName.ip("10.0.0.1"),
            GeneralName.ip("2001:db8::1"),
            GeneralName.uri("spiffe://example.org/a"),
            GeneralName.email("a@example.org"),
            GeneralName.upn("alice@corp.example.org"),
            GeneralName.directoryName("CN=Alice,O=Example"),
            GeneralName.registeredId("1.2.3.4"))
        .crlDistributionPoint(URI.create("http://crl.example.org/root.crl"))
        .ocspResponder(URI.create("http://ocsp.example.org"))
        .caIssuers(URI.create("http://ca.example.org/root.cer"))
        .keyUsage(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT)
        .issuedBy(ROOT)
        .build();

    CertificateInfo info = CertificateInfo.of(leaf.certificate());

    assertThat(info.version()).isEqualTo(3);
    assertThat(info.serialNumber()).isEqualTo(SERIAL);
    assertThat(info.serialNumberLength()).isEqualTo(1);
    assertThat(info.subject().getName()).isEqualTo("CN=leaf");
    assertThat(info.issuer().getName()).isEqualTo("CN=Root");
    assertThat(info.notBefore()).isEqualTo(leaf.certificate().getNotBefore().toInstant());
    assertThat(info.notAfter()).isEqualTo(leaf.certificate().getNotAfter().toInstant());
    assertThat(info.signatureAlgorithmOid()).isEqualTo("1.2.840.10045.4.3.2");
    assertThat(info.signatureAlgorithmName()).isEqualTo("SHA256withECDSA");
    assertThat(info.publicKeyAlgorithm()).isEqualTo("EC");
    assertThat(info.publicKeyBits()).isEqualTo(256);
    assertThat(info.ecCurveOid()).contains("1.2.840.10045.3.1.7");
    assertThat(info.ecCurveName()).contains("prime256v1");
    assertThat(info.subjectAlternativeNames()).containsExactly(
        GeneralName.dns("a.example.org"),
        GeneralName.ip("10.0.0.1"),
        GeneralName.ip("2001:db8::1"),
        GeneralName.uri("spiffe://example.org/a"),
        GeneralName.email("a@example.org"),
        GeneralName.upn("alice@corp.example.org"),
        GeneralName.directoryName("CN=Alice,O=Example"),
        GeneralName.registeredId("1.2.3.4"));
    assertThat(info.issuerAlternativeNames()).isEmpty();
    assertThat(info.basicConstraints()).contains(new BasicConstraints(false, OptionalInt.empty()));
    assertThat(info.keyUsage()).contains(Set.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_AGREEMENT));
    assertThat(info.extendedKeyUsage()).contains(List.of(ExtendedKeyUsage.CLIENT_AUTH.oid()));
    assertThat(info.subjectKeyIdentifier()).isPresent();
    assertThat(info.authorityKeyIdentifier().orElseThrow().keyIdentifier())
        .isEqualTo(CertificateInfo.of(ROOT.certificate()).subjectKeyIdentifier().orElseThrow());
    assertThat(info.authorityKeyIdentifier().orElseThrow().issuer()).isEmpty();
    assertThat(info.authorityKeyIdentifier().orElseThrow().serialNumber()).isEmpty();
    assertThat(info.nameConstraints()).isEmpty();
    assertThat(info.ocspUris()).containsExactly("http://ocsp.example.org");
    assertThat(info.caIssuersUris()).containsExactly("http://ca.example.org/root.cer");
    assertThat(info.crlDistributionPoints()).containsExactly(new DistributionPoint(
        List.of(GeneralName.uri("http://crl.example.org/root.crl")), Optional.empty(), Set.of(),
        List.of()));
    assertThat(info.policyConstraints()).isEmpty();
    assertThat(info.certificatePolicies()).isEmpty();
    assertThat(info.inhibitAnyPolicy()).isEmpty();
    assertThat(info.extensions()).extracting(ExtensionInfo::name).containsExactly(
        "basicConstraints", "keyUsage", "extKeyUsage", "subjectKeyIdentifier",
        "authorityKeyIdentifier", "subjectAltName", "cRLDistributionPoints",
        "authorityInfoAccess");
    assertThat(info.isCritical("2.5.29.19")).isTrue();
    assertThat(info.isCritical("2.5.29.17")).isFalse();
    assertThat(info.unknownCriticalExtensions()).isEmpty();
    assertThat(info.certificate()).isSameAs(leaf.certificate());
  }

  @Test
  void ofReadsNameConstraintsAndPathLengthOfACa() {
    CertificateInfo info = CertificateInfo.of(ROOT.certificate());

    assertThat(info.basicConstraints()).contains(new BasicConstraints(true, OptionalInt.of(1)));
    assertThat(info.keyUsage()).contains(Set.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN));
    assertThat(info.extendedKeyUsage()).isEmpty();
    assertThat(info.isCritical("2.5.29.30")).isTrue();
    assertThat(info.nameConstraints()).contains(new NameConstraints(
        List.of(
            GeneralName.dns("example.org"),
            new GeneralName(GeneralName.Kind.IP, "10.0.0.0/8"),
            new GeneralName(GeneralName.Kind.IP, "fd00:0:0:0:0:0:0:0/8"),
            GeneralName.email("example.org"),
            new GeneralName(GeneralName.Kind.URI, ".example.org"),
            GeneralName.directoryName("O=Example")),
        List.of(GeneralName.dns("bad.example.org"), GeneralName.ipRange("10.9.0.0/16"))));
  }

  @Test
  void ofRsaKeySize() {
    CertificateInfo info = CertificateInfo.of(
        CertificateBuilder.create().keyType(KeyType.RSA_2048).build().certificate());

    assertThat(info.publicKeyAlgorithm()).isEqualTo("RSA");
    assertThat(info.publicKeyBits()).isEqualTo(2048);
    assertThat(info.ecCurveOid()).isEmpty();
    assertThat(info.signatureAlgorithmName()).isEqualTo("SHA256withRSA");
  }

  @Test
  void ofEd25519Key() {
    CertificateInfo info = CertificateInfo.of(
        CertificateBuilder.create().keyType(KeyType.ED25519).build().certificate());

    assertThat(info.publicKeyAlgorithm()).isEqualTo("Ed25519");
    assertThat(info.publicKeyBits()).isEqualTo(255);
    assertThat(info.signatureAlgorithmOid()).isEqualTo("1.3.101.112");
  }

  @Test
  void keyUsageAbsentIsEmptyButPresentWithoutBitsIsAnEmptySet() {
    CertificateInfo absent = CertificateInfo.of(
        CertificateBuilder.create().keyUsage().build().certificate());
    CertificateInfo noBits = CertificateInfo.of(CertificateBuilder.create()
        .addExtension("2.5.29.15", false, hex("030100")).build().certificate());

    assertThat(absent.keyUsage()).isEmpty();
    assertThat(noBits.keyUsage()).contains(Set.of());
  }

  @Test
  void isCriticalFollowsExtensionCritical() {
    CertificateInfo info = CertificateInfo.of(CertificateBuilder.create()
        .extensionCritical("2.5.29.19", false)
        .extensionCritical("2.5.29.37", true)
        .build().certificate());

    assertThat(info.isCritical("2.5.29.19")).isFalse();
    assertThat(info.isCritical("2.5.29.37")).isTrue();
    assertThat(info.extensions()).contains(new ExtensionInfo("2.5.29.37", "extKeyUsage", true));
  }

  @Test
  void authorityKeyIdentifierEmptyWhenOmitted() {
    CertificateInfo info = CertificateInfo.of(
        CertificateBuilder.create().omitAuthorityKeyIdentifier().build().certificate());

    assertThat(info.authorityKeyIdentifier()).isEmpty();
  }

  @Test
  void ofVersion1HasNoExtensions() {
    CertificateInfo info = CertificateInfo.of(CertificateBuilder.create().version1().build().certificate());

    assertThat(info.version()).isEqualTo(1);
    assertThat(info.extensions()).isEmpty();
    assertThat(info.basicConstraints()).isEmpty();
    assertThat(info.subjectAlternativeNames()).isEmpty();
  }

  @Test
  void unknownCriticalExtensionsListsWhatTheViewDoesNotParse() {
    CertificateInfo info = CertificateInfo.of(CertificateBuilder.create()
        .addExtension("1.2.3.4", true, hex("0500"))
        .addExtension("1.2.3.5", false, hex("0500"))
        .build().certificate());

    assertThat(info.unknownCriticalExtensions()).containsExactly("1.2.3.4");
    assertThat(info.extensions()).contains(new ExtensionInfo("1.2.3.5", "1.2.3.5", false));
  }

  @Test
  void ofZeroAndLongSerialNumbers() {
    CertificateInfo zero = CertificateInfo.of(
        CertificateBuilder.create().serialNumber(BigInteger.ZERO).build().certificate());
    CertificateInfo negative = CertificateInfo.of(
        CertificateBuilder.create().serialNumber(BigInteger.valueOf(-1)).build().certificate());
    CertificateInfo long21 = CertificateInfo.of(CertificateBuilder.create()
        .serialNumber(BigInteger.ONE.shiftLeft(160)).build().certificate());

    assertThat(zero.serialNumberLength()).isEqualTo(1);
    assertThat(negative.serialNumber()).isEqualTo(BigInteger.valueOf(-1));
    assertThat(long21.serialNumberLength()).isEqualTo(21);
  }

  @Test
  void ofPolicyExtensions() {
    CertificateInfo info = CertificateInfo.of(CertificateBuilder.create()
        .role(CertificateRole.CA)
        .addExtension("2.5.29.36", true, hex("3006800101810102"))
        .addExtension("2.5.29.32", false, hex("300c300406022a03300406022a04"))
        .addExtension("2.5.29.54", true, hex("020100"))
        .build().certificate());

    assertThat(info.policyConstraints())
        .contains(new PolicyConstraints(OptionalInt.of(1), OptionalInt.of(2)));
    assertThat(info.certificatePolicies()).contains(List.of("1.2.3", "1.2.4"));
    assertThat(info.inhibitAnyPolicy()).hasValue(0);
    assertThat(info.unknownCriticalExtensions()).isEmpty();
  }

  @Test
  void ofIpAddressOfFiveBytesInSan() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.17", "3007870501020304 05")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension subjectAltName (2.5.29.17): malformed iPAddress: 5 bytes"
            + " (expected 4 or 16, or 8 or 32 in a name constraint)");
  }

  @Test
  void ofIpAddressWithMaskInSan() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.17", "300a87080a000000ff000000")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension subjectAltName (2.5.29.17): malformed iPAddress 10.0.0.0/8:"
            + " an address with a mask (expected 4 or 16 bytes outside name constraints)");
  }

  @Test
  void ofNonAsciiDnsName() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.17", "3005820361c3a9")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension subjectAltName (2.5.29.17): malformed dNSName 'a\u00c3\u00a9':"
            + " IA5String holds a non-ASCII character at index 1");
  }

  @Test
  void ofEmptySubjectAlternativeNames() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.17", "3000")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension subjectAltName (2.5.29.17): empty GeneralNames (expected at"
            + " least one name)");
  }

  @Test
  void ofBasicConstraintsNotASequence() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.19", "0400")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension basicConstraints (2.5.29.19): expected BasicConstraints"
            + " (a SEQUENCE), found OctetString 0400");
  }

  @Test
  void ofBasicConstraintsPathLengthWithoutCa() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.19", "3003020105")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension basicConstraints (2.5.29.19): pathLenConstraint 5 without"
            + " cA TRUE (RFC 5280 allows a path length only on a CA)");
  }

  @Test
  void ofBasicConstraintsNegativePathLength() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.19", "30060101ff0201ff")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension basicConstraints (2.5.29.19): pathLenConstraint -1 is out"
            + " of range 0..2147483647");
  }

  @Test
  void ofGarbageInKeyUsage() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.15", "ffff")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension keyUsage (2.5.29.15): value is not valid DER (2 bytes: ffff)")
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void ofTrailingBytesInExtendedKeyUsage() {
    assertThatThrownBy(() -> CertificateInfo.of(
            leafWith("2.5.29.37", "300a06082b06010505070302 00")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension extKeyUsage (2.5.29.37): value is not valid DER (13 bytes:"
            + " 300a06082b0601050507030200)");
  }

  @Test
  void ofNameConstraintsWithoutSubtrees() {
    X509Certificate ca = CertificateBuilder.create()
        .commonName("leaf").serialNumber(SERIAL).role(CertificateRole.CA)
        .addExtension("2.5.29.30", false, hex("3000")).build().certificate();

    assertThatThrownBy(() -> CertificateInfo.of(ca))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension nameConstraints (2.5.29.30): neither permittedSubtrees nor"
            + " excludedSubtrees is present (RFC 5280 requires at least one)");
  }

  @Test
  void ofIpNameConstraintWithoutMask() {
    X509Certificate ca = CertificateBuilder.create()
        .commonName("leaf").serialNumber(SERIAL).role(CertificateRole.CA)
        .addExtension("2.5.29.30", false, hex("300aa0083006870401020304")).build().certificate();

    assertThatThrownBy(() -> CertificateInfo.of(ca))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension nameConstraints (2.5.29.30): malformed iPAddress constraint"
            + " 1.2.3.4: no mask (expected 8 or 32 bytes: address and mask)");
  }

  @Test
  void ofAuthorityKeyIdentifierWithSerialButNoIssuer() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.35", "300980020102820301 0203")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension authorityKeyIdentifier (2.5.29.35): malformed"
            + " AuthorityKeyIdentifier: AuthorityKeyIdentifier authorityCertIssuer and"
            + " authorityCertSerialNumber MUST both be present or both be absent");
  }

  @Test
  void ofEmptyPolicyConstraints() {
    assertThatThrownBy(() -> CertificateInfo.of(leafWith("2.5.29.36", "3000")))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension policyConstraints (2.5.29.36): empty (RFC 5280 requires"
            + " requireExplicitPolicy or inhibitPolicyMapping)");
  }

  @Test
  void parseDuplicateExtensionIsReportedAndTheJdkRefusesIt() throws Exception {
    CertifiedKey leaf = CertificateBuilder.create().commonName("leaf").serialNumber(SERIAL)
        .subjectAlternativeNames(GeneralName.dns("a.example.org")).build();
    byte[] der = withDuplicateLastExtension(leaf);

    assertThatThrownBy(() -> CertificateSigner.toJdk(der))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("Duplicate extensions not allowed");
    assertThatThrownBy(() -> CertificateInfo.parse(leaf.certificate(), der))
        .isInstanceOf(PkiException.class)
        .hasMessage(LEAF + ", extension subjectAltName (2.5.29.17): appears more than once (RFC 5280"
            + " allows each extension at most once)");
  }

  @Test
  void ofTheJdkIgnoresWhatTheViewReports() throws Exception {
    X509Certificate certificate = leafWith("2.5.29.17", "3007870501020304 05");

    // The JDK accepts the certificate; JDK 17 then reports no subject alternative names at all,
    // later JDKs throw when asked for them. Either way the view reports the malformed name.
    assertThat(jdkSubjectAlternativeNames(certificate)).isIn("null", "CertificateParsingException");
    assertThatThrownBy(() -> CertificateInfo.of(certificate)).isInstanceOf(PkiException.class);
  }

  private static String jdkSubjectAlternativeNames(X509Certificate certificate) {
    try {
      return String.valueOf(certificate.getSubjectAlternativeNames());
    } catch (java.security.cert.CertificateParsingException e) {
      return e.getClass().getSimpleName();
    }
  }

  /** A leaf 'CN=leaf' serial 1f with one extra non-critical extension (the JDK accepts it). */
  private static X509Certificate leafWith(String oid, String valueHex) {
    return CertificateBuilder.create().commonName("leaf").serialNumber(SERIAL)
        .addExtension(oid, false, hex(valueHex)).build().certificate();
  }

  private static byte[] withDuplicateLastExtension(CertifiedKey key) throws Exception {
    ASN1Sequence outer = ASN1Sequence.getInstance(key.certificate().getEncoded());
    ASN1Sequence tbs = ASN1Sequence.getInstance(outer.getObjectAt(0));
    ASN1EncodableVector fields = new ASN1EncodableVector();
    for (int i = 0; i < tbs.size() - 1; i++) {
      fields.add(tbs.getObjectAt(i));
    }
    ASN1Sequence extensions = ASN1Sequence.getInstance(
        ((ASN1TaggedObject) tbs.getObjectAt(tbs.size() - 1)).getExplicitBaseObject());
    ASN1EncodableVector doubled = new ASN1EncodableVector();
    extensions.forEach(doubled::add);
    doubled.add(extensions.getObjectAt(extensions.size() - 1));
    fields.add(new DERTaggedObject(true, 3, new DERSequence(doubled)));
    byte[] tbsDer = new DERSequence(fields).getEncoded();
    Signature signer = Signature.getInstance("SHA256withECDSA", Providers.BC);
    signer.initSign(key.privateKey());
    signer.update(tbsDer);
    return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new DERSequence(fields), outer.getObjectAt(1), new DERBitString(signer.sign())})
        .getEncoded();
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }
}
