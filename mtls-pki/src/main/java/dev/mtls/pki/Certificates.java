package dev.mtls.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Facts about certificates that every layer needs: fingerprints, SPKI pins, whether a private key
 * belongs to a certificate.
 */
public final class Certificates {
  private static final String PIN_PREFIX = "sha256/";

  private Certificates() {}

  /**
   * Returns the SHA-256 fingerprint of the certificate's DER encoding, as {@code openssl x509
   * -fingerprint -sha256} prints it: upper-case hex pairs separated by colons.
   *
   * @param certificate a certificate
   * @return the fingerprint, such as {@code 3A:9F:...}
   */
  public static String sha256Fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new PkiException("Cannot encode certificate " + subjectOf(certificate), e);
    }
  }

  /**
   * Returns the SPKI pin of a certificate: {@code sha256/} followed by the Base64 of the SHA-256
   * hash of its DER-encoded SubjectPublicKeyInfo. This is the format of OkHttp's
   * {@code CertificatePinner} and of HPKP. A pin names a key, not a certificate, so it survives
   * re-issuing a certificate for the same key.
   *
   * @param certificate a certificate
   * @return the pin, such as {@code sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}
   */
  public static String spkiPin(X509Certificate certificate) {
    return spkiPin(certificate.getPublicKey());
  }

  /**
   * Returns the SPKI pin of a public key.
   *
   * @param publicKey a public key
   * @return the pin
   * @see #spkiPin(X509Certificate)
   */
  public static String spkiPin(PublicKey publicKey) {
    return PIN_PREFIX + Base64.getEncoder().encodeToString(sha256(publicKey.getEncoded()));
  }

  /**
   * Returns whether the private key is the other half of the certificate's public key. The check
   * signs a random challenge with the private key and verifies it with the certificate's key, so
   * it works for every key type.
   *
   * @param privateKey a private key
   * @param certificate a certificate
   * @return true if they form a key pair
   */
  public static boolean keyMatches(PrivateKey privateKey, X509Certificate certificate) {
    PublicKey publicKey = certificate.getPublicKey();
    if (!sameFamily(privateKey.getAlgorithm(), publicKey.getAlgorithm())) {
      return false;
    }
    try {
      String algorithm = switch (family(publicKey.getAlgorithm())) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        case "ED25519" -> "Ed25519";
        case "ED448" -> "Ed448";
        default -> throw new PkiException(
            "Cannot check keys of algorithm " + publicKey.getAlgorithm());
      };
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm, Providers.BC);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm, Providers.BC);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A key of the right family but the wrong shape (another curve, for instance).
      return false;
    }
  }

  /**
   * Throws unless the private key is the other half of the certificate's public key.
   *
   * @param privateKey a private key
   * @param certificate a certificate
   * @param source where the key and certificate came from, for the message
   * @throws PkiException naming the source, the certificate's subject and both key algorithms
   */
  public static void requireKeyMatches(
      PrivateKey privateKey, X509Certificate certificate, String source) {
    if (!keyMatches(privateKey, certificate)) {
      throw new PkiException(source + ": the private key (" + privateKey.getAlgorithm()
          + ") does not match the certificate " + subjectOf(certificate) + " (public key "
          + certificate.getPublicKey().getAlgorithm() + ", " + spkiPin(certificate)
          + "); expected the key the certificate was issued for");
    }
  }

  /**
   * Returns whether a certificate is self-issued and verifies with its own public key.
   *
   * @param certificate a certificate
   * @return true if it is self-signed
   */
  public static boolean isSelfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey(), Providers.BC);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String subjectOf(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }

  static BigInteger randomSerial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(159, random);
    } while (serial.signum() == 0);
    return serial;
  }

  /**
   * Returns the SHA-256 digest of some bytes.
   *
   * @param data the bytes
   * @return the 32-byte digest
   */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every Java platform", e);
    }
  }

  private static boolean sameFamily(String a, String b) {
    return family(a).equals(family(b));
  }

  private static String family(String algorithm) {
    String upper = algorithm.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "ECDSA" -> "EC";
      case "EDDSA" -> "ED25519";
      default -> upper;
    };
  }
}
