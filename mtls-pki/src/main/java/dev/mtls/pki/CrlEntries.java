package dev.mtls.pki;

import java.math.BigInteger;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.TBSCertList;

/** Parses the revoked-certificate entries of a CRL and indexes them, for {@link CrlInfo}. */
final class CrlEntries {
  static final Set<String> UNDERSTOOD = Set.of(Extension.reasonCode.getId(),
      Extension.invalidityDate.getId(), Extension.certificateIssuer.getId());

  /** Index key: the issuer of the revoked certificate and its serial number. */
  record Key(X500Principal issuer, BigInteger serial) {}

  final List<RevokedEntry> entries;
  final Map<Key, RevokedEntry> index;
  final Set<String> unknownCritical;

  private CrlEntries(List<RevokedEntry> entries, Map<Key, RevokedEntry> index,
      Set<String> unknownCritical) {
    this.entries = entries;
    this.index = index;
    this.unknownCritical = unknownCritical;
  }

  static CrlEntries parse(ASN1Sequence revoked, X500Principal crlIssuer, String owner) {
    List<RevokedEntry> entries = new ArrayList<>();
    Map<Key, RevokedEntry> index = new HashMap<>();
    Set<String> unknownCritical = new java.util.LinkedHashSet<>();
    List<GeneralName> currentIssuer = List.of();
    X500Principal currentPrincipal = crlIssuer;
    if (revoked == null) {
      return new CrlEntries(List.of(), Map.of(), Set.of());
    }
    for (ASN1Encodable element : revoked) {
      TBSCertList.CRLEntry entry;
      ASN1Sequence seq;
      try {
        seq = ASN1Sequence.getInstance(element);
        entry = TBSCertList.CRLEntry.getInstance(
            seq.size() > 2 ? new org.bouncycastle.asn1.DERSequence(
                new ASN1Encodable[] {seq.getObjectAt(0), seq.getObjectAt(1)}) : seq);
      } catch (IllegalArgumentException e) {
        throw new PkiException(owner + ": malformed revoked certificate entry "
            + ExtensionParser.describe(element), e);
      }
      BigInteger serial = entry.getUserCertificate().getValue();
      String source = owner + ", entry for serial " + serial.toString(16);
      Map<String, Extension> extensions =
          ExtensionParser.read(seq.size() > 2 ? seq.getObjectAt(2) : null, source);
      unknownCritical.addAll(ExtensionParser.unknownCritical(extensions, UNDERSTOOD));
      Extension issuerExtension = extensions.get(Extension.certificateIssuer.getId());
      if (issuerExtension != null) {
        currentIssuer = ExtensionParser.alternativeNames(issuerExtension,
            ExtensionParser.source(source, Extension.certificateIssuer.getId()));
        currentPrincipal = currentIssuer.stream()
            .filter(n -> n.kind() == GeneralName.Kind.DIRECTORY_NAME)
            .map(n -> new X500Principal(n.value()))
            .findFirst().orElse(null);
      }
      RevokedEntry parsed = new RevokedEntry(serial, entry.getRevocationDate().getDate().toInstant(),
          reason(extensions.get(Extension.reasonCode.getId()), source),
          invalidityDate(extensions.get(Extension.invalidityDate.getId()), source),
          currentIssuer);
      entries.add(parsed);
      if (currentPrincipal != null) {
        index.putIfAbsent(new Key(currentPrincipal, serial), parsed);
      }
    }
    return new CrlEntries(List.copyOf(entries), index,
        java.util.Collections.unmodifiableSet(unknownCritical));
  }

  private static Optional<RevocationReason> reason(Extension extension, String owner) {
    if (extension == null) {
      return Optional.empty();
    }
    String source = ExtensionParser.source(owner, extension.getExtnId().getId());
    ASN1Primitive value = ExtensionParser.value(extension, source);
    if (!(value instanceof ASN1Enumerated enumerated)) {
      throw new PkiException(source + ": expected a CRLReason (an ENUMERATED), found "
          + ExtensionParser.describe(value));
    }
    BigInteger code = enumerated.getValue();
    if (code.bitLength() > 31 || code.intValue() == 7 || code.intValue() < 0
        || code.intValue() > 10) {
      throw new PkiException(source + ": unknown CRLReason code " + code
          + " (expected 0 to 10, except 7)");
    }
    return Optional.of(RevocationReason.ofCode(code.intValue()));
  }

  private static Optional<java.time.Instant> invalidityDate(Extension extension, String owner) {
    if (extension == null) {
      return Optional.empty();
    }
    String source = ExtensionParser.source(owner, extension.getExtnId().getId());
    ASN1Primitive value = ExtensionParser.value(extension, source);
    if (!(value instanceof ASN1GeneralizedTime time)) {
      throw new PkiException(source + ": expected a GeneralizedTime, found "
          + ExtensionParser.describe(value));
    }
    try {
      return Optional.of(time.getDate().toInstant());
    } catch (ParseException e) {
      throw new PkiException(source + ": malformed GeneralizedTime " + time.getTimeString(), e);
    }
  }
}
