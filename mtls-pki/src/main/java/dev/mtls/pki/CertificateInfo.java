package dev.mtls.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * A read-only view of an X.509 certificate: every field and extension a relying party checks,
 * as plain Java types.
 *
 * <p>The view is parsed eagerly and strictly from the certificate's DER encoding. Where the JDK's
 * getters return {@code null} or an empty list for an extension they cannot decode, this view
 * throws a {@link PkiException} naming the certificate (subject and serial number), the
 * extension (name and object identifier) and what is wrong, for instance:
 * {@code Certificate 'CN=api' serial 1f, extension subjectAltName (2.5.29.17): malformed
 * iPAddress: 5 bytes (expected 4 or 16, or 8 or 32 in a name constraint)}.
 *
 * <p>Optional extensions are returned as {@link Optional}: an absent key usage extension (any
 * usage allowed) is different from one with no bits set. Lists are empty when their extension is
 * absent; {@link #extensions()} tells whether it is there.
 */
public final class CertificateInfo {
  private static final String EC_OID = "1.2.840.10045.2.1";
  private static final Set<String> UNDERSTOOD = Set.of(
      Extension.basicConstraints.getId(), Extension.keyUsage.getId(),
      Extension.extendedKeyUsage.getId(), Extension.subjectKeyIdentifier.getId(),
      Extension.authorityKeyIdentifier.getId(), Extension.subjectAlternativeName.getId(),
      Extension.issuerAlternativeName.getId(), Extension.nameConstraints.getId(),
      Extension.cRLDistributionPoints.getId(), Extension.authorityInfoAccess.getId(),
      Extension.policyConstraints.getId(), Extension.certificatePolicies.getId(),
      Extension.inhibitAnyPolicy.getId());

  private final X509Certificate certificate;
  private final int version;
  private final int serialNumberLength;
  private final String signatureAlgorithmOid;
  private final String publicKeyAlgorithmOid;
  private final Optional<String> ecCurveOid;
  private final List<ExtensionInfo> extensions;
  private final Set<String> unknownCriticalExtensions;
  private final CertificateExtensions parsed;

  private CertificateInfo(X509Certificate certificate, TBSCertificate tbs,
      Map<String, Extension> extensions, CertificateExtensions parsed) {
    this.certificate = certificate;
    this.version = tbs.getVersionNumber();
    this.serialNumberLength = tbs.getSerialNumber().getValue().toByteArray().length;
    this.signatureAlgorithmOid = tbs.getSignature().getAlgorithm().getId();
    SubjectPublicKeyInfo spki = tbs.getSubjectPublicKeyInfo();
    this.publicKeyAlgorithmOid = spki.getAlgorithm().getAlgorithm().getId();
    ASN1Encodable parameters = spki.getAlgorithm().getParameters();
    this.ecCurveOid = publicKeyAlgorithmOid.equals(EC_OID)
        && parameters instanceof ASN1ObjectIdentifier curve
        ? Optional.of(curve.getId()) : Optional.empty();
    this.extensions = ExtensionParser.infos(extensions);
    this.unknownCriticalExtensions = ExtensionParser.unknownCritical(extensions, UNDERSTOOD);
    this.parsed = parsed;
  }

  /**
   * Parses a certificate.
   *
   * @param certificate a certificate, as read by the JDK's {@code CertificateFactory}
   * @return the view
   * @throws PkiException if the encoding or an extension this view reads is malformed, naming
   *     the certificate's subject and serial number and the extension
   */
  public static CertificateInfo of(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      return parse(certificate, certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new PkiException(describe(certificate) + ": cannot be encoded", e);
    }
  }

  /** Parses the given DER, which is normally {@code certificate.getEncoded()}. */
  static CertificateInfo parse(X509Certificate certificate, byte[] der) {
    String source = describe(certificate);
    ASN1Sequence outer;
    ASN1Sequence tbsSequence;
    try {
      outer = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      tbsSequence = ASN1Sequence.getInstance(outer.getObjectAt(0));
    } catch (IOException | RuntimeException e) {
      throw new PkiException(source + ": not a DER-encoded certificate (" + der.length + " bytes)",
          e);
    }
    ASN1Encodable last = tbsSequence.getObjectAt(tbsSequence.size() - 1);
    ASN1Encodable rawExtensions = null;
    if (last instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
      rawExtensions = tagged.getExplicitBaseObject();
    }
    Map<String, Extension> extensions = ExtensionParser.read(rawExtensions, source);
    Certificate parsed;
    try {
      parsed = Certificate.getInstance(outer);
    } catch (RuntimeException e) {
      throw new PkiException(source + ": malformed certificate structure", e);
    }
    TBSCertificate tbs = parsed.getTBSCertificate();
    if (!tbs.getSignature().equals(parsed.getSignatureAlgorithm())) {
      throw new PkiException(source + ": the signature algorithm inside the signed part ("
          + tbs.getSignature().getAlgorithm().getId() + ") differs from the outer one ("
          + parsed.getSignatureAlgorithm().getAlgorithm().getId() + ")");
    }
    return new CertificateInfo(
        certificate, tbs, extensions, CertificateExtensions.parse(extensions, source));
  }

  /** {@code Certificate 'CN=x' serial 1f}: how messages name a certificate. */
  static String describe(X509Certificate certificate) {
    return "Certificate " + Certificates.subjectOf(certificate) + " serial "
        + certificate.getSerialNumber().toString(16);
  }

  /**
   * Returns the certificate this view was made from.
   *
   * @return the certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Returns the X.509 version: 1 (no extensions), 2 or 3.
   *
   * @return the version number
   */
  public int version() {
    return version;
  }

  /**
   * Returns the serial number. RFC 5280 requires it to be positive.
   *
   * @return the serial number
   */
  public BigInteger serialNumber() {
    return certificate.getSerialNumber();
  }

  /**
   * Returns the length of the serial number's DER content in octets. RFC 5280 allows at most 20.
   *
   * @return the number of content octets of the serialNumber INTEGER
   */
  public int serialNumberLength() {
    return serialNumberLength;
  }

  /**
   * Returns the subject distinguished name.
   *
   * @return the subject
   */
  public X500Principal subject() {
    return certificate.getSubjectX500Principal();
  }

  /**
   * Returns the issuer distinguished name.
   *
   * @return the issuer
   */
  public X500Principal issuer() {
    return certificate.getIssuerX500Principal();
  }

  /**
   * Returns the start of the validity period.
   *
   * @return the first instant the certificate is valid
   */
  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  /**
   * Returns the end of the validity period.
   *
   * @return the last instant the certificate is valid
   */
  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /**
   * Returns the object identifier of the signature algorithm.
   *
   * @return a dotted OID such as {@code 1.2.840.10045.4.3.2} (ECDSA with SHA-256)
   */
  public String signatureAlgorithmOid() {
    return signatureAlgorithmOid;
  }

  /**
   * Returns the JCA name of the signature algorithm.
   *
   * @return a name such as {@code SHA256withECDSA}, or the OID if the JDK has no name for it
   */
  public String signatureAlgorithmName() {
    return certificate.getSigAlgName();
  }

  /**
   * Returns the algorithm of the certified public key.
   *
   * @return {@code RSA}, {@code EC}, {@code Ed25519}, {@code Ed448}, {@code DSA},
   *     {@code RSASSA-PSS}, or the algorithm's OID
   */
  public String publicKeyAlgorithm() {
    return switch (publicKeyAlgorithmOid) {
      case "1.2.840.113549.1.1.1" -> "RSA";
      case EC_OID -> "EC";
      case "1.3.101.112" -> "Ed25519";
      case "1.3.101.113" -> "Ed448";
      case "1.2.840.10040.4.1" -> "DSA";
      case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
      default -> publicKeyAlgorithmOid;
    };
  }

  /**
   * Returns the size of the certified public key: the modulus length for RSA, the order of the
   * curve for EC (256 for P-256), 255 for Ed25519 and 448 for Ed448.
   *
   * @return the key size in bits, or 0 if this view does not know how to measure the key
   */
  public int publicKeyBits() {
    PublicKey key = certificate.getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getOrder().bitLength();
    }
    if (key instanceof DSAPublicKey dsa && dsa.getParams() != null) {
      return dsa.getParams().getP().bitLength();
    }
    return switch (publicKeyAlgorithm()) {
      case "Ed25519" -> 255;
      case "Ed448" -> 448;
      default -> 0;
    };
  }

  /**
   * Returns the object identifier of the named curve of an EC key.
   *
   * @return the curve's OID, such as {@code 1.2.840.10045.3.1.7} for P-256; empty for other key
   *     types and for EC keys with explicit curve parameters (which RFC 5480 forbids)
   */
  public Optional<String> ecCurveOid() {
    return ecCurveOid;
  }

  /**
   * Returns the name of the named curve of an EC key.
   *
   * @return a name such as {@code prime256v1} or {@code secp384r1} (or the OID if the curve has
   *     no known name); empty when {@link #ecCurveOid()} is empty
   */
  public Optional<String> ecCurveName() {
    return ecCurveOid.map(oid -> {
      String name = ECNamedCurveTable.getName(new ASN1ObjectIdentifier(oid));
      return name != null ? name : oid;
    });
  }

  /**
   * Returns the subject alternative names, the names TLS peers are matched against.
   *
   * @return the names, in certificate order; empty if the extension is absent
   */
  public List<GeneralName> subjectAlternativeNames() {
    return parsed.subjectAlternativeNames();
  }

  /**
   * Returns the issuer alternative names.
   *
   * @return the names; empty if the extension is absent
   */
  public List<GeneralName> issuerAlternativeNames() {
    return parsed.issuerAlternativeNames();
  }

  /**
   * Returns the basic constraints extension.
   *
   * @return the constraints; empty if the extension is absent (the subject is then not a CA)
   */
  public Optional<BasicConstraints> basicConstraints() {
    return parsed.basicConstraints();
  }

  /**
   * Returns the key usage bits.
   *
   * @return the usages; empty if the extension is absent, an empty set if present with no bits
   */
  public Optional<Set<KeyUsage>> keyUsage() {
    return parsed.keyUsage();
  }

  /**
   * Returns the extended key usage purposes, such as {@link ExtendedKeyUsage#CLIENT_AUTH}'s OID.
   *
   * @return the purposes' object identifiers, in certificate order; empty if the extension is
   *     absent (no restriction)
   */
  public Optional<List<String>> extendedKeyUsage() {
    return parsed.extendedKeyUsage();
  }

  /**
   * Returns the subject key identifier: an identifier of the certified key that certificates
   * issued by this one carry as their authority key identifier.
   *
   * @return a copy of the key identifier; empty if the extension is absent
   */
  public Optional<byte[]> subjectKeyIdentifier() {
    return parsed.subjectKeyIdentifier().map(byte[]::clone);
  }

  /**
   * Returns the authority key identifier: which key signed this certificate.
   *
   * @return the identifier; empty if the extension is absent
   */
  public Optional<AuthorityKeyIdentifier> authorityKeyIdentifier() {
    return parsed.authorityKeyIdentifier();
  }

  /**
   * Returns the name constraints of a CA certificate. IP subtrees come back in CIDR form,
   * {@code 10.0.0.0/8}.
   *
   * @return the constraints; empty if the extension is absent
   */
  public Optional<NameConstraints> nameConstraints() {
    return parsed.nameConstraints();
  }

  /**
   * Returns the OCSP responder URIs of the authority information access extension.
   *
   * @return the URIs, in certificate order; empty if there are none (locations that are not
   *     URIs are not returned)
   */
  public List<String> ocspUris() {
    return parsed.ocspUris();
  }

  /**
   * Returns the caIssuers URIs of the authority information access extension: where the
   * issuer's certificate can be downloaded.
   *
   * @return the URIs, in certificate order; empty if there are none
   */
  public List<String> caIssuersUris() {
    return parsed.caIssuersUris();
  }

  /**
   * Returns the CRL distribution points.
   *
   * @return the points, in certificate order; empty if the extension is absent
   */
  public List<DistributionPoint> crlDistributionPoints() {
    return parsed.crlDistributionPoints();
  }

  /**
   * Returns the policy constraints of a CA certificate.
   *
   * @return the constraints; empty if the extension is absent
   */
  public Optional<PolicyConstraints> policyConstraints() {
    return parsed.policyConstraints();
  }

  /**
   * Returns the policy identifiers of the certificate policies extension (qualifiers are not
   * interpreted).
   *
   * @return the policy OIDs, in certificate order; empty if the extension is absent
   */
  public Optional<List<String>> certificatePolicies() {
    return parsed.certificatePolicies();
  }

  /**
   * Returns the inhibitAnyPolicy skip count of a CA certificate.
   *
   * @return the skip count; empty if the extension is absent
   */
  public OptionalInt inhibitAnyPolicy() {
    return parsed.inhibitAnyPolicy();
  }

  /**
   * Returns every extension, in certificate order.
   *
   * @return the extensions with their criticality; empty for a version 1 certificate
   */
  public List<ExtensionInfo> extensions() {
    return extensions;
  }

  /**
   * Returns whether the certificate has the given extension, marked critical.
   *
   * @param oid a dotted object identifier such as {@code 2.5.29.19}
   * @return true if the extension is present and critical
   */
  public boolean isCritical(String oid) {
    Objects.requireNonNull(oid, "oid");
    return extensions.stream().anyMatch(e -> e.oid().equals(oid) && e.critical());
  }

  /**
   * Returns the critical extensions this view does not parse. A relying party must reject a
   * certificate with a critical extension it does not process (RFC 5280 section 4.2), unless it
   * processes the extension itself. This view parses basic constraints, key usage, extended key
   * usage, subject and authority key identifiers, subject and issuer alternative names, name
   * constraints, CRL distribution points, authority information access, certificate policies,
   * policy constraints and inhibitAnyPolicy; policy mappings, for one, are not understood.
   *
   * @return the OIDs of the critical extensions not understood, in certificate order
   */
  public Set<String> unknownCriticalExtensions() {
    return unknownCriticalExtensions;
  }

  @Override
  public String toString() {
    return "CertificateInfo[" + describe(certificate) + "]";
  }
}
