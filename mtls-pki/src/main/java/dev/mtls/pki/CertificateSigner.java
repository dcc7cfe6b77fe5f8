package dev.mtls.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Turns a {@link CertificateSpec} into a signed certificate with Bouncy Castle. */
final class CertificateSigner {
  private CertificateSigner() {}

  /**
   * Signs a certificate.
   *
   * @param spec the certificate's content
   * @param issuerCert the issuer's certificate, or null for a self-signed certificate
   * @param signingKey the issuer's private key (or the subject's own when self-signed)
   * @param algorithm a JCA signature algorithm to use instead of the one the key implies, or null
   */
  static X509Certificate sign(
      CertificateSpec spec, X509Certificate issuerCert, PrivateKey signingKey, String algorithm) {
    X500Name subject = Names.x500(spec.subject());
    X500Name issuer = issuerCert == null ? subject : Names.x500(issuerCert.getSubjectX500Principal());
    PublicKey issuerKey = issuerCert == null ? spec.publicKey() : issuerCert.getPublicKey();
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(spec.publicKey().getEncoded());
    Date notBefore = Date.from(spec.notBefore());
    Date notAfter = Date.from(spec.notAfter());
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(algorithm != null ? algorithm : signatureAlgorithm(issuerKey))
              .setProvider(Providers.BC)
              .build(signingKey);
      X509CertificateHolder holder;
      if (spec.version1()) {
        holder = new X509v1CertificateBuilder(
                issuer, spec.serialNumber(), notBefore, notAfter, subject, spki)
            .build(signer);
      } else {
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
            issuer, spec.serialNumber(), notBefore, notAfter, subject, spki);
        for (Extension extension : extensions(spec, issuerCert, issuerKey)) {
          builder.addExtension(extension);
        }
        holder = builder.build(signer);
      }
      return toJdk(holder.getEncoded());
    } catch (OperatorCreationException e) {
      throw new IllegalArgumentException(
          "Cannot sign with a " + signingKey.getAlgorithm() + " key"
              + (algorithm != null ? " and algorithm " + algorithm : ""), e);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot encode certificate for " + spec.subject(), e);
    }
  }

  /** The signature algorithm that follows from the issuer's key. */
  static String signatureAlgorithm(PublicKey issuerKey) {
    String alg = issuerKey.getAlgorithm();
    if (issuerKey instanceof ECPublicKey ec) {
      int bits = ec.getParams().getOrder().bitLength();
      return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
    return switch (alg) {
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> throw new IllegalArgumentException("Cannot sign with a " + alg + " key");
    };
  }

  static X509Certificate toJdk(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static List<Extension> extensions(
      CertificateSpec spec, X509Certificate issuerCert, PublicKey issuerKey)
      throws IOException, GeneralSecurityException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    List<Extension> out = new ArrayList<>();
    boolean ca = spec.role() == CertificateRole.CA;
    if (!spec.omitBasicConstraints()) {
      BasicConstraints bc = !ca
          ? new BasicConstraints(false)
          : spec.maxPathLength() != null
              ? new BasicConstraints(spec.maxPathLength())
              : new BasicConstraints(true);
      out.add(extension(spec, Extension.basicConstraints, true, bc));
    }
    if (!spec.keyUsage().isEmpty()) {
      int bits = 0;
      for (KeyUsage usage : spec.keyUsage()) {
        bits |= bcKeyUsageBit(usage);
      }
      out.add(extension(
          spec, Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(bits)));
    }
    if (!spec.extendedKeyUsage().isEmpty()) {
      KeyPurposeId[] purposes = spec.extendedKeyUsage().stream()
          .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
          .toArray(KeyPurposeId[]::new);
      out.add(extension(spec, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes)));
    }
    if (!spec.omitSubjectKeyIdentifier()) {
      SubjectKeyIdentifier ski = utils.createSubjectKeyIdentifier(spec.publicKey());
      out.add(extension(spec, Extension.subjectKeyIdentifier, false, ski));
    }
    if (!spec.omitAuthorityKeyIdentifier()) {
      out.add(extension(
          spec, Extension.authorityKeyIdentifier, false, authorityKeyId(utils, issuerCert, issuerKey)));
    }
    if (!spec.subjectAlternativeNames().isEmpty()) {
      // RFC 5280 4.2.1.6: critical when the subject is empty.
      boolean emptySubject = Names.x500(spec.subject()).getRDNs().length == 0;
      out.add(extension(
          spec, Extension.subjectAlternativeName, emptySubject,
          Names.toBc(spec.subjectAlternativeNames())));
    }
    if (spec.nameConstraints() != null) {
      out.add(extension(spec, Extension.nameConstraints, true, nameConstraints(spec)));
    }
    if (!spec.crlDistributionPoints().isEmpty()) {
      DistributionPoint[] points = spec.crlDistributionPoints().stream()
          .map(DistributionPointEncoder::encode)
          .toArray(DistributionPoint[]::new);
      out.add(extension(spec, Extension.cRLDistributionPoints, false, new CRLDistPoint(points)));
    }
    if (!spec.ocspResponders().isEmpty() || !spec.caIssuers().isEmpty()) {
      List<AccessDescription> access = new ArrayList<>();
      for (URI uri : spec.ocspResponders()) {
        access.add(new AccessDescription(AccessDescription.id_ad_ocsp, uriName(uri)));
      }
      for (URI uri : spec.caIssuers()) {
        access.add(new AccessDescription(AccessDescription.id_ad_caIssuers, uriName(uri)));
      }
      out.add(extension(spec, Extension.authorityInfoAccess, false,
          AuthorityInformationAccess.getInstance(
              new org.bouncycastle.asn1.DERSequence(access.toArray(new ASN1Encodable[0])))));
    }
    if (spec.role() == CertificateRole.OCSP_RESPONDER) {
      out.add(extension(spec, OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE));
    }
    for (String oid : spec.criticality().keySet()) {
      if (out.stream().noneMatch(e -> e.getExtnId().getId().equals(oid))) {
        throw new IllegalStateException("extensionCritical(" + oid + ", ..) names an extension"
            + " this certificate does not have");
      }
    }
    Set<String> replaced = new HashSet<>();
    for (CertificateBuilder.RawExtension raw : spec.rawExtensions()) {
      replaced.add(raw.oid());
    }
    out.removeIf(e -> replaced.contains(e.getExtnId().getId()));
    for (CertificateBuilder.RawExtension raw : spec.rawExtensions()) {
      out.add(new Extension(
          new ASN1ObjectIdentifier(raw.oid()), raw.critical(), new DEROctetString(raw.value())));
    }
    return out;
  }

  private static AuthorityKeyIdentifier authorityKeyId(
      JcaX509ExtensionUtils utils, X509Certificate issuerCert, PublicKey issuerKey)
      throws GeneralSecurityException, IOException {
    if (issuerCert != null) {
      byte[] ski = issuerCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
      if (ski != null) {
        byte[] keyId = SubjectKeyIdentifier.getInstance(
            ASN1Primitive.fromByteArray(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(ski).getOctets()))
            .getKeyIdentifier();
        return new AuthorityKeyIdentifier(keyId);
      }
    }
    return utils.createAuthorityKeyIdentifier(issuerKey);
  }

  private static Extension extension(
      CertificateSpec spec, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value)
      throws IOException {
    boolean effective = spec.criticality().getOrDefault(oid.getId(), critical);
    return new Extension(oid, effective, new DEROctetString(value.toASN1Primitive().getEncoded()));
  }

  private static org.bouncycastle.asn1.x509.NameConstraints nameConstraints(CertificateSpec spec) {
    NameConstraints nc = spec.nameConstraints();
    return new org.bouncycastle.asn1.x509.NameConstraints(
        subtrees(nc.permitted()), subtrees(nc.excluded()));
  }

  private static GeneralSubtree[] subtrees(List<GeneralName> names) {
    if (names.isEmpty()) {
      return null;
    }
    return names.stream().map(n -> new GeneralSubtree(Names.toBc(n))).toArray(GeneralSubtree[]::new);
  }

  private static org.bouncycastle.asn1.x509.GeneralName uriName(URI uri) {
    return new org.bouncycastle.asn1.x509.GeneralName(
        org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier, uri.toString());
  }

  private static int bcKeyUsageBit(KeyUsage usage) {
    return switch (usage) {
      case DIGITAL_SIGNATURE -> org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
      case NON_REPUDIATION -> org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation;
      case KEY_ENCIPHERMENT -> org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
      case DATA_ENCIPHERMENT -> org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment;
      case KEY_AGREEMENT -> org.bouncycastle.asn1.x509.KeyUsage.keyAgreement;
      case KEY_CERT_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.keyCertSign;
      case CRL_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.cRLSign;
      case ENCIPHER_ONLY -> org.bouncycastle.asn1.x509.KeyUsage.encipherOnly;
      case DECIPHER_ONLY -> org.bouncycastle.asn1.x509.KeyUsage.decipherOnly;
    };
  }
}
