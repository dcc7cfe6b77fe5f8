package dev.mtls.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * CRLs that {@link CrlBuilder} does not make, for the parser's tests: indirect ones and entries
 * with arbitrary extensions, signed with Bouncy Castle directly; and raw DER for malformed ones.
 */
final class TestCrls {
  private TestCrls() {}

  /** A CRL by {@code issuer} at {@code thisUpdate} whose entries {@code entries} adds. */
  static byte[] sign(CertifiedKey issuer, Instant thisUpdate, Consumer<X509v2CRLBuilder> entries) {
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        Names.x500(issuer.certificate().getSubjectX500Principal()), Date.from(thisUpdate));
    entries.accept(builder);
    try {
      return builder.build(new JcaContentSignerBuilder(
              CertificateSigner.signatureAlgorithm(issuer.certificate().getPublicKey()))
          .setProvider(Providers.BC).build(issuer.privateKey())).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds an entry with the given extensions (none if empty). */
  static void entry(X509v2CRLBuilder builder, long serial, Instant when, Extension... extensions) {
    builder.addCRLEntry(BigInteger.valueOf(serial), Date.from(when),
        extensions.length == 0 ? null : new Extensions(extensions));
  }

  /** An entry extension with a raw DER value. */
  static Extension extension(String oid, boolean critical, String derValueHex) {
    return new Extension(new ASN1ObjectIdentifier(oid), critical,
        new DEROctetString(CertificateInfoTest.hex(derValueHex)));
  }

  /** A critical certificateIssuer entry extension naming a directory name. */
  static Extension certificateIssuer(CertifiedKey ca) {
    return certificateIssuer(ca.certificate().getSubjectX500Principal().getName());
  }

  /** A critical certificateIssuer entry extension naming a directory name. */
  static Extension certificateIssuer(String distinguishedName) {
    try {
      return new Extension(Extension.certificateIssuer, true, new GeneralNames(
          new org.bouncycastle.asn1.x509.GeneralName(Names.x500(distinguishedName))).getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509CRL jdk(byte[] der) {
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new java.io.ByteArrayInputStream(der));
    } catch (CRLException | CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A DER value: a one-byte tag, a definite length and the concatenated content. */
  static byte[] tlv(int tag, byte[]... content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] part : content) {
      body.writeBytes(part);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = body.size();
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  static byte[] hex(String hex) {
    return CertificateInfoTest.hex(hex);
  }

  /** UTCTime or GeneralizedTime with the given text. */
  static byte[] time(String text) {
    return tlv(text.length() <= 13 ? 0x17 : 0x18,
        text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * An unsigned CRL (the signature is one zero byte) from ECDSA-with-SHA256, issuer CN=Raw and
   * the given fields after the issuer.
   */
  static byte[] raw(byte[]... fieldsAfterIssuer) {
    byte[] algorithm = hex("300a06082a8648ce3d040302");
    byte[] issuer = tlv(0x30, tlv(0x31, tlv(0x30, hex("0603550403"), tlv(0x0c, "Raw".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII)))));
    byte[][] tbs = new byte[fieldsAfterIssuer.length + 3][];
    tbs[0] = hex("020101");
    tbs[1] = algorithm;
    tbs[2] = issuer;
    System.arraycopy(fieldsAfterIssuer, 0, tbs, 3, fieldsAfterIssuer.length);
    return tlv(0x30, tlv(0x30, tbs), algorithm, hex("03020000"));
  }
}
