package dev.mtls.pki;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.naming.ldap.Rdn;

/**
 * Builds X.509 certificates: self-signed roots, intermediates and leaves for TLS servers and
 * clients.
 *
 * <p>Every setter documents what happens if it is not called. The defaults make a conforming
 * certificate: an EC P-256 key, a random positive serial number of at most 20 octets, validity
 * from one hour ago to one day ahead, subject and authority key identifiers, critical basic
 * constraints, and key usage and extended key usage derived from the {@link CertificateRole}.
 * The signature algorithm follows the issuer's key (ECDSA with SHA-256 for P-256, SHA-384 for
 * P-384, RSA PKCS#1 v1.5 with SHA-256, Ed25519).
 *
 * <pre>{@code
 * CertifiedKey root = CertificateBuilder.create().commonName("Dev Root").role(CertificateRole.CA).build();
 * CertifiedKey server = CertificateBuilder.create()
 *     .commonName("api")
 *     .role(CertificateRole.SERVER)
 *     .subjectAlternativeNames(GeneralName.dns("api.example.com"))
 *     .issuedBy(root)
 *     .build();
 * }</pre>
 *
 * <p>Tests of certificate validation need certificates that break the rules. The methods grouped
 * under "non-conforming" make them: a missing authority key identifier, a version 1 certificate,
 * flipped criticality, a zero or negative serial, a weak signature algorithm, arbitrary raw
 * extensions. Production code has no reason to call them.
 *
 * <p>Each setter may be called once; a second call, or a setting that conflicts with an earlier
 * one, throws {@link IllegalStateException} naming both values. A builder is not thread-safe.
 */
public final class CertificateBuilder {
  private static final Duration DEFAULT_BACKDATE = Duration.ofHours(1);
  private static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);

  private Clock clock;
  private SecureRandom random;
  private String subject;
  private KeyPair keyPair;
  private PublicKey publicKey;
  private KeyType keyType;
  private Instant notBefore;
  private Instant notAfter;
  private BigInteger serialNumber;
  private CertificateRole role;
  private Integer maxPathLength;
  private final List<GeneralName> subjectAlternativeNames = new ArrayList<>();
  private Set<KeyUsage> keyUsage;
  private List<String> extendedKeyUsage;
  private NameConstraints nameConstraints;
  private final List<DistributionPoint> crlDistributionPoints = new ArrayList<>();
  private final List<URI> ocspResponders = new ArrayList<>();
  private final List<URI> caIssuers = new ArrayList<>();
  private CertifiedKey issuer;
  // Non-conforming options.
  private boolean omitAuthorityKeyIdentifier;
  private boolean omitSubjectKeyIdentifier;
  private boolean omitBasicConstraints;
  private boolean version1;
  private String signatureAlgorithm;
  private final Map<String, Boolean> criticality = new HashMap<>();
  private final List<RawExtension> rawExtensions = new ArrayList<>();

  private CertificateBuilder() {}

  /**
   * Starts a new certificate.
   *
   * @return a builder with every option unset
   */
  public static CertificateBuilder create() {
    return new CertificateBuilder();
  }

  /**
   * Sets the clock that decides "now" for the default validity period.
   *
   * <p>If unset, the system UTC clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public CertificateBuilder clock(Clock clock) {
    checkUnset("clock", this.clock);
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Sets the source of randomness for key generation and serial numbers.
   *
   * <p>If unset, a new {@link SecureRandom}.
   *
   * @param random the source of randomness
   * @return this builder
   */
  public CertificateBuilder random(SecureRandom random) {
    checkUnset("random", this.random);
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /**
   * Sets the subject distinguished name.
   *
   * <p>If neither this nor {@link #commonName(String)} is called, the subject is {@code CN=}
   * followed by a random UUID.
   *
   * @param distinguishedName an RFC 2253 name such as {@code CN=api,O=Example,C=DE}
   * @return this builder
   * @throws IllegalArgumentException if the name does not parse
   */
  public CertificateBuilder subject(String distinguishedName) {
    checkUnset("subject", this.subject);
    Objects.requireNonNull(distinguishedName, "distinguishedName");
    Names.x500(distinguishedName); // validates
    this.subject = distinguishedName;
    return this;
  }

  /**
   * Sets the subject to a distinguished name with only a common name.
   *
   * @param commonName the common name; characters special in RFC 2253 are escaped
   * @return this builder
   */
  public CertificateBuilder commonName(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    return subject("CN=" + Rdn.escapeValue(commonName));
  }

  /**
   * Uses an existing key pair.
   *
   * <p>If neither this, {@link #keyType(KeyType)} nor {@link #publicKey(PublicKey)} is called, a
   * new EC P-256 key pair is generated.
   *
   * @param keyPair the key pair to certify
   * @return this builder
   */
  public CertificateBuilder keyPair(KeyPair keyPair) {
    checkKeyUnset("keyPair");
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    return this;
  }

  /**
   * Generates a new key pair of the given type.
   *
   * <p>If unset, {@link KeyType#EC_P256}.
   *
   * @param keyType the type of key to generate
   * @return this builder
   */
  public CertificateBuilder keyType(KeyType keyType) {
    checkKeyUnset("keyType");
    this.keyType = Objects.requireNonNull(keyType, "keyType");
    return this;
  }

  /**
   * Certifies a public key whose private half the builder does not have, as a CA does with a
   * certificate signing request. Finish with {@link #buildCertificate()}.
   *
   * @param publicKey the key to certify
   * @return this builder
   */
  public CertificateBuilder publicKey(PublicKey publicKey) {
    checkKeyUnset("publicKey");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    return this;
  }

  /**
   * Takes the subject and public key from a certificate signing request, after checking its
   * signature. The request's extensions are not copied: the CA decides the extensions with the
   * other setters (copy {@link CertificationRequest#subjectAlternativeNames()} if the CA agrees
   * with them). Finish with {@link #buildCertificate()}.
   *
   * @param request a parsed request
   * @return this builder
   * @throws PkiException if the request's signature does not verify
   */
  public CertificateBuilder request(CertificationRequest request) {
    Objects.requireNonNull(request, "request");
    request.verify();
    subject(request.subject().getName(javax.security.auth.x500.X500Principal.RFC2253));
    return publicKey(request.publicKey());
  }

  /**
   * Sets the validity period.
   *
   * <p>If unset, from one hour before now (so that peers with slow clocks accept it) to one day
   * after now.
   *
   * @param notBefore the first instant the certificate is valid
   * @param notAfter the last instant the certificate is valid
   * @return this builder
   * @throws IllegalArgumentException if {@code notAfter} is before {@code notBefore}
   */
  public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
    checkUnset("validity", this.notBefore);
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException(
          "notAfter " + notAfter + " is before notBefore " + notBefore);
    }
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    return this;
  }

  /**
   * Sets the serial number. RFC 5280 requires a positive number of at most 20 octets, unique per
   * issuer; zero, negative and longer values are accepted here to make non-conforming
   * certificates for tests.
   *
   * <p>If unset, a random positive number of 159 bits (20 octets in DER).
   *
   * @param serialNumber the serial number
   * @return this builder
   */
  public CertificateBuilder serialNumber(BigInteger serialNumber) {
    checkUnset("serialNumber", this.serialNumber);
    this.serialNumber = Objects.requireNonNull(serialNumber, "serialNumber");
    return this;
  }

  /**
   * Sets what the certificate is for, which decides basic constraints, key usage and extended
   * key usage unless those are set explicitly.
   *
   * <p>If unset, {@link CertificateRole#SERVER_AND_CLIENT}, or {@link CertificateRole#CA} if
   * {@link #maxPathLength(int)} is called.
   *
   * @param role the role
   * @return this builder
   */
  public CertificateBuilder role(CertificateRole role) {
    checkUnset("role", this.role);
    Objects.requireNonNull(role, "role");
    if (maxPathLength != null && role != CertificateRole.CA) {
      throw new IllegalStateException(
          "role " + role + " conflicts with maxPathLength " + maxPathLength + " (CAs only)");
    }
    this.role = role;
    return this;
  }

  /**
   * Limits how many intermediate CAs may follow this CA in a path (the {@code pathLenConstraint}
   * of basic constraints). Implies {@link CertificateRole#CA}.
   *
   * <p>If unset, a CA certificate has no path length constraint.
   *
   * @param maxPathLength zero or more
   * @return this builder
   */
  public CertificateBuilder maxPathLength(int maxPathLength) {
    checkUnset("maxPathLength", this.maxPathLength);
    if (maxPathLength < 0) {
      throw new IllegalArgumentException("maxPathLength must be >= 0, was " + maxPathLength);
    }
    if (role != null && role != CertificateRole.CA) {
      throw new IllegalStateException(
          "maxPathLength " + maxPathLength + " conflicts with role " + role + " (CAs only)");
    }
    this.maxPathLength = maxPathLength;
    return this;
  }

  /**
   * Adds subject alternative names: DNS names, IP addresses, URIs (SPIFFE IDs), email
   * addresses, UPNs. Modern TLS peers match host names against these only, never the common
   * name. May be called more than once.
   *
   * <p>If never called, the certificate has no subject alternative name extension.
   *
   * @param names the names to add
   * @return this builder
   */
  public CertificateBuilder subjectAlternativeNames(GeneralName... names) {
    for (GeneralName name : names) {
      subjectAlternativeNames.add(Objects.requireNonNull(name, "name"));
    }
    return this;
  }

  /**
   * Sets the key usage bits.
   *
   * <p>If unset, derived from the role: keyCertSign and cRLSign for a CA; digitalSignature for a
   * leaf, plus keyEncipherment for an RSA TLS leaf. Pass no argument to omit the extension.
   *
   * @param usages the bits to set
   * @return this builder
   */
  public CertificateBuilder keyUsage(KeyUsage... usages) {
    checkUnset("keyUsage", this.keyUsage);
    EnumSet<KeyUsage> set = EnumSet.noneOf(KeyUsage.class);
    set.addAll(Arrays.asList(usages));
    this.keyUsage = set;
    return this;
  }

  /**
   * Sets the extended key usage purposes.
   *
   * <p>If unset, derived from the role: serverAuth, clientAuth or both for a TLS leaf,
   * OCSPSigning for an OCSP responder; none for a CA. Pass no argument to omit the extension.
   *
   * @param purposes the purposes
   * @return this builder
   */
  public CertificateBuilder extendedKeyUsage(ExtendedKeyUsage... purposes) {
    return extendedKeyUsageOids(
        Arrays.stream(purposes).map(ExtendedKeyUsage::oid).toArray(String[]::new));
  }

  /**
   * Sets the extended key usage purposes by object identifier, for purposes without a constant
   * in {@link ExtendedKeyUsage}.
   *
   * @param oids dotted object identifiers
   * @return this builder
   * @see #extendedKeyUsage(ExtendedKeyUsage...)
   */
  public CertificateBuilder extendedKeyUsageOids(String... oids) {
    checkUnset("extendedKeyUsage", this.extendedKeyUsage);
    List<String> list = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(oids)));
    for (String oid : list) {
      GeneralName.registeredId(oid); // validates the syntax
    }
    this.extendedKeyUsage = List.copyOf(list);
    return this;
  }

  /**
   * Sets name constraints on a CA certificate (marked critical, as RFC 5280 requires).
   *
   * <p>If unset, the CA is not constrained.
   *
   * @param constraints permitted and excluded subtrees
   * @return this builder
   */
  public CertificateBuilder nameConstraints(NameConstraints constraints) {
    checkUnset("nameConstraints", this.nameConstraints);
    this.nameConstraints = Objects.requireNonNull(constraints, "constraints");
    return this;
  }

  /**
   * Adds a CRL distribution point: where relying parties download the issuer's CRL. May be
   * called more than once, also together with {@link #crlDistributionPoint(DistributionPoint)}.
   *
   * <p>If neither is called, the certificate has no CRL distribution points extension.
   *
   * @param uri an HTTP URI
   * @return this builder
   */
  public CertificateBuilder crlDistributionPoint(URI uri) {
    return crlDistributionPoint(new DistributionPoint(
        List.of(GeneralName.uri(Objects.requireNonNull(uri, "uri").toString())), Optional.empty(),
        Set.of(), List.of()));
  }

  /**
   * Adds a CRL distribution point with every field RFC 5280 section 4.2.1.13 allows: its name
   * (full names, or a name relative to the CRL issuer such as {@code CN=Partition 1}), the
   * reasons the CRL there covers (empty for all of them), and the CRL issuer when it is not the
   * certificate's issuer (an indirect CRL). May be called more than once.
   *
   * <p>If neither this nor {@link #crlDistributionPoint(URI)} is called, the certificate has no
   * CRL distribution points extension.
   *
   * @param point the distribution point
   * @return this builder
   * @throws IllegalArgumentException if the point has neither a name nor a CRL issuer, has both
   *     a full name and a relative name, a relative name that is not one RDN, or a reason that
   *     {@code ReasonFlags} cannot express ({@code UNSPECIFIED}, {@code REMOVE_FROM_CRL})
   */
  public CertificateBuilder crlDistributionPoint(DistributionPoint point) {
    Objects.requireNonNull(point, "point");
    boolean named = !point.fullName().isEmpty() || point.nameRelativeToCrlIssuer().isPresent();
    if (!named && point.crlIssuer().isEmpty()) {
      throw new IllegalArgumentException("A CRL distribution point needs a name or a CRL issuer"
          + " (RFC 5280 4.2.1.13), was " + point);
    }
    if (!point.fullName().isEmpty() && point.nameRelativeToCrlIssuer().isPresent()) {
      throw new IllegalArgumentException("A CRL distribution point is named by full names or by a"
          + " name relative to the CRL issuer, not both; was " + point);
    }
    point.nameRelativeToCrlIssuer().ifPresent(DistributionPointEncoder::checkRelativeName);
    if (!point.reasons().isEmpty()) {
      DistributionPointEncoder.checkReasons("A CRL distribution point's reasons", point.reasons());
    }
    crlDistributionPoints.add(point);
    return this;
  }

  /**
   * Adds an OCSP responder to the authority information access extension.
   *
   * <p>If neither this nor {@link #caIssuers(URI)} is called, the certificate has no authority
   * information access extension.
   *
   * @param uri an HTTP URI
   * @return this builder
   */
  public CertificateBuilder ocspResponder(URI uri) {
    ocspResponders.add(Objects.requireNonNull(uri, "uri"));
    return this;
  }

  /**
   * Adds a caIssuers location to the authority information access extension: where the
   * issuer's certificate can be downloaded.
   *
   * @param uri an HTTP URI
   * @return this builder
   */
  public CertificateBuilder caIssuers(URI uri) {
    caIssuers.add(Objects.requireNonNull(uri, "uri"));
    return this;
  }

  /**
   * Sets the issuer that signs the certificate.
   *
   * <p>If unset, the certificate is self-signed.
   *
   * @param issuer a CA's key and certificate chain
   * @return this builder
   */
  public CertificateBuilder issuedBy(CertifiedKey issuer) {
    checkUnset("issuedBy", this.issuer);
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    return this;
  }

  /**
   * Non-conforming: leaves out the authority key identifier extension.
   *
   * @return this builder
   */
  public CertificateBuilder omitAuthorityKeyIdentifier() {
    omitAuthorityKeyIdentifier = true;
    return this;
  }

  /**
   * Non-conforming: leaves out the subject key identifier extension.
   *
   * @return this builder
   */
  public CertificateBuilder omitSubjectKeyIdentifier() {
    omitSubjectKeyIdentifier = true;
    return this;
  }

  /**
   * Non-conforming: leaves out the basic constraints extension, even on a CA.
   *
   * @return this builder
   */
  public CertificateBuilder omitBasicConstraints() {
    omitBasicConstraints = true;
    return this;
  }

  /**
   * Non-conforming: makes a version 1 certificate, which has no extensions at all.
   *
   * @return this builder
   */
  public CertificateBuilder version1() {
    version1 = true;
    return this;
  }

  /**
   * Non-conforming when weak: overrides the signature algorithm that follows from the issuer's
   * key, for instance {@code SHA1withRSA} or {@code SHA256withRSAandMGF1}.
   *
   * @param jcaName a JCA signature algorithm name
   * @return this builder
   */
  public CertificateBuilder signatureAlgorithm(String jcaName) {
    checkUnset("signatureAlgorithm", this.signatureAlgorithm);
    this.signatureAlgorithm = Objects.requireNonNull(jcaName, "jcaName");
    return this;
  }

  /**
   * Non-conforming: overrides the criticality of an extension this builder writes, such as basic
   * constraints ({@code 2.5.29.19}) marked non-critical.
   *
   * @param oid the extension's object identifier
   * @param critical the criticality to write
   * @return this builder
   */
  public CertificateBuilder extensionCritical(String oid, boolean critical) {
    Boolean previous = criticality.putIfAbsent(GeneralName.registeredId(oid).value(), critical);
    if (previous != null) {
      throw new IllegalStateException("criticality of " + oid + " was already set to " + previous);
    }
    return this;
  }

  /**
   * Adds an extension with the given DER-encoded value, replacing any extension with the same
   * object identifier that the builder would write. For unknown critical extensions and
   * malformed values in tests.
   *
   * @param oid the extension's object identifier
   * @param critical whether the extension is critical
   * @param derValue the DER encoding of the extension value (the content of extnValue)
   * @return this builder
   */
  public CertificateBuilder addExtension(String oid, boolean critical, byte[] derValue) {
    GeneralName.registeredId(oid);
    rawExtensions.add(new RawExtension(oid, critical, derValue.clone()));
    return this;
  }

  /**
   * Builds the certificate and returns it with its private key and chain.
   *
   * @return the certified key
   * @throws IllegalStateException if only a public key was given; use {@link #buildCertificate()}
   */
  public CertifiedKey build() {
    if (publicKey != null) {
      throw new IllegalStateException(
          "Only a public key was given, so there is no private key to return: use"
              + " buildCertificate()");
    }
    KeyPair pair = keyPair != null ? keyPair : keyTypeOrDefault().generate(random());
    X509Certificate certificate = sign(pair.getPublic(), pair.getPrivate());
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    if (issuer != null) {
      X509Certificate issuerCert = issuer.certificate();
      boolean issuerIsRoot =
          issuerCert.getSubjectX500Principal().equals(issuerCert.getIssuerX500Principal());
      // A root (self-issued) is held by peers as a trust anchor, so it is not sent.
      chain.addAll(issuerIsRoot ? issuer.chain().subList(1, issuer.chain().size()) : issuer.chain());
    }
    return new CertifiedKey(pair.getPrivate(), chain);
  }

  /**
   * Builds the certificate for a key given with {@link #publicKey(PublicKey)} or
   * {@link #request(CertificationRequest)}. Requires {@link #issuedBy(CertifiedKey)}.
   *
   * @return the certificate
   */
  public X509Certificate buildCertificate() {
    if (publicKey == null) {
      throw new IllegalStateException(
          "buildCertificate() needs publicKey(..) or request(..); use build() otherwise");
    }
    if (issuer == null) {
      throw new IllegalStateException(
          "A certificate for a public key alone must be signed by an issuer: call issuedBy(..)");
    }
    return sign(publicKey, null);
  }

  private X509Certificate sign(PublicKey subjectKey, PrivateKey selfSigningKey) {
    Instant now = (clock != null ? clock : Clock.systemUTC()).instant();
    CertificateSpec spec = new CertificateSpec(
        subject != null ? subject : "CN=" + UUID.randomUUID(),
        subjectKey,
        notBefore != null ? notBefore : now.minus(DEFAULT_BACKDATE),
        notAfter != null ? notAfter : now.plus(DEFAULT_LIFETIME),
        serialNumber != null ? serialNumber : Certificates.randomSerial(random()),
        roleOrDefault(),
        maxPathLength,
        List.copyOf(subjectAlternativeNames),
        keyUsage != null ? keyUsage : defaultKeyUsage(subjectKey),
        extendedKeyUsage != null ? extendedKeyUsage : defaultExtendedKeyUsage(),
        nameConstraints,
        List.copyOf(crlDistributionPoints),
        List.copyOf(ocspResponders),
        List.copyOf(caIssuers),
        omitAuthorityKeyIdentifier,
        omitSubjectKeyIdentifier,
        omitBasicConstraints,
        version1,
        Collections.unmodifiableMap(new HashMap<>(criticality)),
        List.copyOf(rawExtensions));
    if (issuer == null) {
      return CertificateSigner.sign(spec, null, selfSigningKey, signatureAlgorithm);
    }
    return CertificateSigner.sign(
        spec, issuer.certificate(), issuer.privateKey(), signatureAlgorithm);
  }

  private CertificateRole roleOrDefault() {
    if (role != null) {
      return role;
    }
    return maxPathLength != null ? CertificateRole.CA : CertificateRole.SERVER_AND_CLIENT;
  }

  private KeyType keyTypeOrDefault() {
    return keyType != null ? keyType : KeyType.EC_P256;
  }

  private SecureRandom random() {
    if (random == null) {
      random = new SecureRandom();
    }
    return random;
  }

  private Set<KeyUsage> defaultKeyUsage(PublicKey key) {
    if (roleOrDefault() == CertificateRole.CA) {
      return EnumSet.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN);
    }
    if (key.getAlgorithm().equals("RSA") && roleOrDefault() != CertificateRole.OCSP_RESPONDER) {
      return EnumSet.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT);
    }
    return EnumSet.of(KeyUsage.DIGITAL_SIGNATURE);
  }

  private List<String> defaultExtendedKeyUsage() {
    return switch (roleOrDefault()) {
      case CA -> List.of();
      case SERVER -> List.of(ExtendedKeyUsage.SERVER_AUTH.oid());
      case CLIENT -> List.of(ExtendedKeyUsage.CLIENT_AUTH.oid());
      case SERVER_AND_CLIENT ->
          List.of(ExtendedKeyUsage.SERVER_AUTH.oid(), ExtendedKeyUsage.CLIENT_AUTH.oid());
      case OCSP_RESPONDER -> List.of(ExtendedKeyUsage.OCSP_SIGNING.oid());
    };
  }

  private void checkKeyUnset(String setter) {
    Object existing = keyPair != null ? keyPair : keyType != null ? keyType : publicKey;
    if (existing != null) {
      throw new IllegalStateException(
          setter + " conflicts with the key already set: " + describe(existing));
    }
  }

  private static String describe(Object key) {
    if (key instanceof KeyPair pair) {
      return "keyPair " + pair.getPublic().getAlgorithm();
    }
    if (key instanceof PublicKey pub) {
      return "publicKey " + pub.getAlgorithm();
    }
    return "keyType " + key;
  }

  private static void checkUnset(String name, Object current) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
  }


  /** An extension given as raw DER. */
  record RawExtension(String oid, boolean critical, byte[] value) {
    @Override
    public String toString() {
      return oid + (critical ? " (critical) " : " ") + HexFormat.of().formatHex(value);
    }
  }
}
