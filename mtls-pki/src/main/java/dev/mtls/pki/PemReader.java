package dev.mtls.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The reading half of {@link Pem}: input checks, block selection and decoding by label. */
final class PemReader {
  private static final String DER_CERTIFICATE = ", or a DER certificate";
  private static final String DER_CRL = ", or a DER CRL";

  private PemReader() {}

  static List<X509Certificate> certificates(Path file) {
    byte[] bytes = Inputs.read(file, PemKind.CERTIFICATES.expected() + DER_CERTIFICATE);
    String source = Inputs.name(file);
    if (isDer(bytes)) {
      return List.of(certificate(derBlock(source, "CERTIFICATE", bytes)));
    }
    return certificates(select(blocks(text(bytes), source, PemKind.CERTIFICATES, DER_CERTIFICATE),
        PemKind.CERTIFICATES));
  }

  static List<X509Certificate> certificates(String pem) {
    return certificates(blocks(pem, PemKind.CERTIFICATES));
  }

  private static List<X509Certificate> certificates(List<PemBlock> blocks) {
    CertificateFactory factory = x509Factory();
    return blocks.stream().map(block -> certificate(block, factory)).toList();
  }

  static List<X509CRL> crls(Path file) {
    byte[] bytes = Inputs.read(file, PemKind.CRLS.expected() + DER_CRL);
    String source = Inputs.name(file);
    if (isDer(bytes)) {
      return List.of(crl(derBlock(source, "X509 CRL", bytes)));
    }
    return crls(select(blocks(text(bytes), source, PemKind.CRLS, DER_CRL), PemKind.CRLS));
  }

  static List<X509CRL> crls(String pem) {
    return crls(blocks(pem, PemKind.CRLS));
  }

  private static List<X509CRL> crls(List<PemBlock> blocks) {
    return blocks.stream().map(PemReader::crl).toList();
  }

  static PrivateKey privateKey(Path file, char[] password) {
    return privateKey(fileBlocks(file, PemKind.PRIVATE_KEY), password);
  }

  static PrivateKey privateKey(String pem, char[] password) {
    return privateKey(inlineBlocks(pem, PemKind.PRIVATE_KEY), password);
  }

  private static PrivateKey privateKey(List<PemBlock> all, char[] password) {
    return PemKeys.privateKey(all, select(all, PemKind.PRIVATE_KEY).get(0), password);
  }

  static PublicKey publicKey(Path file) {
    return PemKeys.publicKey(select(fileBlocks(file, PemKind.PUBLIC_KEY), PemKind.PUBLIC_KEY).get(0));
  }

  static PublicKey publicKey(String pem) {
    return PemKeys.publicKey(blocks(pem, PemKind.PUBLIC_KEY).get(0));
  }

  static CertificationRequest request(Path file) {
    return request(select(fileBlocks(file, PemKind.REQUEST), PemKind.REQUEST).get(0));
  }

  static CertificationRequest request(String pem) {
    return request(blocks(pem, PemKind.REQUEST).get(0));
  }

  private static CertificationRequest request(PemBlock block) {
    try {
      return CertificationRequest.fromDer(block.der(), block.where());
    } catch (PkiException e) {
      throw block.error(DerShapes.describe(block.der()),
          "a PKCS#10 certificate request under label " + block.label(), e);
    }
  }

  private static List<PemBlock> fileBlocks(Path file, PemKind kind) {
    byte[] bytes = Inputs.read(file, kind.expected());
    return blocks(text(bytes), Inputs.name(file), kind, "");
  }

  private static List<PemBlock> inlineBlocks(String pem, PemKind kind) {
    Inputs.checkSize(pem.length(), Inputs.INLINE);
    return blocks(pem, Inputs.INLINE, kind, "");
  }

  /** Inline text: all blocks of the kind. */
  private static List<PemBlock> blocks(String pem, PemKind kind) {
    return select(inlineBlocks(pem, kind), kind);
  }

  private static List<PemBlock> blocks(String text, String source, PemKind kind, String orDer) {
    String expected = kind.expected() + orDer;
    if (text.isEmpty()) {
      throw new PkiException(source + ": found " + (source.equals(Inputs.INLINE)
          ? "empty text" : "an empty file") + "; expected " + expected);
    }
    if (text.isBlank()) {
      throw new PkiException(source + ": found only whitespace (" + text.length()
          + " characters); expected " + expected);
    }
    List<PemBlock> blocks = PemDecoder.decode(text, source, kind);
    if (blocks.isEmpty()) {
      throw new PkiException(source + ": found no PEM block (no -----BEGIN line in "
          + text.lines().count() + " lines of text); expected " + expected);
    }
    return blocks;
  }

  /**
   * Keeps the blocks of the requested kind. Blocks of other known kinds are skipped, so that a
   * combined file (certificate chain and key together) serves both reads.
   */
  private static List<PemBlock> select(List<PemBlock> blocks, PemKind kind) {
    List<PemBlock> matching = blocks.stream().filter(b -> kind.accepts(b.label())).toList();
    String source = blocks.get(0).source();
    if (matching.isEmpty()) {
      throw new PkiException(source + ": found only " + describe(blocks) + "; expected "
          + kind.expected());
    }
    if (kind.single() && matching.size() > 1) {
      throw new PkiException(source + ": found " + matching.size() + " blocks: "
          + describe(matching) + "; expected " + kind.expected());
    }
    return matching;
  }

  private static String describe(List<PemBlock> blocks) {
    return blocks.stream().map(b -> "block " + b.index() + " (label " + b.label() + ", line "
        + b.line() + ")").collect(Collectors.joining(", "));
  }

  static X509Certificate certificate(PemBlock block) {
    return certificate(block, x509Factory());
  }

  private static CertificateFactory x509Factory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 certificate factory is required on every Java platform", e);
    }
  }

  private static X509Certificate certificate(PemBlock block, CertificateFactory factory) {
    byte[] der = block.der();
    long length = DerShapes.firstElementLength(der);
    if (block.label().equals("TRUSTED CERTIFICATE") && length > 0 && length < der.length) {
      // OpenSSL's X509_AUX: the certificate, then trust settings that JSSE has no use for.
      der = Arrays.copyOf(der, (int) length);
    } else if (length > 0 && length < der.length) {
      throw block.error((der.length - length) + " bytes after the end of the certificate",
          "a single X.509 certificate" + block.under());
    }
    try {
      return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw block.error(DerShapes.describe(der), "an X.509 certificate" + block.under(), e);
    }
  }

  static X509CRL crl(PemBlock block) {
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(block.der()));
    } catch (CertificateException | CRLException | RuntimeException e) {
      throw block.error(DerShapes.describe(block.der()), "an X.509 CRL" + block.under(), e);
    }
  }

  /** DER input: no BEGIN line and the bytes start with a SEQUENCE tag. */
  private static boolean isDer(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == 0x30 && !PemDecoder.looksLikePem(text(bytes));
  }

  /** A DER file is treated as one block, so that messages have the same shape. */
  private static PemBlock derBlock(String source, String label, byte[] der) {
    return new PemBlock(source, 1, label, 0, Map.of(), der);
  }

  static String text(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
