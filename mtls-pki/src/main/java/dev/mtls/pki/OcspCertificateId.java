package dev.mtls.pki;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Which certificate an OCSP request asks about and a single response answers for: the
 * {@code CertID} of RFC 6960 section 4.1.1. It names the certificate by its serial number and its
 * issuer by two hashes, of the issuer's distinguished name and of the issuer's public key, so
 * that a responder serving several CAs can tell certificates with the same serial apart.
 *
 * <p>Clients normally use SHA-1 ({@link #of(X509Certificate, X509Certificate)}), as RFC 5019
 * requires and every responder supports; SHA-1's weakness does not matter here because the
 * hashes only identify, the response's signature protects. Values are compared by content.
 */
public final class OcspCertificateId {
  private final String hashAlgorithmOid;
  private final byte[] issuerNameHash;
  private final byte[] issuerKeyHash;
  private final BigInteger serialNumber;

  private OcspCertificateId(
      String hashAlgorithmOid, byte[] issuerNameHash, byte[] issuerKeyHash, BigInteger serial) {
    this.hashAlgorithmOid = hashAlgorithmOid;
    this.issuerNameHash = issuerNameHash;
    this.issuerKeyHash = issuerKeyHash;
    this.serialNumber = serial;
  }

  /**
   * Makes the SHA-1 identifier of a certificate, as RFC 6960 and RFC 5019 clients send it.
   *
   * @param certificate the certificate to ask about
   * @param issuer the certificate of the CA that issued it
   * @return the identifier
   * @throws IllegalArgumentException if the certificate's issuer name is not the issuer's subject
   */
  public static OcspCertificateId of(X509Certificate certificate, X509Certificate issuer) {
    return compute(OcspDer.SHA1, certificate, issuer);
  }

  /**
   * Makes the SHA-256 identifier of a certificate. Not every responder understands it; prefer
   * {@link #of(X509Certificate, X509Certificate)}.
   *
   * @param certificate the certificate to ask about
   * @param issuer the certificate of the CA that issued it
   * @return the identifier
   * @throws IllegalArgumentException if the certificate's issuer name is not the issuer's subject
   */
  public static OcspCertificateId sha256(X509Certificate certificate, X509Certificate issuer) {
    return compute(OcspDer.SHA256, certificate, issuer);
  }

  /**
   * Makes an identifier from its parts, for responders and tests that need one not computed from
   * certificates.
   *
   * @param hashAlgorithmOid the dotted object identifier of the hash algorithm
   * @param issuerNameHash the hash of the DER encoding of the issuer's name
   * @param issuerKeyHash the hash of the issuer's public key bits
   * @param serialNumber the certificate's serial number
   * @return the identifier
   * @throws IllegalArgumentException if the OID does not parse or a hash is empty
   */
  public static OcspCertificateId of(String hashAlgorithmOid, byte[] issuerNameHash,
      byte[] issuerKeyHash, BigInteger serialNumber) {
    Objects.requireNonNull(hashAlgorithmOid, "hashAlgorithmOid");
    Objects.requireNonNull(issuerNameHash, "issuerNameHash");
    Objects.requireNonNull(issuerKeyHash, "issuerKeyHash");
    Objects.requireNonNull(serialNumber, "serialNumber");
    GeneralName.registeredId(hashAlgorithmOid);
    if (issuerNameHash.length == 0 || issuerKeyHash.length == 0) {
      throw new IllegalArgumentException("issuerNameHash and issuerKeyHash must not be empty");
    }
    return new OcspCertificateId(
        hashAlgorithmOid, issuerNameHash.clone(), issuerKeyHash.clone(), serialNumber);
  }

  private static OcspCertificateId compute(
      String hashOid, X509Certificate certificate, X509Certificate issuer) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(issuer, "issuer");
    requireIssuedBy(certificate, issuer);
    return new OcspCertificateId(hashOid,
        OcspDer.digest(hashOid, certificate.getIssuerX500Principal().getEncoded()),
        OcspDer.digest(hashOid, OcspDer.keyBits(issuer.getPublicKey())),
        certificate.getSerialNumber());
  }

  static void requireIssuedBy(X509Certificate certificate, X509Certificate issuer) {
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new IllegalArgumentException(CertificateInfo.describe(certificate) + " was issued by '"
          + certificate.getIssuerX500Principal().getName() + "', not by the issuer given, "
          + CertificateInfo.describe(issuer));
    }
  }

  static OcspCertificateId fromAsn1(CertID id) {
    return new OcspCertificateId(id.getHashAlgorithm().getAlgorithm().getId(),
        id.getIssuerNameHash().getOctets(), id.getIssuerKeyHash().getOctets(),
        id.getSerialNumber().getValue());
  }

  CertID toAsn1() {
    return new CertID(
        new AlgorithmIdentifier(new ASN1ObjectIdentifier(hashAlgorithmOid), DERNull.INSTANCE),
        new DEROctetString(issuerNameHash), new DEROctetString(issuerKeyHash),
        new ASN1Integer(serialNumber));
  }

  /**
   * Returns whether this identifier names a certificate, computing the hashes with this
   * identifier's own algorithm. The name hash may be over the certificate's issuer field or the
   * issuer's subject field; they differ only in encoding, and responders use either.
   *
   * @param certificate a certificate
   * @param issuer the certificate of the CA that issued it
   * @return true if serial number, issuer name hash and issuer key hash all match; false also if
   *     this identifier's hash algorithm is not SHA-1, SHA-256, SHA-384 or SHA-512
   */
  public boolean matches(X509Certificate certificate, X509Certificate issuer) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(issuer, "issuer");
    if (!serialNumber.equals(certificate.getSerialNumber())
        || OcspDer.hashName(hashAlgorithmOid) == null) {
      return false;
    }
    byte[] keyHash = OcspDer.digest(hashAlgorithmOid, OcspDer.keyBits(issuer.getPublicKey()));
    if (!MessageDigest.isEqual(keyHash, issuerKeyHash)) {
      return false;
    }
    return MessageDigest.isEqual(issuerNameHash,
            OcspDer.digest(hashAlgorithmOid, certificate.getIssuerX500Principal().getEncoded()))
        || MessageDigest.isEqual(issuerNameHash,
            OcspDer.digest(hashAlgorithmOid, issuer.getSubjectX500Principal().getEncoded()));
  }

  /**
   * Returns the hash algorithm of the two issuer hashes.
   *
   * @return a dotted object identifier, {@code 1.3.14.3.2.26} for SHA-1
   */
  public String hashAlgorithmOid() {
    return hashAlgorithmOid;
  }

  /**
   * Returns the hash of the DER encoding of the issuer's distinguished name.
   *
   * @return a copy of the hash
   */
  public byte[] issuerNameHash() {
    return issuerNameHash.clone();
  }

  /**
   * Returns the hash of the issuer's public key: the value of the subjectPublicKey BIT STRING of
   * the issuer's certificate, without tag, length and unused-bits count.
   *
   * @return a copy of the hash
   */
  public byte[] issuerKeyHash() {
    return issuerKeyHash.clone();
  }

  /**
   * Returns the serial number of the certificate.
   *
   * @return the serial number
   */
  public BigInteger serialNumber() {
    return serialNumber;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OcspCertificateId id
        && hashAlgorithmOid.equals(id.hashAlgorithmOid)
        && Arrays.equals(issuerNameHash, id.issuerNameHash)
        && Arrays.equals(issuerKeyHash, id.issuerKeyHash)
        && serialNumber.equals(id.serialNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hashAlgorithmOid, Arrays.hashCode(issuerNameHash),
        Arrays.hashCode(issuerKeyHash), serialNumber);
  }

  /**
   * Describes the identifier for messages.
   *
   * @return for instance {@code serial 1f (SHA-1, issuer name hash 3a0f.., key hash 99e1..)}
   */
  @Override
  public String toString() {
    String hash = OcspDer.hashName(hashAlgorithmOid);
    HexFormat hex = HexFormat.of();
    return "serial " + serialNumber.toString(16) + " (" + (hash != null ? hash : hashAlgorithmOid)
        + ", issuer name hash " + hex.formatHex(issuerNameHash) + ", key hash "
        + hex.formatHex(issuerKeyHash) + ")";
  }
}
