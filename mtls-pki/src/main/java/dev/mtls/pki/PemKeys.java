package dev.mtls.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Decodes private and public keys from PEM blocks into JDK key objects (from the JDK's own key
 * factories where they know the algorithm, so that JSSE uses them without a registered Bouncy
 * Castle provider).
 */
final class PemKeys {
  static final String WRONG_PASSWORD = "a key that does not decrypt with the given password"
      + " (wrong password)";

  private PemKeys() {}

  /** Decodes the private key block, using a preceding EC PARAMETERS block if the key needs it. */
  static PrivateKey privateKey(List<PemBlock> blocks, PemBlock block, char[] password) {
    PrivateKeyInfo info = switch (block.label()) {
      case "PRIVATE KEY" -> pkcs8(block);
      case "ENCRYPTED PRIVATE KEY" -> encryptedPkcs8(block, password);
      case "RSA PRIVATE KEY" -> rsa(block, password);
      case "EC PRIVATE KEY" -> ec(blocks, block, password);
      default -> throw new IllegalArgumentException(block.label());
    };
    return toJdk(info, block);
  }

  private static PrivateKeyInfo pkcs8(PemBlock block) {
    try {
      return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(block.der()));
    } catch (IOException | RuntimeException e) {
      throw block.error(DerShapes.describe(block.der()),
          "an unencrypted PKCS#8 private key under label PRIVATE KEY", e);
    }
  }

  private static PrivateKeyInfo encryptedPkcs8(PemBlock block, char[] password) {
    EncryptedPrivateKeyInfo info;
    try {
      info = EncryptedPrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(block.der()));
    } catch (IOException | RuntimeException e) {
      throw block.error(DerShapes.describe(block.der()),
          "an encrypted PKCS#8 private key under label ENCRYPTED PRIVATE KEY", e);
    }
    requirePassword(block, password);
    InputDecryptor decryptor;
    try {
      InputDecryptorProvider provider =
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Providers.BC).build(password);
      decryptor = provider.get(info.getEncryptionAlgorithm());
    } catch (OperatorCreationException | RuntimeException e) {
      throw block.error("unsupported encryption " + info.getEncryptionAlgorithm().getAlgorithm(),
          "PBES2 (PBKDF2 with AES or 3DES) or PKCS#12 PBE", e);
    }
    try (InputStream in = decryptor.getInputStream(new ByteArrayInputStream(info.getEncryptedData()))) {
      return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(in.readAllBytes()));
    } catch (IOException | RuntimeException e) {
      throw block.error(WRONG_PASSWORD, "the password the key was encrypted with", e);
    }
  }

  private static PrivateKeyInfo rsa(PemBlock block, char[] password) {
    byte[] der = legacyDecrypt(block, password);
    try {
      RSAPrivateKey key = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
      return new PrivateKeyInfo(
          new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), key);
    } catch (IOException | RuntimeException e) {
      throw notWhatLabelSays(block, der, "a PKCS#1 RSAPrivateKey", "an RSA private key", e);
    }
  }

  private static PrivateKeyInfo ec(List<PemBlock> blocks, PemBlock block, char[] password) {
    byte[] der = legacyDecrypt(block, password);
    ECPrivateKey key;
    try {
      key = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
      key.getKey(); // forces the mandatory fields to be decoded
    } catch (IOException | RuntimeException e) {
      throw notWhatLabelSays(block, der, "a SEC1 ECPrivateKey", "an EC private key", e);
    }
    ASN1Encodable parameters = key.getParametersObject();
    if (parameters == null) {
      parameters = ecParameters(blocks, block);
    }
    try {
      return new PrivateKeyInfo(
          new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, parameters), key);
    } catch (IOException e) {
      throw block.error("an EC private key that cannot be re-encoded", "a SEC1 EC private key", e);
    }
  }

  /** The parameters of the last EC PARAMETERS block before the key, as OpenSSL writes them. */
  private static ASN1Encodable ecParameters(List<PemBlock> blocks, PemBlock key) {
    PemBlock found = null;
    for (PemBlock b : blocks) {
      if (b.index() < key.index() && b.label().equals("EC PARAMETERS")) {
        found = b;
      }
    }
    if (found == null) {
      throw key.error("an EC private key without curve parameters",
          "parameters in the key or in a preceding EC PARAMETERS block");
    }
    try {
      return ASN1Primitive.fromByteArray(found.der());
    } catch (IOException e) {
      throw found.error(found.der().length + " bytes that are not DER", "EC curve parameters", e);
    }
  }

  private static PkiException notWhatLabelSays(
      PemBlock block, byte[] der, String structure, String expected, Exception cause) {
    if (block.headers().containsKey("DEK-Info")) {
      return block.error(WRONG_PASSWORD, "the password the key was encrypted with", cause);
    }
    return block.error(DerShapes.describe(der), structure + " (" + expected + ") under label "
        + block.label(), cause);
  }

  /** Decrypts an OpenSSL "traditional" key (Proc-Type: 4,ENCRYPTED and DEK-Info headers). */
  private static byte[] legacyDecrypt(PemBlock block, char[] password) {
    String procType = block.headers().get("Proc-Type");
    if (procType == null) {
      return block.der();
    }
    String dekInfo = block.headers().get("DEK-Info");
    int comma = dekInfo == null ? -1 : dekInfo.indexOf(',');
    if (!procType.equals("4,ENCRYPTED") || comma < 0) {
      throw block.error("headers Proc-Type: " + procType + ", DEK-Info: " + dekInfo,
          "Proc-Type: 4,ENCRYPTED and DEK-Info: CIPHER,HEXIV");
    }
    requirePassword(block, password);
    String cipher = dekInfo.substring(0, comma).strip();
    byte[] iv;
    try {
      iv = HexFormat.of().parseHex(dekInfo.substring(comma + 1).strip());
    } catch (IllegalArgumentException e) {
      throw block.error("DEK-Info: " + dekInfo, "a hexadecimal IV after the cipher name", e);
    }
    PEMDecryptorProvider provider =
        new JcePEMDecryptorProviderBuilder().setProvider(Providers.BC).build(password);
    try {
      return provider.get(cipher).decrypt(block.der(), iv);
    } catch (OperatorCreationException e) {
      throw block.error("unsupported cipher " + cipher + " in DEK-Info",
          "AES-128/192/256-CBC or DES-EDE3-CBC", e);
    } catch (PEMException | RuntimeException e) {
      throw block.error(WRONG_PASSWORD, "the password the key was encrypted with", e);
    }
  }

  private static void requirePassword(PemBlock block, char[] password) {
    if (password == null) {
      throw block.error("an encrypted private key and no password",
          "a password to decrypt it with");
    }
  }

  /** Converts to a JDK key object; Bouncy Castle only for algorithms the JDK does not know. */
  static PrivateKey toJdk(PrivateKeyInfo info, PemBlock block) {
    String algorithm = jdkAlgorithm(info.getPrivateKeyAlgorithm().getAlgorithm().getId());
    try {
      byte[] encoded = info.getEncoded();
      if (algorithm != null) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (GeneralSecurityException ignored) {
          // A curve or variant the JDK does not support: let Bouncy Castle try.
        }
      }
      return new JcaPEMKeyConverter().setProvider(Providers.BC).getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw block.error("a private key of algorithm "
          + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + " that cannot be decoded",
          "an RSA, EC or EdDSA private key", e);
    }
  }

  /** Decodes a PUBLIC KEY (SubjectPublicKeyInfo) or RSA PUBLIC KEY (PKCS#1) block. */
  static PublicKey publicKey(PemBlock block) {
    SubjectPublicKeyInfo info;
    try {
      if (block.label().equals("RSA PUBLIC KEY")) {
        info = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(block.der())));
      } else {
        info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(block.der()));
      }
    } catch (IOException | RuntimeException e) {
      throw block.error(DerShapes.describe(block.der()), (block.label().equals("PUBLIC KEY")
          ? "a SubjectPublicKeyInfo" : "a PKCS#1 RSAPublicKey") + " under label " + block.label(), e);
    }
    String algorithm = jdkAlgorithm(info.getAlgorithm().getAlgorithm().getId());
    try {
      byte[] encoded = info.getEncoded();
      if (algorithm != null) {
        try {
          return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException ignored) {
          // Not supported by the JDK: let Bouncy Castle try.
        }
      }
      return new JcaPEMKeyConverter().setProvider(Providers.BC).getPublicKey(info);
    } catch (IOException | RuntimeException e) {
      throw block.error("a public key of algorithm " + info.getAlgorithm().getAlgorithm().getId()
          + " that cannot be decoded", "an RSA, EC or EdDSA public key", e);
    }
  }

  private static String jdkAlgorithm(String oid) {
    return switch (oid) {
      case "1.2.840.113549.1.1.1" -> "RSA";
      case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
      case "1.2.840.10045.2.1" -> "EC";
      case "1.3.101.112" -> "Ed25519";
      case "1.3.101.113" -> "Ed448";
      default -> null;
    };
  }
}
