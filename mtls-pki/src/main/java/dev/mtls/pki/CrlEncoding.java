package dev.mtls.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The fields of a DER-encoded CRL ({@code CertificateList}, RFC 5280 section 5.1), located and
 * checked in place: the signed part ({@code tbsCertList}) with its version, issuer and update
 * times, where its revoked certificates and extensions lie, and the signature, which this class
 * checks straight from the bytes. The entries and extensions are left to their readers.
 */
final class CrlEncoding {
  private final byte[] der;
  private final AlgorithmIdentifier algorithm;
  private final int tbsStart;
  private final int tbsEnd;
  private final int signatureStart;
  private final int signatureEnd;
  /** 2 if the optional version field says so, 1 if it is absent. */
  final int version;
  final X500Principal issuer;
  final Instant thisUpdate;
  final Optional<Instant> nextUpdate;
  /** Where the content of the revokedCertificates sequence starts; as long as it is absent. */
  final int revokedStart;
  final int revokedEnd;
  /** The CRL extensions (an {@code Extensions} SEQUENCE), if any. */
  final ASN1Primitive extensions;

  private CrlEncoding(byte[] der, String source) {
    this.der = der;
    DerCursor outer = new DerCursor(der, 0, der.length, source);
    outer.next(DerCursor.SEQUENCE, "a CertificateList (a SEQUENCE)");
    outer.finish("the CertificateList");
    DerCursor list = outer.inside();
    list.next(DerCursor.SEQUENCE, "the signed part of the CRL (tbsCertList)");
    tbsStart = list.start;
    tbsEnd = list.end;
    DerCursor tbs = list.inside();
    list.next(DerCursor.SEQUENCE, "the signature algorithm");
    int algorithmStart = list.start;
    int algorithmEnd = list.end;
    algorithm = algorithm(algorithmStart, algorithmEnd, source);
    list.next(DerCursor.BIT_STRING, "the signature value (a BIT STRING)");
    if (list.end == list.contentStart || der[list.contentStart] != 0) {
      throw list.error(list.start, "the signature value has no content or unused bits");
    }
    signatureStart = list.contentStart + 1;
    signatureEnd = list.end;
    list.finish("the signature value");

    version = version(tbs, source);
    tbs.next(DerCursor.SEQUENCE, "the signature algorithm of the signed part");
    if (!Arrays.equals(der, tbs.start, tbs.end, der, algorithmStart, algorithmEnd)) {
      throw new PkiException(source + ": the signature algorithm inside the signed part ("
          + algorithm(tbs.start, tbs.end, source).getAlgorithm().getId()
          + ") differs from the outer one (" + algorithm.getAlgorithm().getId() + ")");
    }
    tbs.next(DerCursor.SEQUENCE, "the issuer name");
    try {
      issuer = new X500Principal(Arrays.copyOfRange(der, tbs.start, tbs.end));
    } catch (IllegalArgumentException e) {
      throw new PkiException(source + ": malformed issuer name", e);
    }
    thisUpdate = Instant.ofEpochSecond(tbs.time("thisUpdate"));
    nextUpdate = tbs.hasNext()
        && (tbs.peekTag() == DerCursor.UTC_TIME || tbs.peekTag() == DerCursor.GENERALIZED_TIME)
        ? Optional.of(Instant.ofEpochSecond(tbs.time("nextUpdate"))) : Optional.empty();
    if (tbs.hasNext() && tbs.peekTag() == DerCursor.SEQUENCE) {
      tbs.next(DerCursor.SEQUENCE, "the revoked certificates");
      revokedStart = tbs.contentStart;
      revokedEnd = tbs.end;
    } else {
      revokedStart = tbsEnd;
      revokedEnd = tbsEnd;
    }
    if (tbs.hasNext()) {
      tbs.next(DerCursor.CONTEXT_0, "the CRL extensions ([0])");
      DerCursor explicit = tbs.inside();
      explicit.next(DerCursor.SEQUENCE, "the CRL extensions (a SEQUENCE)");
      explicit.finish("the CRL extensions");
      try {
        extensions = ASN1Primitive.fromByteArray(
            Arrays.copyOfRange(der, explicit.start, explicit.end));
      } catch (IOException e) {
        throw new PkiException(source + ": malformed CRL extensions", e);
      }
    } else {
      extensions = null;
    }
    tbs.finish("the CRL extensions, the last field of the signed part");
  }

  /** The encoding itself, not a copy: for the JDK's parser, which copies it. */
  byte[] encoded() {
    return der;
  }

  /** Locates and checks the fields of a DER-encoded CRL, which the result keeps. */
  static CrlEncoding read(byte[] der, String source) {
    return new CrlEncoding(der, source);
  }

  private int version(DerCursor tbs, String source) {
    if (!tbs.hasNext() || tbs.peekTag() != DerCursor.INTEGER) {
      return 1;
    }
    tbs.integer("the CRL version");
    BigInteger value = new BigInteger(der, tbs.contentStart, tbs.end - tbs.contentStart);
    if (!value.equals(BigInteger.ONE)) {
      throw new PkiException(source + ": unsupported CRL version field " + value
          + " (expected 1, meaning version 2, or no field, meaning version 1)");
    }
    return 2;
  }

  private AlgorithmIdentifier algorithm(int from, int to, String source) {
    try {
      return AlgorithmIdentifier.getInstance(
          ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, from, to)));
    } catch (IOException | IllegalArgumentException e) {
      throw new PkiException(source + ": malformed signature algorithm", e);
    }
  }

  /**
   * Checks the signature over the signed part with a public key, using the platform's providers
   * (whose SHA-2 uses the processor's instructions: for a CRL of 50 MB, the hash is most of the
   * cost) or, for an algorithm or key they do not support, Bouncy Castle.
   *
   * @throws InvalidKeyException if the key does not suit the algorithm
   * @throws SignatureException if the signature does not match
   */
  void verify(PublicKey key) throws InvalidKeyException, SignatureException {
    ContentVerifier verifier;
    try {
      verifier = new JcaContentVerifierProviderBuilder().build(key).get(algorithm);
    } catch (OperatorCreationException platform) {
      try {
        verifier = new JcaContentVerifierProviderBuilder().setProvider(Providers.BC).build(key)
            .get(algorithm);
      } catch (OperatorCreationException e) {
        e.addSuppressed(platform);
        throw new InvalidKeyException("Cannot check a " + algorithm.getAlgorithm().getId()
            + " signature with a " + key.getAlgorithm() + " key", e);
      }
    }
    try (OutputStream out = verifier.getOutputStream()) {
      out.write(der, tbsStart, tbsEnd - tbsStart);
    } catch (IOException | RuntimeOperatorException e) {
      throw new SignatureException("Cannot check the signature", e);
    }
    boolean valid;
    try {
      valid = verifier.verify(Arrays.copyOfRange(der, signatureStart, signatureEnd));
    } catch (RuntimeOperatorException e) {
      throw new SignatureException("Cannot check the signature", e);
    }
    if (!valid) {
      throw new SignatureException("The signature does not match the signed part");
    }
  }
}
