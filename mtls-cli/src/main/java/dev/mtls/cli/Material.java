package dev.mtls.cli;

import dev.mtls.pki.CertificationRequest;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.pki.PkiException;
import dev.mtls.pki.Pkcs12;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one file holds, whatever its kind: PEM with any mix of certificates, a private key, public
 * keys, certificate requests and CRLs; a DER certificate, CRL or request; or a PKCS#12 file.
 */
final class Material {
  private static final Pattern LABEL = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

  final Path file;
  final String format;
  final List<X509Certificate> certificates = new ArrayList<>();
  final List<X509CRL> crls = new ArrayList<>();
  final List<CertificationRequest> requests = new ArrayList<>();
  final List<PublicKey> publicKeys = new ArrayList<>();
  PrivateKey privateKey;
  boolean privateKeyEncrypted;

  private Material(Path file, String format) {
    this.file = file;
    this.format = format;
  }

  /**
   * Reads a file of any supported kind. The password is asked for only if the file needs one
   * (an encrypted key, a PKCS#12 file).
   */
  static Material read(Path file, PasswordOptions passwords, CliContext context) {
    byte[] content = readBytes(file);
    String text = new String(content, StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN ")) {
      return readPem(file, text, passwords, context);
    }
    return readDer(file, content, passwords, context);
  }

  static byte[] readBytes(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw CliException.input(file + ": is a directory, expected a file");
      }
      if (Files.size(file) > Pem.MAX_INPUT_BYTES) {
        throw CliException.input(file + ": larger than " + Pem.MAX_INPUT_BYTES + " bytes; not a certificate file");
      }
      byte[] content = Files.readAllBytes(file);
      if (content.length == 0) {
        throw CliException.input(file + ": the file is empty");
      }
      return content;
    } catch (IOException e) {
      throw CliException.input(file + ": cannot read (" + Problems.describe(e) + ")", e);
    }
  }

  private static Material readPem(Path file, String text, PasswordOptions passwords, CliContext context) {
    Set<String> labels = new LinkedHashSet<>();
    Matcher matcher = LABEL.matcher(text);
    while (matcher.find()) {
      labels.add(matcher.group(1));
    }
    Material material = new Material(file, "PEM");
    if (labels.contains("CERTIFICATE") || labels.contains("TRUSTED CERTIFICATE")) {
      material.certificates.addAll(Pem.readCertificates(file));
    }
    if (labels.contains("PRIVATE KEY") || labels.contains("ENCRYPTED PRIVATE KEY")
        || labels.contains("RSA PRIVATE KEY") || labels.contains("EC PRIVATE KEY")) {
      material.privateKeyEncrypted = CaDirectory.isEncrypted(file);
      char[] password = material.privateKeyEncrypted
          ? passwords.required(context, "for the encrypted key in " + file) : null;
      material.privateKey = Pem.readPrivateKey(file, password);
    }
    if (labels.contains("CERTIFICATE REQUEST") || labels.contains("NEW CERTIFICATE REQUEST")) {
      material.requests.add(Pem.readCertificationRequest(file));
    }
    if (labels.contains("X509 CRL")) {
      material.crls.addAll(Pem.readCrls(file));
    }
    if (labels.contains("PUBLIC KEY") || labels.contains("RSA PUBLIC KEY")) {
      material.publicKeys.add(Pem.readPublicKey(file));
    }
    if (material.isEmpty()) {
      throw CliException.input(file + ": no PEM block this command knows (found " + String.join(", ", labels)
          + "); expected certificates, keys, certificate requests or CRLs");
    }
    return material;
  }

  private static Material readDer(Path file, byte[] content, PasswordOptions passwords, CliContext context) {
    if (looksLikePkcs12(content)) {
      return readPkcs12(file, content, passwords.required(context, "to open the PKCS#12 file " + file));
    }
    Material material = new Material(file, "DER");
    try {
      material.certificates.addAll(Pem.readCertificates(file));
      return material;
    } catch (PkiException notCertificate) {
      // Try the other DER kinds.
    }
    try {
      material.crls.addAll(Pem.readCrls(file));
      return material;
    } catch (PkiException notCrl) {
      // Try the other DER kinds.
    }
    try {
      CertificationRequest request = CertificationRequest.fromDer(content, file.toString());
      request.subject();
      material.requests.add(request);
      return material;
    } catch (PkiException notRequest) {
      throw CliException.input(file + ": neither PEM nor a DER certificate, CRL, certificate request or"
          + " PKCS#12 file (" + content.length + " bytes)", notRequest);
    }
  }

  private static Material readPkcs12(Path file, byte[] content, char[] password) {
    Material material = new Material(file, "PKCS#12");
    try {
      CertifiedKey identity = Pkcs12.readIdentity(content, file.toString(), password);
      material.privateKey = identity.privateKey();
      material.privateKeyEncrypted = true;
      material.certificates.addAll(identity.chain());
    } catch (PkiException identityProblem) {
      try {
        material.certificates.addAll(Pkcs12.readTrust(content, file.toString(), password));
      } catch (PkiException trustProblem) {
        throw identityProblem;
      }
    }
    return material;
  }

  /** A PFX is a SEQUENCE whose first element is INTEGER 3 (RFC 7292). */
  static boolean looksLikePkcs12(byte[] der) {
    if (der.length < 8 || der[0] != 0x30) {
      return false;
    }
    int offset = 2;
    int length = der[1] & 0xff;
    if (length > 0x80) {
      offset += length - 0x80;
    }
    return offset + 2 < der.length && der[offset] == 0x02 && der[offset + 1] == 0x01 && der[offset + 2] == 0x03;
  }

  boolean isEmpty() {
    return certificates.isEmpty() && crls.isEmpty() && requests.isEmpty() && publicKeys.isEmpty()
        && privateKey == null;
  }
}
