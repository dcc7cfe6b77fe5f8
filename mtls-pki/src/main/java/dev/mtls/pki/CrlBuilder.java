package dev.mtls.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds X.509 certificate revocation lists (version 2, RFC 5280 section 5), signed by a CA.
 *
 * <p>Every setter documents what happens if it is not called. The defaults make a conforming
 * CRL: thisUpdate now, nextUpdate seven days later, CRL number 1, and an authority key
 * identifier taken from the issuer's subject key identifier. The signature algorithm follows the
 * issuer's key, as in {@link CertificateBuilder}.
 *
 * <pre>{@code
 * X509CRL crl = CrlBuilder.create()
 *     .issuedBy(ca)
 *     .crlNumber(BigInteger.valueOf(42))
 *     .revoke(stolenLaptop.certificate())
 *     .build();
 * }</pre>
 *
 * <p>Each setter may be called once; a second call, or a setting that conflicts with an earlier
 * one, throws {@link IllegalStateException} naming both values. The methods marked
 * "non-conforming" make broken CRLs for tests. A builder is not thread-safe.
 */
public final class CrlBuilder {
  private static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);

  private Clock clock;
  private CertifiedKey issuer;
  private Instant thisUpdate;
  private Instant nextUpdate;
  private BigInteger crlNumber;
  private BigInteger deltaBase;
  private List<GeneralName> distributionPoint;
  private String onlyContains;
  private Set<RevocationReason> onlySomeReasons;
  private boolean indirectCrl;
  private boolean omitAuthorityKeyIdentifier;
  private boolean omitCrlNumber;
  private final Map<RevocationKey, Revocation> revocations = new LinkedHashMap<>();
  private final List<CertificateBuilder.RawExtension> rawExtensions = new ArrayList<>();

  private record Revocation(
      BigInteger serial, Instant when, RevocationReason reason, X500Principal certificateIssuer) {}

  /** A revoked certificate: its issuer (null: the CRL's issuer) and serial number. */
  private record RevocationKey(X500Principal issuer, BigInteger serial) {}

  private CrlBuilder() {}

  /**
   * Starts a new CRL.
   *
   * @return a builder with every option unset
   */
  public static CrlBuilder create() {
    return new CrlBuilder();
  }

  /**
   * Sets the clock that decides "now" for the default thisUpdate and nextUpdate.
   *
   * <p>If unset, the system UTC clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public CrlBuilder clock(Clock clock) {
    checkUnset("clock", this.clock);
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Sets the CA that issues and signs the CRL. Required.
   *
   * @param issuer the CA's key and certificate
   * @return this builder
   */
  public CrlBuilder issuedBy(CertifiedKey issuer) {
    checkUnset("issuedBy", this.issuer);
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    return this;
  }

  /**
   * Sets when the CRL is issued.
   *
   * <p>If unset, now.
   *
   * @param thisUpdate the issue time
   * @return this builder
   */
  public CrlBuilder thisUpdate(Instant thisUpdate) {
    checkUnset("thisUpdate", this.thisUpdate);
    this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
    return this;
  }

  /**
   * Sets when the next CRL is due.
   *
   * <p>If unset, seven days after thisUpdate.
   *
   * @param nextUpdate the time of the next CRL; not before thisUpdate
   * @return this builder
   */
  public CrlBuilder nextUpdate(Instant nextUpdate) {
    checkUnset("nextUpdate", this.nextUpdate);
    this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
    return this;
  }

  /**
   * Sets the CRL number, which must increase with every CRL the issuer publishes.
   *
   * <p>If unset, 1.
   *
   * @param crlNumber a non-negative number of at most 20 octets
   * @return this builder
   * @throws IllegalArgumentException if the number is negative or longer than 20 octets
   */
  public CrlBuilder crlNumber(BigInteger crlNumber) {
    checkUnset("crlNumber", this.crlNumber);
    checkCrlNumber("crlNumber", crlNumber);
    if (omitCrlNumber) {
      throw new IllegalStateException("crlNumber " + crlNumber + " conflicts with omitCrlNumber()");
    }
    this.crlNumber = crlNumber;
    return this;
  }

  /**
   * Makes this a delta CRL: it lists only the changes since the complete CRL with the given
   * number (the critical delta CRL indicator extension).
   *
   * <p>If unset, the CRL is a complete CRL.
   *
   * @param baseCrlNumber the number of the complete CRL this delta applies to
   * @return this builder
   */
  public CrlBuilder deltaCrlIndicator(BigInteger baseCrlNumber) {
    checkUnset("deltaCrlIndicator", this.deltaBase);
    checkCrlNumber("baseCrlNumber", baseCrlNumber);
    this.deltaBase = baseCrlNumber;
    return this;
  }

  /**
   * Revokes a certificate of the issuer without giving a reason, as RFC 5280 prefers for
   * "unspecified". The revocation date is the CRL's thisUpdate. In an indirect CRL (see
   * {@link #indirectCrl()}), the certificate may be of another issuer, which its entry names.
   *
   * @param certificate a certificate issued by this CRL's issuer, or in an indirect CRL by any
   *     issuer
   * @return this builder
   * @throws IllegalStateException if the serial number is already revoked
   */
  public CrlBuilder revoke(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    return add(new Revocation(certificate.getSerialNumber(), null, null,
        certificate.getIssuerX500Principal()));
  }

  /**
   * Revokes a serial number of the issuer at a given time without giving a reason.
   *
   * @param serialNumber the serial number of the revoked certificate
   * @param when the revocation date
   * @return this builder
   * @throws IllegalStateException if the serial number is already revoked
   */
  public CrlBuilder revoke(BigInteger serialNumber, Instant when) {
    return add(new Revocation(Objects.requireNonNull(serialNumber, "serialNumber"),
        Objects.requireNonNull(when, "when"), null, null));
  }

  /**
   * Revokes a serial number of the issuer at a given time, for a reason (the reason code entry
   * extension).
   *
   * @param serialNumber the serial number of the revoked certificate
   * @param when the revocation date
   * @param reason why the certificate is revoked
   * @return this builder
   * @throws IllegalStateException if the serial number is already revoked
   */
  public CrlBuilder revoke(BigInteger serialNumber, Instant when, RevocationReason reason) {
    return add(new Revocation(Objects.requireNonNull(serialNumber, "serialNumber"),
        Objects.requireNonNull(when, "when"), Objects.requireNonNull(reason, "reason"), null));
  }

  /**
   * Revokes a certificate of another issuer in an indirect CRL (see {@link #indirectCrl()}): the
   * entry carries the critical certificate issuer extension (RFC 5280 section 5.3.3). Entries
   * without that extension belong to the issuer of the entry before them, so the builder writes
   * the extension on every entry whose issuer differs from the previous entry's, and only there.
   *
   * @param serialNumber the serial number of the revoked certificate
   * @param when the revocation date
   * @param reason why the certificate is revoked
   * @param certificateIssuer the issuer of the revoked certificate
   * @return this builder
   * @throws IllegalStateException if that issuer's serial number is already revoked; at
   *     {@link #build()}, if the issuer is not the CRL issuer and {@link #indirectCrl()} was not
   *     called
   */
  public CrlBuilder revoke(BigInteger serialNumber, Instant when, RevocationReason reason,
      X500Principal certificateIssuer) {
    return add(new Revocation(Objects.requireNonNull(serialNumber, "serialNumber"),
        Objects.requireNonNull(when, "when"), Objects.requireNonNull(reason, "reason"),
        Objects.requireNonNull(certificateIssuer, "certificateIssuer")));
  }

  private CrlBuilder add(Revocation revocation) {
    Revocation old = revocations.putIfAbsent(
        new RevocationKey(revocation.certificateIssuer(), revocation.serial()), revocation);
    if (old != null) {
      throw new IllegalStateException("serial " + revocation.serial()
          + (old.certificateIssuer() != null ? " of '" + old.certificateIssuer().getName() + "'" : "")
          + " was already revoked"
          + (old.when() != null ? " at " + old.when() : "")
          + (old.reason() != null ? " for " + old.reason() : ""));
    }
    return this;
  }

  /**
   * Adds an issuing distribution point extension (critical) naming where this CRL is published.
   * Relying parties then use the CRL only for certificates whose CRL distribution points
   * extension names the same point: a CRL for one distribution point is a partition of the
   * issuer's revocations, not all of them.
   *
   * <p>If neither this, {@link #issuingDistributionPoint(GeneralName...)}, one of the "only
   * contains" options, {@link #onlySomeReasons} nor {@link #indirectCrl()} is set, the CRL has no
   * issuing distribution point extension and covers every certificate of its issuer.
   *
   * @param uri the distribution point, normally the URI in the certificates' CRL distribution
   *     points extension
   * @return this builder
   */
  public CrlBuilder issuingDistributionPoint(URI uri) {
    return issuingDistributionPoint(GeneralName.uri(Objects.requireNonNull(uri, "uri").toString()));
  }

  /**
   * Names the distribution point in the issuing distribution point extension with one or more
   * full names: several URIs where the same CRL is published, or a directory name.
   *
   * <p>If unset, see {@link #issuingDistributionPoint(URI)}.
   *
   * @param fullName the names of the distribution point, as the certificates' CRL distribution
   *     points extension names it
   * @return this builder
   * @throws IllegalArgumentException if no name is given
   * @throws IllegalStateException if a distribution point name was already set
   */
  public CrlBuilder issuingDistributionPoint(GeneralName... fullName) {
    List<GeneralName> names = List.of(fullName);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("issuingDistributionPoint needs at least one name");
    }
    checkUnset("issuingDistributionPoint", this.distributionPoint);
    this.distributionPoint = names;
    return this;
  }

  /**
   * Declares in the issuing distribution point that the CRL covers end-entity certificates only.
   *
   * @return this builder
   * @throws IllegalStateException if {@link #onlyContainsCaCerts()} was called
   */
  public CrlBuilder onlyContainsUserCerts() {
    checkUnset("onlyContains", onlyContains);
    onlyContains = "onlyContainsUserCerts";
    return this;
  }

  /**
   * Declares in the issuing distribution point that the CRL covers CA certificates only (an
   * authority revocation list).
   *
   * @return this builder
   * @throws IllegalStateException if {@link #onlyContainsUserCerts()} was called
   */
  public CrlBuilder onlyContainsCaCerts() {
    checkUnset("onlyContains", onlyContains);
    onlyContains = "onlyContainsCACerts";
    return this;
  }

  /**
   * Declares in the issuing distribution point that the CRL covers only some revocation reasons
   * (RFC 5280 section 5.2.5): certificates revoked for other reasons are listed in another CRL.
   * A relying party counts a certificate as not revoked only once CRLs covering every reason
   * have been consulted.
   *
   * <p>If unset, the CRL covers every reason.
   *
   * @param reasons one or more reasons; not {@code UNSPECIFIED} or {@code REMOVE_FROM_CRL}, which
   *     {@code ReasonFlags} cannot express
   * @return this builder
   * @throws IllegalArgumentException if no reason is given, or one that cannot be expressed
   * @throws IllegalStateException if the reasons were already set
   */
  public CrlBuilder onlySomeReasons(RevocationReason... reasons) {
    checkUnset("onlySomeReasons", this.onlySomeReasons);
    this.onlySomeReasons = DistributionPointEncoder.checkReasons("onlySomeReasons", List.of(reasons));
    return this;
  }

  /**
   * Declares in the issuing distribution point that this is an indirect CRL (RFC 5280 section
   * 5.2.5): it may list certificates of issuers other than the CRL issuer, each entry naming its
   * issuer (see {@link #revoke(BigInteger, Instant, RevocationReason, X500Principal)}). Relying
   * parties use it only for certificates whose CRL distribution point names this CRL issuer as
   * cRLIssuer.
   *
   * <p>If not called, the CRL lists only certificates of its own issuer, and
   * {@link #build()} refuses entries of other issuers.
   *
   * @return this builder
   * @throws IllegalStateException if already called
   */
  public CrlBuilder indirectCrl() {
    if (indirectCrl) {
      throw new IllegalStateException("indirectCrl() was already called");
    }
    indirectCrl = true;
    return this;
  }

  /**
   * Non-conforming: leaves out the authority key identifier extension.
   *
   * @return this builder
   */
  public CrlBuilder omitAuthorityKeyIdentifier() {
    omitAuthorityKeyIdentifier = true;
    return this;
  }

  /**
   * Non-conforming: leaves out the CRL number extension.
   *
   * @return this builder
   * @throws IllegalStateException if a CRL number was set
   */
  public CrlBuilder omitCrlNumber() {
    if (crlNumber != null) {
      throw new IllegalStateException("omitCrlNumber() conflicts with crlNumber " + crlNumber);
    }
    omitCrlNumber = true;
    return this;
  }

  /**
   * Non-conforming when critical and unknown: adds a CRL extension with the given DER value,
   * replacing any extension with the same object identifier the builder would write.
   *
   * @param oid the extension's object identifier
   * @param critical whether the extension is critical
   * @param derValue the DER encoding of the extension value
   * @return this builder
   */
  public CrlBuilder addExtension(String oid, boolean critical, byte[] derValue) {
    GeneralName.registeredId(oid);
    rawExtensions.add(new CertificateBuilder.RawExtension(
        oid, critical, Objects.requireNonNull(derValue, "derValue").clone()));
    return this;
  }

  /**
   * Signs the CRL.
   *
   * @return the CRL, as the JDK's {@code CertificateFactory} reads it
   * @throws IllegalStateException if no issuer was set, nextUpdate is before thisUpdate, a
   *     revoked certificate was issued by someone else and the CRL is not indirect, or the same
   *     certificate is revoked twice (once by serial number, once by certificate)
   */
  public X509CRL build() {
    if (issuer == null) {
      throw new IllegalStateException("A CRL needs an issuer: call issuedBy(..)");
    }
    X509Certificate ca = issuer.certificate();
    Instant issued = thisUpdate != null ? thisUpdate
        : (clock != null ? clock : Clock.systemUTC()).instant();
    Instant next = nextUpdate != null ? nextUpdate : issued.plus(DEFAULT_LIFETIME);
    if (next.isBefore(issued)) {
      throw new IllegalStateException("nextUpdate " + next + " is before thisUpdate " + issued);
    }
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        Names.x500(ca.getSubjectX500Principal()), Date.from(issued));
    builder.setNextUpdate(Date.from(next));
    try {
      X500Principal crlIssuer = ca.getSubjectX500Principal();
      X500Principal previous = crlIssuer;
      Set<RevocationKey> seen = new HashSet<>();
      for (Revocation revocation : revocations.values()) {
        X500Principal certificateIssuer = revocation.certificateIssuer() != null
            ? revocation.certificateIssuer() : crlIssuer;
        checkEntry(revocation, certificateIssuer, crlIssuer, seen);
        addEntry(builder, revocation, certificateIssuer.equals(previous) ? null : certificateIssuer,
            issued);
        previous = certificateIssuer;
      }
      List<Extension> extensions = extensions(ca);
      List<String> replaced = rawExtensions.stream().map(CertificateBuilder.RawExtension::oid).toList();
      for (Extension extension : extensions) {
        if (!replaced.contains(extension.getExtnId().getId())) {
          builder.addExtension(extension);
        }
      }
      for (CertificateBuilder.RawExtension raw : rawExtensions) {
        builder.addExtension(new Extension(
            new ASN1ObjectIdentifier(raw.oid()), raw.critical(), new DEROctetString(raw.value())));
      }
      byte[] der = builder.build(new JcaContentSignerBuilder(
              CertificateSigner.signatureAlgorithm(ca.getPublicKey()))
          .setProvider(Providers.BC).build(issuer.privateKey())).getEncoded();
      return (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(der));
    } catch (OperatorCreationException e) {
      throw new IllegalArgumentException(
          "Cannot sign with a " + issuer.privateKey().getAlgorithm() + " key", e);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot encode the CRL of " + ca.getSubjectX500Principal(), e);
    }
  }

  private void checkEntry(Revocation revocation, X500Principal certificateIssuer,
      X500Principal crlIssuer, Set<RevocationKey> seen) {
    if (!indirectCrl && !certificateIssuer.equals(crlIssuer)) {
      throw new IllegalStateException("Certificate serial " + revocation.serial()
          + " was issued by '" + certificateIssuer.getName() + "', not by the CRL issuer '"
          + crlIssuer.getName() + "'; call indirectCrl() to list certificates of other issuers");
    }
    if (!seen.add(new RevocationKey(certificateIssuer, revocation.serial()))) {
      throw new IllegalStateException("serial " + revocation.serial() + " of '"
          + certificateIssuer.getName() + "' is revoked twice");
    }
  }

  /** Adds an entry; with the certificate issuer extension if {@code newIssuer} is not null. */
  private static void addEntry(X509v2CRLBuilder builder, Revocation revocation,
      X500Principal newIssuer, Instant issued) throws IOException {
    ExtensionsGenerator entryExtensions = new ExtensionsGenerator();
    if (revocation.reason() != null) {
      entryExtensions.addExtension(Extension.reasonCode, false,
          CRLReason.lookup(revocation.reason().code()));
    }
    if (newIssuer != null) {
      // RFC 5280 5.3.3: critical, so that a relying party that cannot process it refuses the CRL.
      entryExtensions.addExtension(Extension.certificateIssuer, true, new GeneralNames(
          new org.bouncycastle.asn1.x509.GeneralName(Names.x500(newIssuer))));
    }
    builder.addCRLEntry(revocation.serial(),
        Date.from(revocation.when() != null ? revocation.when() : issued),
        entryExtensions.isEmpty() ? null : entryExtensions.generate());
  }

  private List<Extension> extensions(X509Certificate ca)
      throws IOException, GeneralSecurityException {
    List<Extension> out = new ArrayList<>();
    if (!omitAuthorityKeyIdentifier) {
      CertificateInfo info = CertificateInfo.of(ca);
      org.bouncycastle.asn1.x509.AuthorityKeyIdentifier aki = info.subjectKeyIdentifier()
          .map(org.bouncycastle.asn1.x509.AuthorityKeyIdentifier::new)
          .orElseGet(() -> createAuthorityKeyIdentifier(ca));
      out.add(new Extension(Extension.authorityKeyIdentifier, false, aki.getEncoded()));
    }
    if (!omitCrlNumber) {
      out.add(new Extension(Extension.cRLNumber, false,
          new ASN1Integer(crlNumber != null ? crlNumber : BigInteger.ONE).getEncoded()));
    }
    if (deltaBase != null) {
      out.add(new Extension(Extension.deltaCRLIndicator, true,
          new ASN1Integer(deltaBase).getEncoded()));
    }
    if (distributionPoint != null || onlyContains != null || onlySomeReasons != null
        || indirectCrl) {
      DistributionPointName name = distributionPoint == null ? null
          : DistributionPointEncoder.name(distributionPoint, Optional.empty());
      out.add(new Extension(Extension.issuingDistributionPoint, true,
          new org.bouncycastle.asn1.x509.IssuingDistributionPoint(name,
              "onlyContainsUserCerts".equals(onlyContains),
              "onlyContainsCACerts".equals(onlyContains),
              onlySomeReasons == null ? null : DistributionPointEncoder.reasonFlags(onlySomeReasons),
              indirectCrl, false).getEncoded()));
    }
    return out;
  }

  private static org.bouncycastle.asn1.x509.AuthorityKeyIdentifier createAuthorityKeyIdentifier(
      X509Certificate ca) {
    try {
      return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is required on every Java platform", e);
    }
  }

  private static void checkCrlNumber(String name, BigInteger number) {
    Objects.requireNonNull(number, name);
    if (number.signum() < 0 || number.toByteArray().length > 20) {
      throw new IllegalArgumentException(
          name + " must be a non-negative number of at most 20 octets, was " + number);
    }
  }

  private static void checkUnset(String name, Object current) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
  }
}
