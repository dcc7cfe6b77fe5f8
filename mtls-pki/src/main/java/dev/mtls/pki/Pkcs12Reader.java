package dev.mtls.pki;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;

/**
 * Opens a PKCS#12 file with Bouncy Castle's PDU classes rather than a {@code KeyStore}: the JDK's
 * keystore shows a certificate-only file made by {@code openssl pkcs12 -export -nokeys} as empty,
 * and reading the bags directly keeps every failure attributable.
 */
final class Pkcs12Reader {
  static final String WRONG_PASSWORD = "a MAC that does not verify with the given password"
      + " (wrong password)";

  /** A private key with its bag attributes. */
  record Key(PrivateKey key, String alias, byte[] localKeyId) {}

  /** A certificate with its bag attributes. */
  record Cert(X509Certificate certificate, String alias, byte[] localKeyId) {}

  private final String source;
  final List<Key> keys = new ArrayList<>();
  final List<Cert> certs = new ArrayList<>();

  private Pkcs12Reader(String source) {
    this.source = source;
  }

  static Pkcs12Reader read(byte[] bytes, String source, char[] password) {
    Pkcs12Reader reader = new Pkcs12Reader(source);
    reader.load(bytes, password);
    return reader;
  }

  private void load(byte[] bytes, char[] password) {
    if (bytes.length == 0) {
      throw new PkiException(source + ": found an empty file; expected a PKCS#12 file");
    }
    Inputs.checkSize(bytes.length, source);
    if (password == null) {
      throw new PkiException(source + ": found a PKCS#12 file and no password; expected a password"
          + " (use an empty array for a file without one)");
    }
    PKCS12PfxPdu pfx;
    try {
      pfx = new PKCS12PfxPdu(bytes);
    } catch (IOException | RuntimeException e) {
      throw error(DerShapes.describe(bytes), "a PKCS#12 file (PFX)", e);
    }
    if (pfx.hasMac()) {
      boolean valid;
      try {
        valid = pfx.isMacValid(
            new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), password);
      } catch (PKCSException | RuntimeException e) {
        throw error("a MAC with algorithm " + pfx.getMacAlgorithmID().getAlgorithm()
            + " that cannot be checked", "an HMAC with SHA-1 or SHA-2", e);
      }
      if (!valid) {
        throw error(WRONG_PASSWORD, "the password the file was made with", null);
      }
    }
    InputDecryptorProvider decryptor =
        new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(Providers.BC).build(password);
    for (ContentInfo content : pfx.getContentInfos()) {
      PKCS12SafeBagFactory factory;
      try {
        factory = content.getContentType().equals(PKCSObjectIdentifiers.encryptedData)
            ? new PKCS12SafeBagFactory(content, decryptor)
            : new PKCS12SafeBagFactory(content);
      } catch (PKCSException | RuntimeException e) {
        throw error("encrypted content that does not decrypt with the given password",
            "the password the file was made with", e);
      }
      for (PKCS12SafeBag bag : factory.getSafeBags()) {
        bag(bag, decryptor);
      }
    }
  }

  private void bag(PKCS12SafeBag bag, InputDecryptorProvider decryptor) {
    String alias = alias(bag);
    byte[] localKeyId = localKeyId(bag);
    if (bag.getType().equals(PKCSObjectIdentifiers.certBag)) {
      X509CertificateHolder holder = (X509CertificateHolder) bag.getBagValue();
      try {
        certs.add(new Cert(CertificateSigner.toJdk(holder.getEncoded()), alias, localKeyId));
      } catch (IOException | java.security.cert.CertificateException e) {
        throw error("a certificate bag that does not decode", "an X.509 certificate", e);
      }
    } else if (bag.getType().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)) {
      PrivateKeyInfo info;
      try {
        info = ((PKCS8EncryptedPrivateKeyInfo) bag.getBagValue()).decryptPrivateKeyInfo(decryptor);
      } catch (PKCSException | RuntimeException e) {
        throw error("a key bag that does not decrypt with the given password",
            "the password the file was made with", e);
      }
      keys.add(new Key(toJdk(info), alias, localKeyId));
    } else if (bag.getType().equals(PKCSObjectIdentifiers.keyBag)) {
      keys.add(new Key(toJdk((PrivateKeyInfo) bag.getBagValue()), alias, localKeyId));
    }
    // CRL, secret and nested bags carry nothing a TLS identity or trust store needs.
  }

  private PrivateKey toJdk(PrivateKeyInfo info) {
    return PemKeys.toJdk(info, new PemBlock(source, 1, "PKCS#12 key bag", 0, Map.of(), new byte[0]));
  }

  private static String alias(PKCS12SafeBag bag) {
    ASN1Encodable value = attribute(bag, PKCS12SafeBag.friendlyNameAttribute);
    return value instanceof ASN1String text ? text.getString() : null;
  }

  private static byte[] localKeyId(PKCS12SafeBag bag) {
    ASN1Encodable value = attribute(bag, PKCS12SafeBag.localKeyIdAttribute);
    return value instanceof ASN1OctetString octets ? octets.getOctets() : null;
  }

  private static ASN1Encodable attribute(
      PKCS12SafeBag bag, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    Attribute[] attributes = bag.getAttributes();
    if (attributes == null) {
      return null;
    }
    for (Attribute attribute : attributes) {
      if (attribute.getAttrType().equals(type) && attribute.getAttrValues().size() > 0) {
        return attribute.getAttrValues().getObjectAt(0);
      }
    }
    return null;
  }

  /** The certificate that belongs to a key: same local key id, else the matching public key. */
  X509Certificate certificateOf(Key key) {
    for (Cert cert : certs) {
      if (key.localKeyId() != null && Arrays.equals(key.localKeyId(), cert.localKeyId())) {
        return cert.certificate();
      }
    }
    for (Cert cert : certs) {
      if (Certificates.keyMatches(key.key(), cert.certificate())) {
        return cert.certificate();
      }
    }
    throw new PkiException(source + ": found a private key" + named(key.alias())
        + " without its certificate; expected a certificate for every key");
  }

  /** Certificates that no key in the file claims: the trusted certificates. */
  List<X509Certificate> unattached() {
    Map<X509Certificate, Boolean> out = new LinkedHashMap<>();
    List<X509Certificate> owned = keys.stream().map(this::certificateOf).toList();
    for (Cert cert : certs) {
      if (!owned.contains(cert.certificate())) {
        out.put(cert.certificate(), true);
      }
    }
    return List.copyOf(out.keySet());
  }

  static String named(String alias) {
    return alias == null ? "" : " '" + alias + "'";
  }

  PkiException error(String found, String expected, Throwable cause) {
    return new PkiException(source + ": found " + found + "; expected " + expected, cause);
  }
}
