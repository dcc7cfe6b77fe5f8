package dev.mtls.pki;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * DER reading and the small encodings shared by the OCSP types: strict DER input, GeneralizedTime,
 * the nonce extension and the hashes of a {@code CertID} and a {@code ResponderID}.
 */
final class OcspDer {
  /** id-sha1, the hash of RFC 6960 and RFC 5019 clients. */
  static final String SHA1 = "1.3.14.3.2.26";
  /** id-sha256. */
  static final String SHA256 = "2.16.840.1.101.3.4.2.1";
  /** The hash algorithms a {@code CertID} may use that this module can compute. */
  private static final Map<String, String> HASHES = Map.of(
      SHA1, "SHA-1",
      SHA256, "SHA-256",
      "2.16.840.1.101.3.4.2.2", "SHA-384",
      "2.16.840.1.101.3.4.2.3", "SHA-512");
  /** DER GeneralizedTime: UTC, seconds present, a fraction only without trailing zeros. */
  private static final Pattern GENERALIZED_TIME = Pattern.compile("\\d{14}(\\.\\d*[1-9])?Z");
  private static final DateTimeFormatter TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private OcspDer() {}

  /**
   * Reads one DER element that must make up all of {@code der}, refusing empty input, text,
   * truncation, trailing bytes and BER.
   *
   * @param expected what the bytes should be, for messages ("a DER-encoded OCSP response")
   */
  static ASN1Primitive read(byte[] der, String source, String expected) {
    if (der.length > Pem.MAX_INPUT_BYTES) {
      throw malformed(source + ": found " + der.length + " bytes; expected at most "
          + Pem.MAX_INPUT_BYTES + " bytes (Pem.MAX_INPUT_BYTES)");
    }
    if (der.length == 0) {
      throw malformed(source + ": empty, expected " + expected);
    }
    if (der[0] != 0x30) {
      boolean text = der[0] >= 0x20 && der[0] < 0x7f;
      throw malformed(source + ": not DER (first byte 0x" + String.format("%02x", der[0])
          + (text ? ", looks like text" : "") + "), expected " + expected);
    }
    long length = DerShapes.firstElementLength(der);
    if (length >= 0 && length < der.length) {
      throw malformed(source + ": " + (der.length - length) + " bytes after the end of the first"
          + " DER element, expected " + expected + " alone");
    }
    ASN1Primitive value;
    try {
      value = ASN1Primitive.fromByteArray(der);
    } catch (IOException | RuntimeException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": not valid DER (" + der.length
          + " bytes, truncated or corrupt), expected " + expected, e);
    }
    if (!Arrays.equals(encode(value, source), der)) {
      throw malformed(source + ": not DER (BER, or a non-canonical encoding), expected " + expected);
    }
    return value;
  }

  /**
   * Checks that the Bouncy Castle model of a structure encodes back to exactly the bytes it was
   * read from, so that nothing the model does not keep (an extra field, content where RFC 6960
   * has NULL) goes unnoticed. Bouncy Castle 1.87 refuses such input itself; this keeps the
   * guarantee independent of how lenient a later version is.
   *
   * @param what the structure, for messages ("an OCSP request")
   */
  static void requireSameEncoding(ASN1Encodable value, byte[] der, String source, String what) {
    if (!Arrays.equals(encode(value, source), der)) {
      throw malformed(source + ": " + what + " with fields that RFC 6960 does not define or that"
          + " are in the wrong form");
    }
  }

  private static byte[] encode(ASN1Encodable value, String source) {
    try {
      return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new OcspException(OcspProblem.MALFORMED, source + ": cannot re-encode the DER read", e);
    }
  }

  static OcspException malformed(String message) {
    return new OcspException(OcspProblem.MALFORMED, message);
  }

  /** Reads a DER GeneralizedTime strictly. */
  static Instant time(ASN1GeneralizedTime time, String source, String field) {
    String text = time.getTimeString();
    if (!GENERALIZED_TIME.matcher(text).matches()) {
      throw malformed(source + ": " + field + " '" + text + "' is not a DER GeneralizedTime;"
          + " expected YYYYMMDDHHMMSS[.fff]Z in UTC");
    }
    try {
      return time.getDate().toInstant();
    } catch (ParseException | RuntimeException e) {
      throw new OcspException(OcspProblem.MALFORMED,
          source + ": " + field + " '" + text + "' is not a valid time", e);
    }
  }

  /** A GeneralizedTime in whole seconds, as OpenSSL and the JDK write them. */
  static ASN1GeneralizedTime time(Instant instant) {
    return new ASN1GeneralizedTime(TIME_FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS)));
  }

  /** The id-pkix-ocsp-nonce extension (non-critical) with the RFC 8954 OCTET STRING value. */
  static Extension nonceExtension(byte[] nonce) {
    try {
      return new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
          new DEROctetString(new DEROctetString(nonce).getEncoded(ASN1Encoding.DER)));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode a nonce of " + nonce.length + " bytes", e);
    }
  }

  /**
   * Reads the nonce: the content of the OCTET STRING that RFC 8954 puts in extnValue, or, from
   * responders that predate it and put the bare nonce there, extnValue itself.
   */
  static Optional<byte[]> nonce(Map<String, Extension> extensions) {
    Extension extension = extensions.get(OCSPObjectIdentifiers.id_pkix_ocsp_nonce.getId());
    if (extension == null) {
      return Optional.empty();
    }
    byte[] value = extension.getExtnValue().getOctets();
    try {
      ASN1Primitive inner = ASN1Primitive.fromByteArray(value);
      if (inner instanceof ASN1OctetString octets
          && Arrays.equals(inner.getEncoded(ASN1Encoding.DER), value)) {
        return Optional.of(octets.getOctets());
      }
    } catch (IOException | RuntimeException e) {
      // Not an OCTET STRING: a bare nonce.
    }
    return Optional.of(value);
  }

  /** Refuses critical extensions other than those understood. */
  static void requireNoUnknownCritical(
      Map<String, Extension> extensions, Set<String> understood, String source) {
    Set<String> unknown = ExtensionParser.unknownCritical(extensions, understood);
    if (!unknown.isEmpty()) {
      throw malformed(source + ": critical extension " + String.join(", ", unknown)
          + " is not understood; a message with a critical extension its reader does not process"
          + " must be refused");
    }
  }

  /** Reads extensions, reporting malformed ones as {@link OcspProblem#MALFORMED}. */
  static Map<String, Extension> extensions(ASN1Encodable extensions, String source) {
    try {
      return ExtensionParser.read(extensions, source);
    } catch (OcspException e) {
      throw e;
    } catch (PkiException e) {
      throw new OcspException(OcspProblem.MALFORMED, e.getMessage(), e);
    }
  }

  /** The JCA name of a hash algorithm, or null if this module cannot compute it. */
  static String hashName(String oid) {
    return HASHES.get(oid);
  }

  static byte[] digest(String oid, byte[] data) {
    String name = HASHES.get(oid);
    if (name == null) {
      throw new IllegalArgumentException("Unsupported hash algorithm " + oid);
    }
    try {
      return MessageDigest.getInstance(name).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is required on every Java platform", e);
    }
  }

  /** The subjectPublicKey BIT STRING's bytes: what issuerKeyHash and a byKey ResponderID hash. */
  static byte[] keyBits(PublicKey key) {
    return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
  }

  /** The byKey ResponderID of a key: the SHA-1 hash of its bits. */
  static byte[] keyHash(PublicKey key) {
    return digest(SHA1, keyBits(key));
  }
}
