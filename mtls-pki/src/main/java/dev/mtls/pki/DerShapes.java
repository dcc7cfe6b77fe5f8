package dev.mtls.pki;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Guesses what a DER structure is, so that a message can say what was found under a label. */
final class DerShapes {
  private DerShapes() {}

  /**
   * Describes DER bytes: {@code "121 bytes of DER (a PKCS#8 private key)"}, or {@code "... (not
   * DER)"} when the bytes do not parse at all.
   */
  static String describe(byte[] der) {
    return der.length + " bytes of DER (" + shape(der) + ")";
  }

  private static String shape(byte[] der) {
    ASN1Primitive value;
    try {
      value = ASN1Primitive.fromByteArray(der);
    } catch (IOException | RuntimeException e) {
      return "not valid DER: truncated or corrupt";
    }
    if (matches(() -> Certificate.getInstance(value))) {
      return "an X.509 certificate";
    }
    if (matches(() -> CertificateList.getInstance(value))) {
      return "an X.509 CRL";
    }
    if (matches(() -> CertificationRequest.getInstance(value))) {
      return "a PKCS#10 certificate request";
    }
    if (matches(() -> PrivateKeyInfo.getInstance(value).parsePrivateKey())) {
      return "a PKCS#8 private key";
    }
    if (matches(() -> EncryptedPrivateKeyInfo.getInstance(value))) {
      return "an encrypted PKCS#8 private key";
    }
    if (matches(() -> SubjectPublicKeyInfo.getInstance(value).getPublicKeyData())) {
      return "a public key";
    }
    return "an unrecognised structure";
  }

  /** A parse attempt. */
  private interface Parse {
    Object run() throws IOException;
  }

  private static boolean matches(Parse parse) {
    try {
      return parse.run() != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns the length of the first DER element (header and content), or -1 if the bytes do not
   * start with a well-formed SEQUENCE header.
   */
  static long firstElementLength(byte[] der) {
    if (der.length < 2 || der[0] != 0x30) {
      return -1;
    }
    int first = der[1] & 0xff;
    if (first < 0x80) {
      return 2L + first;
    }
    int count = first & 0x7f;
    if (count == 0 || count > 4 || der.length < 2 + count) {
      return -1;
    }
    long length = 0;
    for (int i = 0; i < count; i++) {
      length = (length << 8) | (der[2 + i] & 0xff);
    }
    return 2L + count + length;
  }
}
