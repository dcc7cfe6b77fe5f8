package dev.mtls.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes PEM, the text format of keys and certificates: base64 DER between
 * {@code -----BEGIN LABEL-----} and {@code -----END LABEL-----} lines (RFC 7468).
 *
 * <p><b>Reading.</b> Each kind of content has a method for a file ({@code read...(Path)}) and one
 * for text already in memory ({@code parse...(String)}). What a block holds is decided by its
 * label alone, never by guessing from its content:
 * <ul>
 *   <li>certificates: {@code CERTIFICATE}, and OpenSSL's {@code TRUSTED CERTIFICATE} (a certificate
 *       followed by trust settings, which are ignored); a certificate file may also be DER;
 *   <li>private keys: PKCS#8 {@code PRIVATE KEY}, encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY}
 *       (what OpenSSL 3 writes by default), PKCS#1 {@code RSA PRIVATE KEY} and SEC1
 *       {@code EC PRIVATE KEY}, plain or with OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED}
 *       encryption; an {@code EC PARAMETERS} block before the key is accepted;
 *   <li>public keys: {@code PUBLIC KEY} and PKCS#1 {@code RSA PUBLIC KEY};
 *   <li>certificate requests: {@code CERTIFICATE REQUEST} and {@code NEW CERTIFICATE REQUEST};
 *   <li>CRLs: {@code X509 CRL}; a CRL file may also be DER.
 * </ul>
 * Text between blocks, CRLF line endings and trailing spaces are accepted. A block with a label
 * this class does not know is an error; blocks of other known kinds are skipped, so that one file
 * holding a chain and its key serves both {@link #readCertificates(Path)} and
 * {@link #readPrivateKey(Path, char[])}. Keys are returned as JDK key objects that JSSE key
 * managers accept.
 *
 * <p><b>Errors.</b> Every problem with the input is a {@link PkiException} whose message names
 * the source (the file path, or {@code inline PEM}), the block and line where there is one, what
 * was found and what was expected, for example {@code certs.pem: block 2 (label CERTIFICATE,
 * line 23): found 121 bytes of DER (a PKCS#8 private key); expected an X.509 certificate under
 * label CERTIFICATE}. A wrong password has its own message. Input larger than
 * {@link #MAX_INPUT_BYTES} is refused before it is read.
 *
 * <p><b>Writing.</b> The {@code write...} methods return PEM text with {@code \n} line endings and
 * 64-character base64 lines, as OpenSSL writes it. Encrypted keys use PBES2 with AES-256-CBC and
 * PBKDF2-HMAC-SHA256 ({@link #PBKDF2_ITERATIONS} iterations, a random salt), which OpenSSL 1.1 and
 * later and the JDK read.
 */
public final class Pem {
  /**
   * The largest input accepted, 10 MiB: far more than any certificate bundle (the Mozilla root
   * store is about 250 KiB), small enough that a wrong path (a disk image, {@code /dev/zero})
   * fails fast instead of exhausting memory. Applies to files, inline text and PKCS#12 bytes.
   */
  public static final long MAX_INPUT_BYTES = 10L * 1024 * 1024;

  /**
   * The PBKDF2-HMAC-SHA256 iteration count used to encrypt keys and PKCS#12 files: 600,000, the
   * OWASP Password Storage Cheat Sheet recommendation for this PRF (2023). Decrypting costs
   * about a quarter of a second, once per load; guessing a password costs as much per guess.
   */
  public static final int PBKDF2_ITERATIONS = 600_000;

  private Pem() {}

  /**
   * Reads the certificates of a PEM bundle ({@code CERTIFICATE} and {@code TRUSTED CERTIFICATE}
   * blocks) or of a DER certificate file.
   *
   * @param file the file
   * @return the certificates in file order; never empty
   * @throws PkiException if the file cannot be read or holds no certificate, or a block is not a
   *     certificate; the message names the file and the block
   */
  public static List<X509Certificate> readCertificates(Path file) {
    return PemReader.certificates(Objects.requireNonNull(file, "file"));
  }

  /**
   * Parses the certificates of PEM text.
   *
   * @param pem PEM text with {@code CERTIFICATE} or {@code TRUSTED CERTIFICATE} blocks
   * @return the certificates in text order; never empty
   * @throws PkiException if the text holds no certificate or a block is not a certificate; the
   *     message names {@code inline PEM} and the block
   */
  public static List<X509Certificate> parseCertificates(String pem) {
    return PemReader.certificates(Objects.requireNonNull(pem, "pem"));
  }

  /**
   * Reads the one private key of a PEM file.
   *
   * @param file the file
   * @param password the password of an encrypted key, or null if the key is not encrypted (a
   *     password given for an unencrypted key is ignored, as OpenSSL does)
   * @return the key
   * @throws PkiException if the file cannot be read, holds no private key or more than one, the
   *     key is encrypted and no password was given, or the password is wrong
   */
  public static PrivateKey readPrivateKey(Path file, char[] password) {
    return PemReader.privateKey(Objects.requireNonNull(file, "file"), password);
  }

  /**
   * Parses the one private key of PEM text.
   *
   * @param pem PEM text
   * @param password the password of an encrypted key, or null if the key is not encrypted
   * @return the key
   * @throws PkiException as {@link #readPrivateKey(Path, char[])} does, naming {@code inline PEM}
   */
  public static PrivateKey parsePrivateKey(String pem, char[] password) {
    return PemReader.privateKey(Objects.requireNonNull(pem, "pem"), password);
  }

  /**
   * Reads the one public key ({@code PUBLIC KEY} or {@code RSA PUBLIC KEY}) of a PEM file.
   *
   * @param file the file
   * @return the key
   * @throws PkiException if the file cannot be read or does not hold exactly one public key
   */
  public static PublicKey readPublicKey(Path file) {
    return PemReader.publicKey(Objects.requireNonNull(file, "file"));
  }

  /**
   * Parses the one public key of PEM text.
   *
   * @param pem PEM text
   * @return the key
   * @throws PkiException if the text does not hold exactly one public key
   */
  public static PublicKey parsePublicKey(String pem) {
    return PemReader.publicKey(Objects.requireNonNull(pem, "pem"));
  }

  /**
   * Reads the one certificate signing request of a PEM file. Its signature is not checked here:
   * call {@link CertificationRequest#verify()}.
   *
   * @param file the file
   * @return the request
   * @throws PkiException if the file cannot be read or does not hold exactly one request
   */
  public static CertificationRequest readCertificationRequest(Path file) {
    return PemReader.request(Objects.requireNonNull(file, "file"));
  }

  /**
   * Parses the one certificate signing request of PEM text.
   *
   * @param pem PEM text
   * @return the request
   * @throws PkiException if the text does not hold exactly one request
   */
  public static CertificationRequest parseCertificationRequest(String pem) {
    return PemReader.request(Objects.requireNonNull(pem, "pem"));
  }

  /**
   * Reads the CRLs of a PEM file ({@code X509 CRL} blocks) or of a DER CRL file. Their signatures
   * are not checked here.
   *
   * @param file the file
   * @return the CRLs in file order; never empty
   * @throws PkiException if the file cannot be read, holds no CRL or a block is not a CRL
   */
  public static List<X509CRL> readCrls(Path file) {
    return PemReader.crls(Objects.requireNonNull(file, "file"));
  }

  /**
   * Parses the CRLs of PEM text.
   *
   * @param pem PEM text
   * @return the CRLs in text order; never empty
   * @throws PkiException if the text holds no CRL or a block is not a CRL
   */
  public static List<X509CRL> parseCrls(String pem) {
    return PemReader.crls(Objects.requireNonNull(pem, "pem"));
  }

  /**
   * Reads a certificate chain and its private key, as a TLS server or client is configured with
   * them, and checks that the key belongs to the first certificate. Both may be the same file.
   *
   * @param chainFile the certificate first, then its issuers
   * @param keyFile the private key
   * @param password the key's password, or null if it is not encrypted
   * @return the certified key
   * @throws PkiException if either file is unreadable or wrong, or the key does not match the
   *     first certificate
   */
  public static CertifiedKey readCertifiedKey(Path chainFile, Path keyFile, char[] password) {
    List<X509Certificate> chain = readCertificates(chainFile);
    PrivateKey key = readPrivateKey(keyFile, password);
    Certificates.requireKeyMatches(key, chain.get(0),
        Inputs.name(keyFile) + " (key) and " + Inputs.name(chainFile) + " (certificate)");
    return new CertifiedKey(key, chain);
  }

  /**
   * Writes certificates as consecutive {@code CERTIFICATE} blocks.
   *
   * @param certificates the certificates, in the order to write them (a chain: leaf first)
   * @return PEM text
   * @throws IllegalArgumentException if the list is empty
   */
  public static String writeCertificates(List<X509Certificate> certificates) {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("No certificates to write");
    }
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        out.append(PemEncoder.block("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new PkiException("Cannot encode certificate " + Certificates.subjectOf(certificate), e);
      }
    }
    return out.toString();
  }

  /**
   * Writes certificates as consecutive {@code CERTIFICATE} blocks.
   *
   * @param certificates the certificates, in the order to write them
   * @return PEM text
   * @throws IllegalArgumentException if there is no certificate
   */
  public static String writeCertificates(X509Certificate... certificates) {
    return writeCertificates(List.of(certificates));
  }

  /**
   * Writes an unencrypted private key as PKCS#8 ({@code PRIVATE KEY}), the format every current
   * tool reads. Protect the file: anyone who reads it holds the key.
   *
   * @param key the key
   * @return PEM text
   * @throws IllegalArgumentException if the key does not expose its encoding (a hardware key)
   */
  public static String writePrivateKey(PrivateKey key) {
    return PemEncoder.block("PRIVATE KEY", PemEncoder.pkcs8Der(key));
  }

  /**
   * Writes a private key as encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}): PBES2 with
   * AES-256-CBC, PBKDF2-HMAC-SHA256, {@link #PBKDF2_ITERATIONS} iterations and a random salt, the
   * scheme OpenSSL 3 uses by default.
   *
   * @param key the key
   * @param password the password; it is not kept
   * @return PEM text
   * @throws IllegalArgumentException if the key does not expose its encoding
   */
  public static String writeEncryptedPrivateKey(PrivateKey key, char[] password) {
    return PemEncoder.block("ENCRYPTED PRIVATE KEY", PemEncoder.encryptedPkcs8(key, password));
  }

  /**
   * Writes an RSA private key in the older PKCS#1 format ({@code RSA PRIVATE KEY}), for software
   * that reads nothing else. Prefer {@link #writePrivateKey(PrivateKey)}.
   *
   * @param key an RSA key
   * @return PEM text
   * @throws IllegalArgumentException if the key is not an RSA key or does not expose its encoding
   */
  public static String writeRsaPrivateKey(PrivateKey key) {
    return PemEncoder.block("RSA PRIVATE KEY", PemEncoder.rsa(key));
  }

  /**
   * Writes an EC private key in the SEC1 format ({@code EC PRIVATE KEY}) with its curve and public
   * key, as {@code openssl ec} does, for software that reads nothing else. Prefer
   * {@link #writePrivateKey(PrivateKey)}.
   *
   * @param key an EC key
   * @return PEM text
   * @throws IllegalArgumentException if the key is not an EC key or does not expose its encoding
   */
  public static String writeEcPrivateKey(PrivateKey key) {
    return PemEncoder.block("EC PRIVATE KEY", PemEncoder.ec(key));
  }

  /**
   * Writes a public key as a SubjectPublicKeyInfo ({@code PUBLIC KEY}).
   *
   * @param key the key
   * @return PEM text
   */
  public static String writePublicKey(PublicKey key) {
    return PemEncoder.block("PUBLIC KEY", Objects.requireNonNull(key, "key").getEncoded());
  }

  /**
   * Writes a certificate signing request ({@code CERTIFICATE REQUEST}), as {@code openssl req}
   * does.
   *
   * @param request the request
   * @return PEM text
   */
  public static String writeCertificationRequest(CertificationRequest request) {
    return PemEncoder.block("CERTIFICATE REQUEST",
        Objects.requireNonNull(request, "request").encoded());
  }

  /**
   * Writes a CRL ({@code X509 CRL}).
   *
   * @param crl the CRL
   * @return PEM text
   */
  public static String writeCrl(X509CRL crl) {
    try {
      return PemEncoder.block("X509 CRL", Objects.requireNonNull(crl, "crl").getEncoded());
    } catch (CRLException e) {
      throw new PkiException("Cannot encode the CRL of " + crl.getIssuerX500Principal(), e);
    }
  }
}
