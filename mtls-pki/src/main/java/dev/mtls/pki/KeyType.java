package dev.mtls.pki;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Locale;

/**
 * The kinds of key pair this library generates. EC P-256 is the default everywhere: small, fast
 * and accepted by every TLS stack. RSA is there for peers that require it; Ed25519 for peers that
 * support it (not every TLS 1.2 stack does).
 */
public enum KeyType {
  /** Elliptic curve NIST P-256 (secp256r1), signatures with ECDSA and SHA-256. */
  EC_P256("EC", 256),
  /** Elliptic curve NIST P-384 (secp384r1), signatures with ECDSA and SHA-384. */
  EC_P384("EC", 384),
  /** RSA with a 2048-bit modulus, signatures with SHA-256. The smallest size still accepted. */
  RSA_2048("RSA", 2048),
  /** RSA with a 3072-bit modulus, signatures with SHA-256. */
  RSA_3072("RSA", 3072),
  /** RSA with a 4096-bit modulus, signatures with SHA-256. */
  RSA_4096("RSA", 4096),
  /** Edwards curve Ed25519 (RFC 8410), signatures with PureEdDSA. */
  ED25519("Ed25519", 255);

  private final String algorithm;
  private final int bits;

  KeyType(String algorithm, int bits) {
    this.algorithm = algorithm;
    this.bits = bits;
  }

  /**
   * Returns the JCA key algorithm name: {@code EC}, {@code RSA} or {@code Ed25519}.
   *
   * @return the JCA algorithm name
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * Returns the key size in bits (the field size for EC and EdDSA keys, the modulus for RSA).
   *
   * @return the key size in bits
   */
  public int bits() {
    return bits;
  }

  /**
   * Generates a fresh key pair of this type with a strong random source.
   *
   * @return a new key pair
   */
  public KeyPair generate() {
    return generate(new SecureRandom());
  }

  /**
   * Generates a fresh key pair of this type.
   *
   * @param random the source of randomness
   * @return a new key pair
   */
  public KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, Providers.BC);
      switch (this) {
        case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        case EC_P384 -> generator.initialize(new ECGenParameterSpec("secp384r1"), random);
        case RSA_2048, RSA_3072, RSA_4096 -> generator.initialize(bits, random);
        case ED25519 -> { }
        default -> throw new AssertionError(this);
      }
      return generator.generateKeyPair();
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("Cannot initialise a " + this + " key generator", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("No " + algorithm + " key generator available", e);
    }
  }

  /**
   * Identifies the type of a public key, if it is one this library generates.
   *
   * @param key a public key
   * @return its type
   * @throws IllegalArgumentException if the key is of another algorithm or size (DSA, RSA-1024,
   *     an EC curve other than P-256 and P-384), with the key's algorithm and size in the message
   */
  public static KeyType of(PublicKey key) {
    String alg = key.getAlgorithm().toUpperCase(Locale.ROOT);
    if (key instanceof RSAPublicKey rsa) {
      int size = rsa.getModulus().bitLength();
      for (KeyType type : values()) {
        if (type.algorithm.equals("RSA") && type.bits == size) {
          return type;
        }
      }
      throw new IllegalArgumentException("Unsupported RSA key size: " + size + " bits");
    }
    if (key instanceof ECPublicKey ec) {
      if (isCurve(ec.getParams(), "secp256r1")) {
        return EC_P256;
      }
      if (isCurve(ec.getParams(), "secp384r1")) {
        return EC_P384;
      }
      int size = ec.getParams().getCurve().getField().getFieldSize();
      throw new IllegalArgumentException(
          "Unsupported EC curve with a " + size + "-bit field (expected P-256 or P-384)");
    }
    if (alg.equals("ED25519") || alg.equals("EDDSA")) {
      return ED25519;
    }
    throw new IllegalArgumentException("Unsupported key algorithm: " + key.getAlgorithm());
  }

  private static boolean isCurve(ECParameterSpec params, String curveName) {
    try {
      AlgorithmParameters named = AlgorithmParameters.getInstance("EC", Providers.BC);
      named.init(new ECGenParameterSpec(curveName));
      ECParameterSpec spec = named.getParameterSpec(ECParameterSpec.class);
      return spec.getOrder().equals(params.getOrder())
          && spec.getCurve().equals(params.getCurve())
          && spec.getGenerator().equals(params.getGenerator());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot look up the parameters of curve " + curveName, e);
    }
  }
}
