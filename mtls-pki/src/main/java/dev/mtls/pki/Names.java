package dev.mtls.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Conversions between this module's {@link GeneralName} and Bouncy Castle's. */
final class Names {
  static final String UPN_OID = "1.3.6.1.4.1.311.20.2.3";

  private Names() {}

  static X500Name x500(X500Principal principal) {
    return X500Name.getInstance(principal.getEncoded());
  }

  static X500Name x500(String distinguishedName) {
    return x500(new X500Principal(distinguishedName));
  }

  static GeneralNames toBc(List<GeneralName> names) {
    return new GeneralNames(
        names.stream().map(Names::toBc).toArray(org.bouncycastle.asn1.x509.GeneralName[]::new));
  }

  static org.bouncycastle.asn1.x509.GeneralName toBc(GeneralName name) {
    String v = name.value();
    return switch (name.kind()) {
      case DNS -> new org.bouncycastle.asn1.x509.GeneralName(
          org.bouncycastle.asn1.x509.GeneralName.dNSName, v);
      case URI -> new org.bouncycastle.asn1.x509.GeneralName(
          org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier, v);
      case EMAIL -> new org.bouncycastle.asn1.x509.GeneralName(
          org.bouncycastle.asn1.x509.GeneralName.rfc822Name, v);
      case IP -> new org.bouncycastle.asn1.x509.GeneralName(
          org.bouncycastle.asn1.x509.GeneralName.iPAddress,
          new org.bouncycastle.asn1.DEROctetString(ipBytes(v)));
      case DIRECTORY_NAME -> new org.bouncycastle.asn1.x509.GeneralName(x500(v));
      case REGISTERED_ID -> new org.bouncycastle.asn1.x509.GeneralName(
          org.bouncycastle.asn1.x509.GeneralName.registeredID, v);
      case UPN -> otherName(UPN_OID, new DERTaggedObject(true, 0, new DERUTF8String(v)));
      case OTHER_NAME -> {
        int colon = v.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("OTHER_NAME must be oid:hexDER, was " + v);
        }
        try {
          ASN1Primitive value =
              ASN1Primitive.fromByteArray(HexFormat.of().parseHex(v.substring(colon + 1)));
          yield otherName(v.substring(0, colon), new DERTaggedObject(true, 0, value));
        } catch (IOException e) {
          throw new IllegalArgumentException("OTHER_NAME value is not DER: " + v, e);
        }
      }
    };
  }

  private static org.bouncycastle.asn1.x509.GeneralName otherName(
      String oid, ASN1Encodable taggedValue) {
    return new org.bouncycastle.asn1.x509.GeneralName(
        org.bouncycastle.asn1.x509.GeneralName.otherName,
        new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(oid), taggedValue}));
  }

  /**
   * Parses the DER value of a GeneralNames extension (subject or issuer alternative names).
   *
   * @throws PkiException naming the source if the value is not a valid GeneralNames
   */
  static List<GeneralName> fromExtensionValue(byte[] octets, String source) {
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(ASN1Primitive.fromByteArray(octets));
    } catch (IOException | RuntimeException e) {
      throw new PkiException(source + ": malformed GeneralNames (" + octets.length + " bytes)", e);
    }
    List<GeneralName> out = new ArrayList<>();
    for (org.bouncycastle.asn1.x509.GeneralName name : names.getNames()) {
      out.add(fromBc(name, source));
    }
    return List.copyOf(out);
  }

  /**
   * Converts one Bouncy Castle general name, strictly: an IA5String that is not ASCII, an IP
   * address that is neither 4 nor 16 bytes (8 or 32 with a mask in constraints), or an otherName
   * that does not decode is reported, not skipped.
   */
  static GeneralName fromBc(org.bouncycastle.asn1.x509.GeneralName name, String source) {
    try {
      ASN1Encodable value = name.getName();
      return switch (name.getTagNo()) {
        case org.bouncycastle.asn1.x509.GeneralName.dNSName ->
            new GeneralName(GeneralName.Kind.DNS, ia5(value, "dNSName", source));
        case org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier ->
            new GeneralName(GeneralName.Kind.URI, ia5(value, "uniformResourceIdentifier", source));
        case org.bouncycastle.asn1.x509.GeneralName.rfc822Name ->
            new GeneralName(GeneralName.Kind.EMAIL, ia5(value, "rfc822Name", source));
        case org.bouncycastle.asn1.x509.GeneralName.iPAddress ->
            new GeneralName(GeneralName.Kind.IP, ipText(
                ASN1OctetString.getInstance(value).getOctets(), source));
        case org.bouncycastle.asn1.x509.GeneralName.directoryName ->
            new GeneralName(GeneralName.Kind.DIRECTORY_NAME,
                new X500Principal(X500Name.getInstance(value).getEncoded())
                    .getName(X500Principal.RFC2253));
        case org.bouncycastle.asn1.x509.GeneralName.registeredID ->
            new GeneralName(GeneralName.Kind.REGISTERED_ID,
                ASN1ObjectIdentifier.getInstance(value).getId());
        case org.bouncycastle.asn1.x509.GeneralName.otherName -> otherName(value, source);
        default -> new GeneralName(GeneralName.Kind.OTHER_NAME,
            "tag" + name.getTagNo() + ":"
                + HexFormat.of().formatHex(value.toASN1Primitive().getEncoded()));
      };
    } catch (IOException | IllegalArgumentException e) {
      if (e instanceof PkiException pki) {
        throw pki;
      }
      throw new PkiException(source + ": malformed general name with tag " + name.getTagNo(), e);
    }
  }

  private static GeneralName otherName(ASN1Encodable value, String source) throws IOException {
    ASN1Sequence seq = ASN1Sequence.getInstance(value);
    if (seq.size() != 2) {
      throw new PkiException(source + ": malformed otherName: expected 2 elements, found "
          + seq.size());
    }
    String oid = ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)).getId();
    ASN1Primitive inner = ASN1TaggedObject.getInstance(seq.getObjectAt(1)).getExplicitBaseObject()
        .toASN1Primitive();
    if (oid.equals(UPN_OID)) {
      if (!(inner instanceof DERUTF8String utf8)) {
        throw new PkiException(source + ": malformed UPN otherName: expected a UTF8String, found "
            + inner.getClass().getSimpleName());
      }
      return new GeneralName(GeneralName.Kind.UPN, utf8.getString());
    }
    return new GeneralName(
        GeneralName.Kind.OTHER_NAME, oid + ":" + HexFormat.of().formatHex(inner.getEncoded()));
  }

  private static String ia5(ASN1Encodable value, String field, String source) {
    if (!(value instanceof DERIA5String ia5)) {
      throw new PkiException(source + ": malformed " + field + ": expected an IA5String, found "
          + value.getClass().getSimpleName());
    }
    String text = ia5.getString();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7f) {
        throw new PkiException(source + ": malformed " + field + " '" + text
            + "': IA5String holds a non-ASCII character at index " + i);
      }
    }
    if (text.isEmpty()) {
      throw new PkiException(source + ": malformed " + field + ": empty");
    }
    return text;
  }

  /** Text form of an IP SAN (4 or 16 bytes) or IP constraint (8 or 32 bytes: address + mask). */
  static String ipText(byte[] bytes, String source) {
    try {
      return switch (bytes.length) {
        case 4, 16 -> InetAddress.getByAddress(bytes).getHostAddress();
        case 8, 32 -> {
          int half = bytes.length / 2;
          String address =
              InetAddress.getByAddress(Arrays.copyOf(bytes, half)).getHostAddress();
          yield address + "/" + prefixLength(bytes, half, source);
        }
        default -> throw new PkiException(source + ": malformed iPAddress: " + bytes.length
            + " bytes (expected 4 or 16, or 8 or 32 in a name constraint)");
      };
    } catch (UnknownHostException e) {
      throw new PkiException(source + ": malformed iPAddress", e);
    }
  }

  private static int prefixLength(byte[] bytes, int offset, String source) {
    int prefix = 0;
    boolean ended = false;
    for (int i = offset; i < bytes.length; i++) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean set = (bytes[i] & (1 << bit)) != 0;
        if (set && ended) {
          throw new PkiException(source + ": malformed iPAddress constraint: mask "
              + HexFormat.of().formatHex(bytes, offset, bytes.length) + " is not contiguous");
        }
        if (set) {
          prefix++;
        } else {
          ended = true;
        }
      }
    }
    return prefix;
  }

  /** The address bytes of an IP literal, followed by the mask bytes when it has a prefix. */
  static byte[] ipBytes(String value) {
    int slash = value.indexOf('/');
    byte[] address = literal(slash < 0 ? value : value.substring(0, slash));
    if (slash < 0) {
      return address;
    }
    int prefix = Integer.parseInt(value.substring(slash + 1));
    byte[] both = new byte[address.length * 2];
    System.arraycopy(address, 0, both, 0, address.length);
    for (int i = 0; i < prefix; i++) {
      both[address.length + i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    return both;
  }

  private static byte[] literal(String address) {
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Not an IP address literal: " + address, e);
    }
  }
}
