package dev.mtls.testkit;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.ExtendedKeyUsage;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.NameConstraints;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates that are wrong in exactly one way, for testing that a verifier rejects each of
 * them for the right reason. Obtain it with {@link TestCa#broken(CertificateRole)}.
 *
 * <p>Every certificate is otherwise sound: issued by the CA (unless the flaw is the issuer),
 * currently valid (unless the flaw is the dates), with the role's extended key usage (unless the
 * flaw is the EKU), and, for servers, the names {@code localhost} and {@code 127.0.0.1} so that
 * host name checks pass. The chain of each result is what a peer would send.
 */
public final class BrokenCertificates {
  private final TestCa ca;
  private final CertificateRole role;

  BrokenCertificates(TestCa ca, CertificateRole role) {
    if (role == CertificateRole.CA) {
      throw new IllegalArgumentException("Broken certificates are leaves: use SERVER, CLIENT or"
          + " SERVER_AND_CLIENT, not " + role);
    }
    this.ca = ca;
    this.role = role;
  }

  /**
   * A certificate whose validity ended a day ago (it was valid for the day before).
   *
   * @return the key and chain
   */
  public CertifiedKey expired() {
    Instant now = ca.now();
    return issue(leaf("expired").validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))));
  }

  /**
   * A certificate whose validity starts a day from now.
   *
   * @return the key and chain
   */
  public CertifiedKey notYetValid() {
    Instant now = ca.now();
    return issue(leaf("not-yet-valid").validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))));
  }

  /**
   * A certificate for the other TLS role: serverAuth only where clientAuth is needed, and the
   * reverse. A dual-use role gets codeSigning only.
   *
   * @return the key and chain
   */
  public CertifiedKey wrongExtendedKeyUsage() {
    ExtendedKeyUsage wrong = switch (role) {
      case CLIENT -> ExtendedKeyUsage.SERVER_AUTH;
      case SERVER -> ExtendedKeyUsage.CLIENT_AUTH;
      default -> ExtendedKeyUsage.CODE_SIGNING;
    };
    return issue(leaf("wrong-eku").extendedKeyUsage(wrong));
  }

  /**
   * A certificate without the extended key usage extension. RFC 5280 treats this as "any
   * purpose"; strict mTLS verifiers may not.
   *
   * @return the key and chain
   */
  public CertifiedKey noExtendedKeyUsage() {
    return issue(leaf("no-eku").extendedKeyUsage());
  }

  /**
   * A CA certificate ({@code cA=TRUE}, keyCertSign) presented as a leaf, with the leaf's names.
   *
   * @return the key and chain
   */
  public CertifiedKey caAsLeaf() {
    return ca.builderFor(CertificateRole.CA)
        .subjectAlternativeNames(names())
        .commonName("ca-as-leaf")
        .issuedBy(ca.issuer())
        .build();
  }

  /**
   * A certificate issued by an unrelated CA whose certificate has exactly the same subject as
   * this CA's issuer, but another key: names match, signatures do not.
   *
   * @return the key and chain (the impostor issuer's intermediate is not included)
   */
  public CertifiedKey unknownIssuer() {
    X509Certificate real = ca.issuer().certificate();
    CertifiedKey impostor = ca.builderFor(CertificateRole.CA)
        .subject(real.getSubjectX500Principal().getName())
        .build();
    return leaf("unknown-issuer").issuedBy(impostor).build();
  }

  /**
   * A self-signed certificate with the role's EKU and names, not issued by any CA.
   *
   * @return the key and chain (the certificate alone)
   */
  public CertifiedKey selfSigned() {
    return leaf("self-signed").build();
  }

  /**
   * A certificate whose DNS name lies outside the permitted subtree of its issuer: an
   * intermediate constrained to {@code permitted.test} issues a leaf for {@code outside.test}.
   *
   * @return the key and chain (leaf, constrained intermediate, then the CA's intermediates)
   */
  public CertifiedKey nameConstraintViolation() {
    CertifiedKey constrained = ca.builderFor(CertificateRole.CA)
        .subject("CN=Constrained Intermediate,O=mtls testkit")
        .nameConstraints(NameConstraints.permitting(GeneralName.dns("permitted.test")))
        .issuedBy(ca.issuer())
        .build();
    return leaf("outside-constraints")
        .subjectAlternativeNames(GeneralName.dns("outside.test"))
        .issuedBy(constrained)
        .build();
  }

  /**
   * A certificate below too many CAs: an intermediate with {@code pathLenConstraint=0} signs
   * another intermediate, which signs the leaf.
   *
   * @return the key and chain (leaf, second intermediate, first intermediate, ...)
   */
  public CertifiedKey pathLengthViolation() {
    CertifiedKey limited = ca.builderFor(CertificateRole.CA)
        .subject("CN=Path Length Zero Intermediate,O=mtls testkit")
        .maxPathLength(0)
        .issuedBy(ca.issuer())
        .build();
    CertifiedKey tooDeep = ca.builderFor(CertificateRole.CA)
        .subject("CN=Intermediate Below Path Length Zero,O=mtls testkit")
        .issuedBy(limited)
        .build();
    return leaf("too-deep").issuedBy(tooDeep).build();
  }

  /**
   * A certificate for a 1024-bit RSA key, below every current minimum.
   *
   * @return the key and chain
   */
  public CertifiedKey rsa1024() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(1024, ca.random());
      KeyPair pair = generator.generateKeyPair();
      return issue(base("rsa-1024").keyPair(pair));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is required on every Java platform", e);
    }
  }

  /**
   * A certificate signed with SHA-1 (ECDSA or RSA, following the issuer's key).
   *
   * @return the key and chain
   */
  public CertifiedKey sha1Signature() {
    String algorithm = switch (ca.keyType()) {
      case EC_P256, EC_P384 -> "SHA1withECDSA";
      case RSA_2048, RSA_3072, RSA_4096 -> "SHA1withRSA";
      case ED25519 -> throw new IllegalStateException(
          "An Ed25519 CA cannot sign with SHA-1: use an EC or RSA TestCa");
    };
    return issue(leaf("sha1-signature").signatureAlgorithm(algorithm));
  }

  /**
   * A certificate without the authority key identifier extension.
   *
   * @return the key and chain
   */
  public CertifiedKey missingAuthorityKeyIdentifier() {
    return issue(leaf("missing-aki").omitAuthorityKeyIdentifier());
  }

  /** A sound leaf for the role, named after its flaw, with the CA's key type and clock. */
  private CertificateBuilder leaf(String commonName) {
    return base(commonName).keyType(ca.keyType());
  }

  private CertificateBuilder base(String commonName) {
    return CertificateBuilder.create()
        .random(ca.random())
        .clock(ca.clock())
        .commonName(commonName)
        .role(role)
        .subjectAlternativeNames(names());
  }

  private CertifiedKey issue(CertificateBuilder builder) {
    return builder.issuedBy(ca.issuer()).build();
  }

  private GeneralName[] names() {
    List<GeneralName> names = new ArrayList<>();
    if (role != CertificateRole.CLIENT) {
      names.add(GeneralName.dns("localhost"));
      names.add(GeneralName.ip("127.0.0.1"));
    }
    return names.toArray(new GeneralName[0]);
  }
}
