package dev.mtls.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.PolicyInformation;

/**
 * Strict parsing of X.509 extension values (certificates and CRLs) into this module's BC-free
 * types. Every method reports a malformed value as a {@link PkiException} whose message starts
 * with the source it is given, and names what was found and what was expected.
 */
final class ExtensionParser {
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("2.5.29.9", "subjectDirectoryAttributes"),
      Map.entry("2.5.29.14", "subjectKeyIdentifier"),
      Map.entry("2.5.29.15", "keyUsage"),
      Map.entry("2.5.29.17", "subjectAltName"),
      Map.entry("2.5.29.18", "issuerAltName"),
      Map.entry("2.5.29.19", "basicConstraints"),
      Map.entry("2.5.29.20", "cRLNumber"),
      Map.entry("2.5.29.21", "reasonCode"),
      Map.entry("2.5.29.24", "invalidityDate"),
      Map.entry("2.5.29.27", "deltaCRLIndicator"),
      Map.entry("2.5.29.28", "issuingDistributionPoint"),
      Map.entry("2.5.29.29", "certificateIssuer"),
      Map.entry("2.5.29.30", "nameConstraints"),
      Map.entry("2.5.29.31", "cRLDistributionPoints"),
      Map.entry("2.5.29.32", "certificatePolicies"),
      Map.entry("2.5.29.33", "policyMappings"),
      Map.entry("2.5.29.35", "authorityKeyIdentifier"),
      Map.entry("2.5.29.36", "policyConstraints"),
      Map.entry("2.5.29.37", "extKeyUsage"),
      Map.entry("2.5.29.46", "freshestCRL"),
      Map.entry("2.5.29.54", "inhibitAnyPolicy"),
      Map.entry("1.3.6.1.5.5.7.1.1", "authorityInfoAccess"),
      Map.entry("1.3.6.1.5.5.7.1.11", "subjectInfoAccess"),
      Map.entry("1.3.6.1.5.5.7.1.24", "tlsFeature"),
      Map.entry("1.3.6.1.5.5.7.48.1.2", "ocspNonce"),
      Map.entry("1.3.6.1.5.5.7.48.1.5", "ocspNoCheck"),
      Map.entry("1.3.6.1.4.1.11129.2.4.2", "signedCertificateTimestampList"));

  private ExtensionParser() {}

  /** The RFC 5280 name of an extension, or its OID if this library does not know it. */
  static String name(String oid) {
    return NAMES.getOrDefault(oid, oid);
  }

  /** {@code <owner>, extension subjectAltName (2.5.29.17)}: the source of an extension's errors. */
  static String source(String owner, String oid) {
    String name = NAMES.get(oid);
    return owner + ", extension " + (name != null ? name + " (" + oid + ")" : oid);
  }

  /**
   * Reads an {@code Extensions} sequence in order, refusing duplicates (RFC 5280 section 4.2: a
   * certificate must not include more than one instance of a particular extension).
   */
  static Map<String, Extension> read(ASN1Encodable extensions, String owner) {
    Map<String, Extension> out = new LinkedHashMap<>();
    if (extensions == null) {
      return out;
    }
    ASN1Sequence seq;
    try {
      seq = ASN1Sequence.getInstance(extensions);
    } catch (IllegalArgumentException e) {
      throw new PkiException(owner + ": malformed extensions: expected a SEQUENCE, found "
          + describe(extensions), e);
    }
    if (seq.size() == 0) {
      throw new PkiException(owner + ": malformed extensions: empty SEQUENCE (expected at least one"
          + " extension, or none at all)");
    }
    for (ASN1Encodable element : seq) {
      Extension extension;
      try {
        extension = Extension.getInstance(element);
      } catch (IllegalArgumentException e) {
        throw new PkiException(owner + ": malformed extension " + describe(element), e);
      }
      String oid = extension.getExtnId().getId();
      if (out.putIfAbsent(oid, extension) != null) {
        throw new PkiException(source(owner, oid) + ": appears more than once (RFC 5280 allows each"
            + " extension at most once)");
      }
    }
    return out;
  }

  static List<ExtensionInfo> infos(Map<String, Extension> extensions) {
    List<ExtensionInfo> out = new ArrayList<>();
    for (Extension extension : extensions.values()) {
      String oid = extension.getExtnId().getId();
      out.add(new ExtensionInfo(oid, name(oid), extension.isCritical()));
    }
    return List.copyOf(out);
  }

  static Set<String> unknownCritical(Map<String, Extension> extensions, Set<String> understood) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (Extension extension : extensions.values()) {
      String oid = extension.getExtnId().getId();
      if (extension.isCritical() && !understood.contains(oid)) {
        out.add(oid);
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /** Decodes the content of extnValue; garbage, truncation and trailing bytes are reported. */
  static ASN1Primitive value(Extension extension, String source) {
    byte[] octets = extension.getExtnValue().getOctets();
    try {
      return ASN1Primitive.fromByteArray(octets);
    } catch (IOException | RuntimeException e) {
      throw new PkiException(source + ": value is not valid DER (" + octets.length + " bytes: "
          + hex(octets) + ")", e);
    }
  }

  static ASN1Sequence sequence(ASN1Primitive value, String source, String what) {
    if (!(value instanceof ASN1Sequence seq)) {
      throw new PkiException(source + ": expected " + what + " (a SEQUENCE), found "
          + describe(value));
    }
    return seq;
  }

  static BasicConstraints basicConstraints(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "BasicConstraints");
    int index = 0;
    boolean ca = false;
    if (index < seq.size() && seq.getObjectAt(index) instanceof ASN1Boolean flag) {
      ca = flag.isTrue();
      index++;
    }
    OptionalInt pathLength = OptionalInt.empty();
    if (index < seq.size() && seq.getObjectAt(index) instanceof ASN1Integer integer) {
      pathLength = OptionalInt.of(nonNegativeInt(integer.getValue(), "pathLenConstraint", source));
      index++;
    }
    if (index < seq.size()) {
      throw new PkiException(source + ": unexpected " + describe(seq.getObjectAt(index))
          + " at position " + index + " (expected cA BOOLEAN, then pathLenConstraint INTEGER)");
    }
    if (pathLength.isPresent() && !ca) {
      throw new PkiException(source + ": pathLenConstraint " + pathLength.getAsInt()
          + " without cA TRUE (RFC 5280 allows a path length only on a CA)");
    }
    return new BasicConstraints(ca, pathLength);
  }

  static Set<KeyUsage> keyUsage(Extension extension, String source) {
    ASN1Primitive value = value(extension, source);
    if (!(value instanceof ASN1BitString bits)) {
      throw new PkiException(source + ": expected KeyUsage (a BIT STRING), found "
          + describe(value));
    }
    Set<KeyUsage> out = EnumSet.noneOf(KeyUsage.class);
    int count = bits.getBytes().length * 8 - bits.getPadBits();
    for (int bit = 0; bit < count; bit++) {
      if (bitSet(bits, bit)) {
        if (bit >= KeyUsage.values().length) {
          throw new PkiException(source + ": bit " + bit + " is set (KeyUsage defines bits 0 to "
              + (KeyUsage.values().length - 1) + ")");
        }
        out.add(KeyUsage.values()[bit]);
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  static List<String> extendedKeyUsage(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "ExtKeyUsageSyntax");
    if (seq.size() == 0) {
      throw new PkiException(source + ": empty (expected at least one KeyPurposeId)");
    }
    List<String> out = new ArrayList<>();
    for (ASN1Encodable element : seq) {
      if (!(element instanceof ASN1ObjectIdentifier oid)) {
        throw new PkiException(source + ": expected a KeyPurposeId (an OBJECT IDENTIFIER), found "
            + describe(element));
      }
      out.add(oid.getId());
    }
    return List.copyOf(out);
  }

  static byte[] subjectKeyIdentifier(Extension extension, String source) {
    ASN1Primitive value = value(extension, source);
    if (!(value instanceof ASN1OctetString octets)) {
      throw new PkiException(source + ": expected a KeyIdentifier (an OCTET STRING), found "
          + describe(value));
    }
    if (octets.getOctets().length == 0) {
      throw new PkiException(source + ": empty key identifier");
    }
    return octets.getOctets();
  }

  static AuthorityKeyIdentifier authorityKeyIdentifier(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "AuthorityKeyIdentifier");
    org.bouncycastle.asn1.x509.AuthorityKeyIdentifier aki;
    try {
      aki = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(seq);
    } catch (IllegalArgumentException e) {
      throw new PkiException(source + ": malformed AuthorityKeyIdentifier: " + e.getMessage(), e);
    }
    ASN1OctetString keyIdObject = aki.getKeyIdentifierObject();
    byte[] keyId = keyIdObject != null ? keyIdObject.getOctets() : new byte[0];
    if (keyIdObject != null && keyId.length == 0) {
      throw new PkiException(source + ": empty keyIdentifier");
    }
    // Bouncy Castle refuses an issuer without a serial number and the other way round.
    boolean hasIssuer = aki.getAuthorityCertIssuer() != null;
    List<GeneralName> issuer = hasIssuer
        ? generalNames(aki.getAuthorityCertIssuer(), source)
        : List.of();
    return new AuthorityKeyIdentifier(
        keyId, issuer, Optional.ofNullable(aki.getAuthorityCertSerialNumber()));
  }

  /** Subject or issuer alternative names, certificate issuer of a CRL entry: non-empty. */
  static List<GeneralName> alternativeNames(Extension extension, String source) {
    List<GeneralName> names =
        Names.fromExtensionValue(extension.getExtnValue().getOctets(), source);
    if (names.isEmpty()) {
      throw new PkiException(source + ": empty GeneralNames (expected at least one name)");
    }
    for (GeneralName name : names) {
      if (name.kind() == GeneralName.Kind.IP && name.value().contains("/")) {
        throw new PkiException(source + ": malformed iPAddress " + name.value()
            + ": an address with a mask (expected 4 or 16 bytes outside name constraints)");
      }
    }
    return names;
  }

  static NameConstraints nameConstraints(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "NameConstraints");
    List<GeneralName> permitted = new ArrayList<>();
    List<GeneralName> excluded = new ArrayList<>();
    int lastTag = -1;
    for (ASN1Encodable element : seq) {
      if (!(element instanceof ASN1TaggedObject tagged)
          || tagged.getTagNo() > 1 || tagged.getTagNo() <= lastTag) {
        throw new PkiException(source + ": unexpected " + describe(element)
            + " (expected [0] permittedSubtrees, then [1] excludedSubtrees)");
      }
      lastTag = tagged.getTagNo();
      ASN1Sequence subtrees;
      try {
        subtrees = ASN1Sequence.getInstance(tagged, false);
      } catch (IllegalArgumentException e) {
        throw new PkiException(source + ": malformed GeneralSubtrees in [" + lastTag + "]", e);
      }
      if (subtrees.size() == 0) {
        throw new PkiException(source + ": empty " + (lastTag == 0 ? "permitted" : "excluded")
            + "Subtrees (expected at least one subtree, or the field left out)");
      }
      for (ASN1Encodable subtreeElement : subtrees) {
        (lastTag == 0 ? permitted : excluded).add(subtree(subtreeElement, source));
      }
    }
    if (permitted.isEmpty() && excluded.isEmpty()) {
      throw new PkiException(source + ": neither permittedSubtrees nor excludedSubtrees is present"
          + " (RFC 5280 requires at least one)");
    }
    return new NameConstraints(permitted, excluded);
  }

  private static GeneralName subtree(ASN1Encodable element, String source) {
    GeneralSubtree subtree;
    try {
      subtree = GeneralSubtree.getInstance(element);
    } catch (IllegalArgumentException e) {
      throw new PkiException(source + ": malformed GeneralSubtree " + describe(element), e);
    }
    if (subtree.getMinimum().signum() != 0 || subtree.getMaximum() != null) {
      throw new PkiException(source + ": subtree minimum " + subtree.getMinimum() + ", maximum "
          + subtree.getMaximum() + " (RFC 5280 requires minimum 0 and no maximum)");
    }
    GeneralName base = Names.fromBc(subtree.getBase(), source);
    if (base.kind() == GeneralName.Kind.IP && !base.value().contains("/")) {
      throw new PkiException(source + ": malformed iPAddress constraint " + base.value()
          + ": no mask (expected 8 or 32 bytes: address and mask)");
    }
    return base;
  }

  static List<DistributionPoint> distributionPoints(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "CRLDistributionPoints");
    if (seq.size() == 0) {
      throw new PkiException(source + ": empty (expected at least one DistributionPoint)");
    }
    List<DistributionPoint> out = new ArrayList<>();
    for (ASN1Encodable element : seq) {
      org.bouncycastle.asn1.x509.DistributionPoint point;
      try {
        point = org.bouncycastle.asn1.x509.DistributionPoint.getInstance(element);
      } catch (IllegalArgumentException e) {
        throw new PkiException(source + ": malformed DistributionPoint " + describe(element), e);
      }
      if (point.getDistributionPoint() == null && point.getCRLIssuer() == null) {
        throw new PkiException(source + ": a DistributionPoint has neither distributionPoint nor"
            + " cRLIssuer (RFC 5280 requires at least one)");
      }
      DistributionPointName name = point.getDistributionPoint();
      out.add(new DistributionPoint(
          fullName(name, source),
          relativeName(name, source),
          point.getReasons() == null ? Set.of() : reasons(point.getReasons(), source),
          point.getCRLIssuer() == null ? List.of() : generalNames(point.getCRLIssuer(), source)));
    }
    return List.copyOf(out);
  }

  static List<GeneralName> fullName(DistributionPointName name, String source) {
    if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
      return List.of();
    }
    return generalNames(GeneralNames.getInstance(name.getName()), source);
  }

  static Optional<String> relativeName(DistributionPointName name, String source) {
    if (name == null || name.getType() != DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER) {
      return Optional.empty();
    }
    try {
      RDN rdn = RDN.getInstance(ASN1Set.getInstance(name.getName()));
      return Optional.of(new javax.security.auth.x500.X500Principal(
          new X500Name(new RDN[] {rdn}).getEncoded()).getName());
    } catch (IOException | IllegalArgumentException e) {
      throw new PkiException(source + ": malformed nameRelativeToCRLIssuer", e);
    }
  }

  /** The reasons of a {@code ReasonFlags} bit string: bit n is the reason with code n. */
  static Set<RevocationReason> reasons(ASN1BitString flags, String source) {
    Set<RevocationReason> out = EnumSet.noneOf(RevocationReason.class);
    int count = flags.getBytes().length * 8 - flags.getPadBits();
    for (int bit = 0; bit < count; bit++) {
      if (bitSet(flags, bit)) {
        if (bit == 0 || bit > 8) {
          throw new PkiException(source + ": ReasonFlags bit " + bit
              + " is set (expected bits 1 to 8)");
        }
        // ReasonFlags bits 1-6 are CRLReason codes 1-6; bit 7 is code 9, bit 8 is code 10.
        out.add(RevocationReason.ofCode(bit <= 6 ? bit : bit + 2));
      }
    }
    return out;
  }

  static List<String> accessLocations(
      Extension extension, ASN1ObjectIdentifier method, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "AuthorityInfoAccessSyntax");
    if (seq.size() == 0) {
      throw new PkiException(source + ": empty (expected at least one AccessDescription)");
    }
    List<String> out = new ArrayList<>();
    for (ASN1Encodable element : seq) {
      AccessDescription description;
      try {
        description = AccessDescription.getInstance(element);
      } catch (IllegalArgumentException e) {
        throw new PkiException(source + ": malformed AccessDescription " + describe(element), e);
      }
      GeneralName location = Names.fromBc(description.getAccessLocation(), source);
      if (description.getAccessMethod().equals(method) && location.kind() == GeneralName.Kind.URI) {
        out.add(location.value());
      }
    }
    return List.copyOf(out);
  }

  static PolicyConstraints policyConstraints(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "PolicyConstraints");
    OptionalInt require = OptionalInt.empty();
    OptionalInt inhibit = OptionalInt.empty();
    int lastTag = -1;
    for (ASN1Encodable element : seq) {
      if (!(element instanceof ASN1TaggedObject tagged)
          || tagged.getTagNo() > 1 || tagged.getTagNo() <= lastTag) {
        throw new PkiException(source + ": unexpected " + describe(element)
            + " (expected [0] requireExplicitPolicy, then [1] inhibitPolicyMapping)");
      }
      lastTag = tagged.getTagNo();
      String field = lastTag == 0 ? "requireExplicitPolicy" : "inhibitPolicyMapping";
      BigInteger value;
      try {
        value = ASN1Integer.getInstance(tagged, false).getValue();
      } catch (IllegalArgumentException e) {
        throw new PkiException(source + ": malformed " + field + " (expected an INTEGER)", e);
      }
      int skip = nonNegativeInt(value, field, source);
      if (lastTag == 0) {
        require = OptionalInt.of(skip);
      } else {
        inhibit = OptionalInt.of(skip);
      }
    }
    if (require.isEmpty() && inhibit.isEmpty()) {
      throw new PkiException(source + ": empty (RFC 5280 requires requireExplicitPolicy or"
          + " inhibitPolicyMapping)");
    }
    return new PolicyConstraints(require, inhibit);
  }

  static List<String> certificatePolicies(Extension extension, String source) {
    ASN1Sequence seq = sequence(value(extension, source), source, "CertificatePolicies");
    if (seq.size() == 0) {
      throw new PkiException(source + ": empty (expected at least one PolicyInformation)");
    }
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ASN1Encodable element : seq) {
      PolicyInformation info;
      try {
        info = PolicyInformation.getInstance(element);
      } catch (IllegalArgumentException e) {
        throw new PkiException(source + ": malformed PolicyInformation " + describe(element), e);
      }
      String oid = info.getPolicyIdentifier().getId();
      if (!seen.add(oid)) {
        throw new PkiException(source + ": policy " + oid + " appears more than once");
      }
      out.add(oid);
    }
    return List.copyOf(out);
  }

  /** A non-negative INTEGER extension value: inhibitAnyPolicy, cRLNumber, deltaCRLIndicator. */
  static BigInteger nonNegativeInteger(Extension extension, String source) {
    ASN1Primitive value = value(extension, source);
    if (!(value instanceof ASN1Integer integer)) {
      throw new PkiException(source + ": expected an INTEGER, found " + describe(value));
    }
    if (integer.getValue().signum() < 0) {
      throw new PkiException(source + ": negative value " + integer.getValue());
    }
    return integer.getValue();
  }

  static int nonNegativeInt(BigInteger value, String field, String source) {
    if (value.signum() < 0 || value.bitLength() > 31) {
      throw new PkiException(source + ": " + field + " " + value + " is out of range 0.."
          + Integer.MAX_VALUE);
    }
    return value.intValue();
  }

  static List<GeneralName> generalNames(GeneralNames names, String source) {
    List<GeneralName> out = new ArrayList<>();
    for (org.bouncycastle.asn1.x509.GeneralName name : names.getNames()) {
      out.add(Names.fromBc(name, source));
    }
    if (out.isEmpty()) {
      throw new PkiException(source + ": empty GeneralNames (expected at least one name)");
    }
    return List.copyOf(out);
  }

  private static boolean bitSet(ASN1BitString bits, int bit) {
    return (bits.getBytes()[bit / 8] & (0x80 >>> (bit % 8))) != 0;
  }

  /** A short description of an ASN.1 value for messages: its type and, if small, its DER. */
  static String describe(ASN1Encodable value) {
    ASN1Primitive primitive = value.toASN1Primitive();
    String type = primitive.getClass().getSimpleName().replaceFirst("^(DER|DL|BER|ASN1)", "");
    try {
      return type + " " + hex(primitive.getEncoded());
    } catch (IOException e) {
      return type;
    }
  }

  static String hex(byte[] bytes) {
    if (bytes.length > 32) {
      return HexFormat.of().formatHex(bytes, 0, 32) + "...";
    }
    return HexFormat.of().formatHex(bytes);
  }
}
