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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private URI distributionPoint;
  private String onlyContains;
  private boolean omitAuthorityKeyIdentifier;
  private boolean omitCrlNumber;
  private final Map<BigInteger, Revocation> revocations = new LinkedHashMap<>();
  private final List<CertificateBuilder.RawExtension> rawExtensions = new ArrayList<>();

  private record Revocation(
      BigInteger serial, Instant when, RevocationReason reason, X500Principal certificateIssuer) {}

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
   * "unspecified". The revocation date is the CRL's thisUpdate.
   *
   * @param certificate a certificate issued by this CRL's issuer
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

  private CrlBuilder add(Revocation revocation) {
    Revocation old = revocations.putIfAbsent(revocation.serial(), revocation);
    if (old != null) {
      throw new IllegalStateException("serial " + revocation.serial() + " was already revoked"
          + (old.when() != null ? " at " + old.when() : "")
          + (old.reason() != null ? " for " + old.reason() : ""));
    }
    return this;
  }

  /**
   * Adds an issuing distribution point extension (critical) naming where this CRL is published.
   *
   * <p>If neither this nor one of the "only contains" options is set, the CRL has no issuing
   * distribution point extension and covers every certificate of its issuer.
   *
   * @param uri the distribution point, normally the URI in the certificates' CRL distribution
   *     points extension
   * @return this builder
   */
  public CrlBuilder issuingDistributionPoint(URI uri) {
    checkUnset("issuingDistributionPoint", this.distributionPoint);
    this.distributionPoint = Objects.requireNonNull(uri, "uri");
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
   * @throws IllegalStateException if no issuer was set, nextUpdate is before thisUpdate, or a
   *     revoked certificate was issued by someone else
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
      for (Revocation revocation : revocations.values()) {
        addEntry(builder, revocation, ca, issued);
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

  private static void addEntry(
      X509v2CRLBuilder builder, Revocation revocation, X509Certificate ca, Instant issued)
      throws IOException {
    if (revocation.certificateIssuer() != null
        && !revocation.certificateIssuer().equals(ca.getSubjectX500Principal())) {
      throw new IllegalStateException("Certificate serial " + revocation.serial()
          + " was issued by '" + revocation.certificateIssuer().getName() + "', not by the CRL"
          + " issuer '" + ca.getSubjectX500Principal().getName() + "'");
    }
    ExtensionsGenerator entryExtensions = new ExtensionsGenerator();
    if (revocation.reason() != null) {
      entryExtensions.addExtension(Extension.reasonCode, false,
          CRLReason.lookup(revocation.reason().code()));
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
    if (distributionPoint != null || onlyContains != null) {
      DistributionPointName name = distributionPoint == null ? null
          : new DistributionPointName(new GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
              org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier,
              distributionPoint.toString())));
      out.add(new Extension(Extension.issuingDistributionPoint, true,
          new org.bouncycastle.asn1.x509.IssuingDistributionPoint(name,
              "onlyContainsUserCerts".equals(onlyContains),
              "onlyContainsCACerts".equals(onlyContains), null, false, false).getEncoded()));
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
