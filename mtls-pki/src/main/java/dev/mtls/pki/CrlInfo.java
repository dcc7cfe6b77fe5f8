package dev.mtls.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Extension;

/**
 * A read-only view of an X.509 certificate revocation list: who issued it, when it was issued
 * and when the next one is due, which certificates it revokes and why.
 *
 * <p>Like {@link CertificateInfo}, the view is checked eagerly and strictly: DER only, times as
 * RFC 5280 writes them, and a malformed extension, of the CRL or of any entry, is reported as a
 * {@link PkiException} naming the CRL (issuer and thisUpdate), the entry if any, and the
 * extension. Look-ups by serial number use a hash index, so checking a certificate against a CRL
 * of a million entries costs the same as against a CRL of ten.
 *
 * <p>{@link #parse(byte[], String)} reads the bytes a CRL distribution point serves without
 * building the JDK's {@link X509CRL}: it indexes the entries in place and decodes one only when a
 * look-up finds it. A CRL of a million entries then loads many times faster than with the JDK's
 * {@code CertificateFactory} and holds a fraction of its heap: its encoding, plus 8 to 16 bytes
 * of index per entry.
 *
 * <p>A view does not check the signature: call {@link #verify(X509Certificate)} with the issuer's
 * certificate before trusting anything in it.
 */
public final class CrlInfo {
  private static final Set<String> UNDERSTOOD = Set.of(
      Extension.authorityKeyIdentifier.getId(), Extension.cRLNumber.getId(),
      Extension.deltaCRLIndicator.getId(), Extension.issuingDistributionPoint.getId());

  private final CrlEncoding encoding;
  private final String source;
  private final Optional<BigInteger> crlNumber;
  private final Optional<BigInteger> deltaCrlIndicator;
  private final Optional<AuthorityKeyIdentifier> authorityKeyIdentifier;
  private final Optional<IssuingDistributionPoint> issuingDistributionPoint;
  private final List<ExtensionInfo> extensions;
  private final Set<String> unknownCriticalExtensions;
  private final CrlEntries entries;
  private volatile X509CRL crl;

  /**
   * Reads a CRL's encoding.
   *
   * @param der the encoding, which this view keeps and no one may change
   * @param source where the bytes came from, for messages; with {@code crl}, the CRL's name
   * @param crl the JDK's object for these bytes, if there is one already
   */
  private CrlInfo(byte[] der, String source, X509CRL crl) {
    this.crl = crl;
    this.encoding = CrlEncoding.read(der, source);
    this.source = crl != null ? source
        : source + ", " + describe(encoding.issuer, encoding.thisUpdate);
    Map<String, Extension> parsed = ExtensionParser.read(encoding.extensions, this.source);
    this.crlNumber = get(parsed, Extension.cRLNumber, ExtensionParser::nonNegativeInteger);
    this.deltaCrlIndicator =
        get(parsed, Extension.deltaCRLIndicator, ExtensionParser::nonNegativeInteger);
    this.authorityKeyIdentifier =
        get(parsed, Extension.authorityKeyIdentifier, ExtensionParser::authorityKeyIdentifier);
    this.issuingDistributionPoint =
        get(parsed, Extension.issuingDistributionPoint, CrlInfo::issuingDistributionPoint);
    this.extensions = ExtensionParser.infos(parsed);
    this.entries = CrlEntries.parse(
        der, encoding.revokedStart, encoding.revokedEnd, encoding.issuer, this.source);
    Set<String> unknown = new LinkedHashSet<>(ExtensionParser.unknownCritical(parsed, UNDERSTOOD));
    unknown.addAll(entries.unknownCritical());
    this.unknownCriticalExtensions = Collections.unmodifiableSet(unknown);
  }

  private <T> Optional<T> get(Map<String, Extension> extensions,
      org.bouncycastle.asn1.ASN1ObjectIdentifier oid, BiFunction<Extension, String, T> parser) {
    Extension extension = extensions.get(oid.getId());
    if (extension == null) {
      return Optional.empty();
    }
    return Optional.of(parser.apply(extension, ExtensionParser.source(source, oid.getId())));
  }

  private static IssuingDistributionPoint issuingDistributionPoint(
      Extension extension, String source) {
    ASN1Sequence seq = ExtensionParser.sequence(
        ExtensionParser.value(extension, source), source, "IssuingDistributionPoint");
    org.bouncycastle.asn1.x509.IssuingDistributionPoint idp;
    try {
      idp = org.bouncycastle.asn1.x509.IssuingDistributionPoint.getInstance(seq);
    } catch (IllegalArgumentException e) {
      throw new PkiException(source + ": malformed IssuingDistributionPoint: " + e.getMessage(), e);
    }
    int only = (idp.onlyContainsUserCerts() ? 1 : 0) + (idp.onlyContainsCACerts() ? 1 : 0)
        + (idp.onlyContainsAttributeCerts() ? 1 : 0);
    if (only > 1) {
      throw new PkiException(source + ": more than one of onlyContainsUserCerts,"
          + " onlyContainsCACerts and onlyContainsAttributeCerts is TRUE");
    }
    return new IssuingDistributionPoint(
        ExtensionParser.fullName(idp.getDistributionPoint(), source),
        ExtensionParser.relativeName(idp.getDistributionPoint(), source),
        idp.onlyContainsUserCerts(),
        idp.onlyContainsCACerts(),
        idp.getOnlySomeReasons() == null
            ? Set.of() : ExtensionParser.reasons(idp.getOnlySomeReasons(), source),
        idp.isIndirectCRL(),
        idp.onlyContainsAttributeCerts());
  }

  /**
   * Reads a CRL from the JDK's object.
   *
   * @param crl a CRL, as read by the JDK's {@code CertificateFactory} or {@link #fromDer}
   * @return the view, whose {@link #crl()} is {@code crl}
   * @throws PkiException if the encoding or an extension is malformed, naming the CRL's issuer,
   *     its thisUpdate, the entry and the extension
   */
  public static CrlInfo of(X509CRL crl) {
    Objects.requireNonNull(crl, "crl");
    try {
      return new CrlInfo(crl.getEncoded(), describe(crl), crl);
    } catch (CRLException e) {
      throw new PkiException(describe(crl) + ": cannot be encoded", e);
    }
  }

  /**
   * Reads a DER-encoded CRL, as served from a CRL distribution point, into a view ready for
   * look-ups, without building the JDK's {@link X509CRL} (see {@link #crl()}). This is the way to
   * load a large CRL: it is checked as strictly as by {@link #of(X509CRL)}, in one pass, and its
   * entries are decoded only when found.
   *
   * @param der the DER encoding of one CRL; copied, so later changes to the array do not matter
   * @param source where the bytes came from (a URL or path), for messages
   * @return the view
   * @throws PkiException naming the source if the bytes are empty, not DER (PEM text, for one),
   *     not a CRL, or if an extension is malformed (then also naming the CRL's issuer, its
   *     thisUpdate, the entry and the extension)
   */
  public static CrlInfo parse(byte[] der, String source) {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(source, "source");
    checkLeadingByte(der, source);
    return new CrlInfo(der.clone(), source, null);
  }

  /**
   * Reads a DER-encoded CRL, as served from a CRL distribution point, into the JDK's object. To
   * check certificates against it, {@link #parse(byte[], String)} is faster and smaller.
   *
   * @param der the DER encoding of one CRL
   * @param source where the bytes came from (a URL or path), for messages
   * @return the CRL
   * @throws PkiException naming the source if the bytes are empty, not DER (PEM text, for one)
   *     or not a CRL
   */
  public static X509CRL fromDer(byte[] der, String source) {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(source, "source");
    checkLeadingByte(der, source);
    try {
      ASN1Primitive.fromByteArray(der);
      return (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der));
    } catch (IOException | CRLException | RuntimeException e) {
      throw new PkiException(source + ": not a valid DER-encoded X.509 CRL (" + der.length
          + " bytes)", e);
    } catch (CertificateException e) {
      throw new IllegalStateException("No X.509 CertificateFactory in this JDK", e);
    }
  }

  private static void checkLeadingByte(byte[] der, String source) {
    if (der.length == 0) {
      throw new PkiException(source + ": empty, expected a DER-encoded X.509 CRL");
    }
    if (der[0] != 0x30) {
      throw new PkiException(source + ": not DER (first byte 0x" + String.format("%02x", der[0])
          + (der[0] == '-' ? ", looks like PEM text" : "")
          + "), expected a DER-encoded X.509 CRL");
    }
  }

  /** {@code CRL of 'CN=Root' at 2026-01-01T00:00:00Z}: how messages name a CRL. */
  static String describe(X509CRL crl) {
    return describe(crl.getIssuerX500Principal(), crl.getThisUpdate().toInstant());
  }

  private static String describe(X500Principal issuer, Instant thisUpdate) {
    return "CRL of '" + issuer.getName() + "' at " + thisUpdate;
  }

  /**
   * Returns the JDK's object for this CRL, for APIs that need one ({@code CertStore},
   * {@code PKIXRevocationChecker}). A view from {@link #of(X509CRL)} returns the CRL it was made
   * from. A view from {@link #parse(byte[], String)} has the JDK parse the encoding on the first
   * call, which for a large CRL costs what {@code parse} saved, and keeps the result.
   *
   * @return the CRL
   * @throws PkiException if the JDK refuses the encoding
   */
  public X509CRL crl() {
    X509CRL result = crl;
    if (result == null) {
      try {
        result = (X509CRL) CertificateFactory.getInstance("X.509")
            .generateCRL(new ByteArrayInputStream(encoding.encoded()));
      } catch (CRLException e) {
        throw new PkiException(source + ": the JDK cannot read this CRL", e);
      } catch (CertificateException e) {
        throw new IllegalStateException("No X.509 CertificateFactory in this JDK", e);
      }
      crl = result;
    }
    return result;
  }

  /**
   * Returns the CRL version: 1 (no extensions) or 2.
   *
   * @return the version number
   */
  public int version() {
    return encoding.version;
  }

  /**
   * Returns the CRL issuer's distinguished name.
   *
   * @return the issuer
   */
  public X500Principal issuer() {
    return encoding.issuer;
  }

  /**
   * Returns when this CRL was issued.
   *
   * @return the thisUpdate time
   */
  public Instant thisUpdate() {
    return encoding.thisUpdate;
  }

  /**
   * Returns when the next CRL is due. After that, this one is stale.
   *
   * @return the nextUpdate time; empty if the CRL has none (RFC 5280 requires it)
   */
  public Optional<Instant> nextUpdate() {
    return encoding.nextUpdate;
  }

  /**
   * Returns the CRL number, which increases with every CRL of an issuer.
   *
   * @return the number; empty if the extension is absent (RFC 5280 requires it)
   */
  public Optional<BigInteger> crlNumber() {
    return crlNumber;
  }

  /**
   * Returns the base CRL number of a delta CRL.
   *
   * @return the number of the complete CRL this delta applies to; empty for a complete CRL
   */
  public Optional<BigInteger> deltaCrlIndicator() {
    return deltaCrlIndicator;
  }

  /**
   * Returns the authority key identifier: which key signed the CRL.
   *
   * @return the identifier; empty if the extension is absent (RFC 5280 requires it)
   */
  public Optional<AuthorityKeyIdentifier> authorityKeyIdentifier() {
    return authorityKeyIdentifier;
  }

  /**
   * Returns the issuing distribution point.
   *
   * @return the point; empty if the extension is absent (the CRL covers every certificate of
   *     its issuer)
   */
  public Optional<IssuingDistributionPoint> issuingDistributionPoint() {
    return issuingDistributionPoint;
  }

  /**
   * Returns every CRL extension, in order.
   *
   * @return the extensions with their criticality
   */
  public List<ExtensionInfo> extensions() {
    return extensions;
  }

  /**
   * Returns whether the CRL has the given extension, marked critical.
   *
   * @param oid a dotted object identifier
   * @return true if the extension is present and critical
   */
  public boolean isCritical(String oid) {
    Objects.requireNonNull(oid, "oid");
    return extensions.stream().anyMatch(e -> e.oid().equals(oid) && e.critical());
  }

  /**
   * Returns the critical extensions, of the CRL or of any entry, that this view does not parse.
   * A relying party must not use a CRL with a critical extension it does not process (RFC 5280
   * section 5.2). Understood: authority key identifier, CRL number, delta CRL indicator, issuing
   * distribution point; on entries, reason code, invalidity date and certificate issuer.
   *
   * @return the OIDs of the critical extensions not understood
   */
  public Set<String> unknownCriticalExtensions() {
    return unknownCriticalExtensions;
  }

  /**
   * Returns every revoked-certificate entry, in CRL order. They are decoded on the first call,
   * which for a CRL of a million entries takes a while and holds a million objects; to check
   * certificates, use {@link #find(BigInteger)}.
   *
   * @return the entries
   */
  public List<RevokedEntry> entries() {
    return entries.all();
  }

  /**
   * Looks up a certificate of the CRL's own issuer by serial number, in constant time.
   *
   * @param serialNumber the certificate's serial number
   * @return the entry if the certificate is revoked; if a serial number is listed twice, the
   *     first entry
   */
  public Optional<RevokedEntry> find(BigInteger serialNumber) {
    return find(issuer(), serialNumber);
  }

  /**
   * Looks up a certificate by issuer and serial number, in constant time. For an indirect CRL,
   * the issuer is the directory name of the entry's certificate issuer.
   *
   * @param certificateIssuer the distinguished name of the certificate's issuer
   * @param serialNumber the certificate's serial number
   * @return the entry if the certificate is revoked
   */
  public Optional<RevokedEntry> find(X500Principal certificateIssuer, BigInteger serialNumber) {
    Objects.requireNonNull(certificateIssuer, "certificateIssuer");
    Objects.requireNonNull(serialNumber, "serialNumber");
    return entries.find(certificateIssuer, serialNumber);
  }

  /**
   * Returns whether the CRL's signature verifies with the public key of a certificate.
   *
   * @param issuerCertificate the certificate of the presumed CRL issuer
   * @return true if the signature verifies
   */
  public boolean isSignedBy(X509Certificate issuerCertificate) {
    Objects.requireNonNull(issuerCertificate, "issuerCertificate");
    try {
      encoding.verify(issuerCertificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Checks the CRL's signature with the public key of a certificate.
   *
   * @param issuerCertificate the certificate of the CRL issuer
   * @throws PkiException if the signature does not verify, naming the CRL, the certificate
   *     tried, and whether its subject is the CRL's issuer
   */
  public void verify(X509Certificate issuerCertificate) {
    Objects.requireNonNull(issuerCertificate, "issuerCertificate");
    try {
      encoding.verify(issuerCertificate.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      boolean sameName = issuerCertificate.getSubjectX500Principal().equals(issuer());
      throw new PkiException(source + ": signature does not verify with the key of "
          + CertificateInfo.describe(issuerCertificate)
          + (sameName ? "" : " (whose subject is not the CRL issuer)")
          + "; expected the certificate of the key that signed the CRL", e);
    }
  }

  @Override
  public String toString() {
    return "CrlInfo[" + source + ", " + entries.size() + " entries]";
  }
}
