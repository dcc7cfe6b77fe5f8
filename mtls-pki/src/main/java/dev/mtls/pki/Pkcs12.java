package dev.mtls.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * Reads and writes PKCS#12 files ({@code .p12}, {@code .pfx}): a password-protected container of
 * private keys and certificates, the format of {@code openssl pkcs12 -export} and of the JDK's
 * default keystore.
 *
 * <p>An <em>identity</em> file holds one private key with its certificate chain, what a TLS peer
 * presents; a <em>trust</em> file holds only certificates, the CAs a peer accepts. Both modern
 * files (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC: OpenSSL 3's default) and legacy files
 * ({@code openssl pkcs12 -legacy}: RC2 or 3DES, SHA-1 MAC) are read. Files are written in the
 * modern form only, with {@link Pem#PBKDF2_ITERATIONS} iterations for encryption and MAC.
 *
 * <p>Unlike the JDK's {@code KeyStore.getInstance("PKCS12")}, which shows a certificate-only file
 * made by OpenSSL as empty, {@link #readTrust(Path, char[])} returns its certificates, and an
 * empty trust store is an error. Errors are {@link PkiException}s naming the file, what was found
 * and what was expected; a wrong password has its own message. Input larger than
 * {@link Pem#MAX_INPUT_BYTES} is refused.
 */
public final class Pkcs12 {
  private static final String IDENTITY = "a PKCS#12 identity (one private key and its certificates)";
  private static final String TRUST = "a PKCS#12 trust store (certificates)";
  /** Oracle's attribute that marks a certificate bag as trusted for the JDK's keystore. */
  private static final ASN1ObjectIdentifier JDK_TRUSTED_KEY_USAGE =
      new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

  private Pkcs12() {}

  /**
   * Reads the one private key of a PKCS#12 file and its certificate chain.
   *
   * @param file the file
   * @param password the file's password (an empty array for none)
   * @return the key with its certificate first, then its issuers up to but not including a
   *     self-signed root
   * @throws PkiException if the file cannot be read, the password is wrong, the file holds no
   *     key or several (the message lists their aliases), or the key has no certificate
   */
  public static CertifiedKey readIdentity(Path file, char[] password) {
    return identity(read(file, password, IDENTITY), Inputs.name(file), null);
  }

  /**
   * Reads the private key with the given alias (friendly name) and its certificate chain.
   *
   * @param file the file
   * @param password the file's password
   * @param alias the friendly name of the key
   * @return the key and its chain
   * @throws PkiException as {@link #readIdentity(Path, char[])}, or if no key has this alias
   */
  public static CertifiedKey readIdentity(Path file, char[] password, String alias) {
    Objects.requireNonNull(alias, "alias");
    return identity(read(file, password, IDENTITY), Inputs.name(file), alias);
  }

  /**
   * Reads the one private key of PKCS#12 bytes and its certificate chain.
   *
   * @param pkcs12 the file's content
   * @param source where the bytes came from, for messages
   * @param password the password
   * @return the key and its chain
   * @throws PkiException as {@link #readIdentity(Path, char[])}
   */
  public static CertifiedKey readIdentity(byte[] pkcs12, String source, char[] password) {
    Objects.requireNonNull(source, "source");
    return identity(Pkcs12Reader.read(pkcs12, source, password), source, null);
  }

  /**
   * Reads the trusted certificates of a PKCS#12 file: the certificates that belong to no private
   * key in it (a file made with {@code openssl pkcs12 -export -nokeys}, or a JDK truststore).
   *
   * @param file the file
   * @param password the file's password (an empty array for none)
   * @return the certificates in file order; never empty
   * @throws PkiException if the file cannot be read, the password is wrong or the file holds no
   *     trusted certificate
   */
  public static List<X509Certificate> readTrust(Path file, char[] password) {
    return trust(read(file, password, TRUST), Inputs.name(file));
  }

  /**
   * Reads the trusted certificates of PKCS#12 bytes.
   *
   * @param pkcs12 the file's content
   * @param source where the bytes came from, for messages
   * @param password the password
   * @return the certificates; never empty
   * @throws PkiException as {@link #readTrust(Path, char[])}
   */
  public static List<X509Certificate> readTrust(byte[] pkcs12, String source, char[] password) {
    Objects.requireNonNull(source, "source");
    return trust(Pkcs12Reader.read(pkcs12, source, password), source);
  }

  private static Pkcs12Reader read(Path file, char[] password, String expected) {
    Objects.requireNonNull(file, "file");
    return Pkcs12Reader.read(Inputs.read(file, expected), Inputs.name(file), password);
  }

  private static CertifiedKey identity(Pkcs12Reader p12, String source, String alias) {
    List<Pkcs12Reader.Key> keys = alias == null ? p12.keys
        : p12.keys.stream().filter(k -> alias.equals(k.alias())).toList();
    if (keys.size() != 1) {
      String found = p12.keys.isEmpty() ? "no private key (" + p12.certs.size() + " certificates)"
          : p12.keys.size() + " private keys (aliases " + p12.keys.stream()
              .map(k -> k.alias() == null ? "(none)" : "'" + k.alias() + "'")
              .sorted()
              .collect(Collectors.joining(", ")) + ")";
      String expected = alias == null ? "exactly one private key (pass an alias to choose one)"
          : "a private key with alias '" + alias + "'";
      throw new PkiException(source + ": found " + found + "; expected " + expected);
    }
    Pkcs12Reader.Key key = keys.get(0);
    X509Certificate leaf = p12.certificateOf(key);
    Certificates.requireKeyMatches(key.key(), leaf, source);
    return new CertifiedKey(key.key(), chain(leaf, p12));
  }

  /** The leaf, then each issuer found in the file, stopping before a self-signed root. */
  private static List<X509Certificate> chain(X509Certificate leaf, Pkcs12Reader p12) {
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
    Set<X509Certificate> used = new HashSet<>(chain);
    X509Certificate current = leaf;
    while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
      X509Certificate issuer = null;
      for (Pkcs12Reader.Cert cert : p12.certs) {
        X509Certificate candidate = cert.certificate();
        if (!used.contains(candidate)
            && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
          issuer = candidate;
          break;
        }
      }
      if (issuer == null || Certificates.isSelfSigned(issuer)) {
        break;
      }
      chain.add(issuer);
      used.add(issuer);
      current = issuer;
    }
    return chain;
  }

  private static List<X509Certificate> trust(Pkcs12Reader p12, String source) {
    List<X509Certificate> trusted = p12.unattached();
    if (trusted.isEmpty()) {
      throw new PkiException(source + ": found " + (p12.keys.isEmpty()
          ? "no certificate" : p12.keys.size() + " private key(s) and no other certificate")
          + "; expected trusted certificates (an empty trust store trusts nothing)");
    }
    return trusted;
  }

  /**
   * Writes an identity: the private key in a shrouded key bag and the chain in an encrypted
   * certificate bag, both with AES-256-CBC and PBKDF2-HMAC-SHA256, and an HMAC-SHA256 MAC. The
   * key and its certificate share a local key id; the key's friendly name is {@code identity}.
   * OpenSSL 1.1.1 and later and the JDK (17.0.1 and later, and 11.0.12 and later) read it.
   *
   * @param key the key and its chain
   * @param password the password; it is not kept
   * @return the file's content
   */
  public static byte[] writeIdentity(CertifiedKey key, char[] password) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(password, "password");
    try {
      DEROctetString keyId = new DEROctetString(Certificates.sha256(key.certificate().getEncoded()));
      DERBMPString name = new DERBMPString("identity");
      List<PKCS12SafeBag> certBags = new ArrayList<>();
      for (X509Certificate cert : key.chain()) {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(cert);
        if (cert.equals(key.certificate())) {
          bag.addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, name);
          bag.addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, keyId);
        }
        certBags.add(bag.build());
      }
      PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(
          PemEncoder.pkcs8(key.privateKey()), PemEncoder.pbes2(password));
      keyBag.addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, name);
      keyBag.addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, keyId);
      return build(certBags, keyBag.build(), password);
    } catch (IOException | java.security.cert.CertificateEncodingException e) {
      throw new PkiException("Cannot encode the PKCS#12 identity of " + key, e);
    }
  }

  /**
   * Writes a trust store: the certificates in one encrypted certificate bag (AES-256-CBC,
   * PBKDF2-HMAC-SHA256) with an HMAC-SHA256 MAC. Each certificate's friendly name is its subject,
   * and each carries the attribute by which the JDK's {@code KeyStore} recognises a trusted
   * certificate entry, so that the JDK reads the file too.
   *
   * @param certificates the trusted certificates
   * @param password the password; it is not kept
   * @return the file's content
   * @throws IllegalArgumentException if there is no certificate
   */
  public static byte[] writeTrust(List<X509Certificate> certificates, char[] password) {
    Objects.requireNonNull(password, "password");
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("No certificates: an empty trust store trusts nothing");
    }
    try {
      List<PKCS12SafeBag> bags = new ArrayList<>();
      Set<String> aliases = new HashSet<>();
      for (X509Certificate cert : certificates) {
        String alias = cert.getSubjectX500Principal().getName();
        for (int n = 2; !aliases.add(alias); n++) {
          alias = cert.getSubjectX500Principal().getName() + " (" + n + ")";
        }
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(cert);
        bag.addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, new DERBMPString(alias));
        bag.addBagAttribute(JDK_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
        bags.add(bag.build());
      }
      return build(bags, null, password);
    } catch (IOException e) {
      throw new PkiException("Cannot encode a PKCS#12 trust store", e);
    }
  }

  private static byte[] build(List<PKCS12SafeBag> certBags, PKCS12SafeBag keyBag, char[] password)
      throws IOException {
    OutputEncryptor encryptor = PemEncoder.pbes2(password);
    PKCS12PfxPduBuilder builder = new PKCS12PfxPduBuilder();
    builder.addEncryptedData(encryptor, certBags.toArray(PKCS12SafeBag[]::new));
    if (keyBag != null) {
      builder.addData(keyBag);
    }
    BcPKCS12MacCalculatorBuilder mac = new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE))
        .setIterationCount(Pem.PBKDF2_ITERATIONS);
    try {
      return builder.build(mac, password).getEncoded("DER");
    } catch (PKCSException e) {
      throw new IllegalStateException("Cannot compute the PKCS#12 MAC", e);
    }
  }
}
