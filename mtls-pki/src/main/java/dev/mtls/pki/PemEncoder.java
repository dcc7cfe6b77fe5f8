package dev.mtls.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/** The writing half of {@link Pem}: PEM text and the key encodings OpenSSL reads. */
final class PemEncoder {
  private static final int LINE = 64;

  private PemEncoder() {}

  /** Encodes one block: BEGIN line, base64 in 64-character lines, END line, each ending in LF. */
  static String block(String label, byte[] der) {
    String base64 = Base64.getEncoder().encodeToString(der);
    StringBuilder out = new StringBuilder(base64.length() + base64.length() / LINE + 64);
    out.append("-----BEGIN ").append(label).append("-----\n");
    for (int i = 0; i < base64.length(); i += LINE) {
      out.append(base64, i, Math.min(base64.length(), i + LINE)).append('\n');
    }
    return out.append("-----END ").append(label).append("-----\n").toString();
  }

  /** The PKCS#8 PrivateKeyInfo of a key whose encoding the JCA exposes. */
  static PrivateKeyInfo pkcs8(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("The " + key.getAlgorithm()
          + " key does not expose a PKCS#8 encoding (format " + key.getFormat()
          + "); a key held in a token cannot be written");
    }
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
    if (info.hasPublicKey()) {
      // Bouncy Castle writes EdDSA keys as version 2 (RFC 5958) with the public key, which
      // OpenSSL 3.0 refuses; version 1 without it is what OpenSSL and the JDK write.
      try {
        return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(),
            info.getAttributes());
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot decode the " + key.getAlgorithm()
            + " key's PKCS#8 encoding", e);
      }
    }
    return info;
  }

  /** The DER of {@link #pkcs8(PrivateKey)}. */
  static byte[] pkcs8Der(PrivateKey key) {
    try {
      return pkcs8(key).getEncoded();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot encode the " + key.getAlgorithm() + " key", e);
    }
  }

  /** An OutputEncryptor for PBES2: AES-256-CBC, PBKDF2 with HMAC-SHA256, random salt. */
  static OutputEncryptor pbes2(char[] password) {
    Objects.requireNonNull(password, "password");
    try {
      return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
          .setProvider(Providers.BC)
          .setRandom(new SecureRandom())
          .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
          .setIterationCount(Pem.PBKDF2_ITERATIONS)
          .build(password);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("AES-256-CBC with PBKDF2-HMAC-SHA256 is unavailable", e);
    }
  }

  static byte[] encryptedPkcs8(PrivateKey key, char[] password) {
    PrivateKeyInfo info = pkcs8(key);
    try {
      return new PKCS8EncryptedPrivateKeyInfoBuilder(info).build(pbes2(password)).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode an encrypted " + key.getAlgorithm() + " key", e);
    }
  }

  /** The PKCS#1 RSAPrivateKey inside a PKCS#8 RSA key. */
  static byte[] rsa(PrivateKey key) {
    PrivateKeyInfo info = pkcs8(key);
    if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
      throw new IllegalArgumentException("Not an RSA key: " + key.getAlgorithm()
          + " (PKCS#1 RSA PRIVATE KEY holds rsaEncryption keys only)");
    }
    try {
      return info.parsePrivateKey().toASN1Primitive().getEncoded();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot decode the RSA key's PKCS#8 encoding", e);
    }
  }

  /**
   * The SEC1 ECPrivateKey of a PKCS#8 EC key, with the curve parameters and the public key that
   * OpenSSL writes (the JDK's own encoding leaves the public key out, so it is recomputed).
   */
  static byte[] ec(PrivateKey key) {
    PrivateKeyInfo info = pkcs8(key);
    if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      throw new IllegalArgumentException("Not an EC key: " + key.getAlgorithm()
          + " (SEC1 EC PRIVATE KEY holds id-ecPublicKey keys only)");
    }
    try {
      ASN1Encodable parameters = info.getPrivateKeyAlgorithm().getParameters();
      org.bouncycastle.asn1.sec.ECPrivateKey inner =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      BigInteger d = inner.getKey();
      X9ECParameters curve = curve(X962Parameters.getInstance(parameters));
      DERBitString publicKey = inner.getPublicKey() != null
          ? DERBitString.convert(inner.getPublicKey())
          : new DERBitString(publicPoint(curve, d).getEncoded(false));
      int orderBits = curve.getN().bitLength();
      return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, d, publicKey, parameters)
          .getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot re-encode the " + key.getAlgorithm()
          + " key as SEC1", e);
    }
  }

  private static X9ECParameters curve(X962Parameters parameters) {
    if (parameters.isNamedCurve()) {
      X9ECParameters named = ECNamedCurveTable.getByOID(
          org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(parameters.getParameters()));
      if (named == null) {
        throw new IllegalArgumentException("Unknown named curve " + parameters.getParameters());
      }
      return named;
    }
    return X9ECParameters.getInstance(ASN1Primitive.class.cast(parameters.getParameters()));
  }

  private static ECPoint publicPoint(X9ECParameters curve, BigInteger d) {
    return new FixedPointCombMultiplier().multiply(curve.getG(), d).normalize();
  }
}
