package dev.mtls.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request (CSR): a public key and the names its holder asks a CA to
 * certify, signed with the matching private key to prove possession.
 *
 * <p>Create one with {@link #create(String, KeyPair, GeneralName...)}, read one with
 * {@link #fromDer(byte[], String)} (or the PEM reader), and let a CA issue a certificate for it
 * with {@link CertificateBuilder#request(CertificationRequest)}.
 */
public final class CertificationRequest {
  private final PKCS10CertificationRequest request;
  private final String source;

  private CertificationRequest(PKCS10CertificationRequest request, String source) {
    this.request = request;
    this.source = source;
  }

  /**
   * Creates and signs a request.
   *
   * @param subject the requested subject, an RFC 2253 distinguished name
   * @param keyPair the key pair to certify; the private key signs the request
   * @param subjectAlternativeNames the requested subject alternative names, if any
   * @return the signed request
   */
  public static CertificationRequest create(
      String subject, KeyPair keyPair, GeneralName... subjectAlternativeNames) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(keyPair, "keyPair");
    try {
      JcaPKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), keyPair.getPublic());
      if (subjectAlternativeNames.length > 0) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(
            Extension.subjectAlternativeName, false,
            Names.toBc(Arrays.asList(subjectAlternativeNames)));
        builder.addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      ContentSigner signer =
          new JcaContentSignerBuilder(CertificateSigner.signatureAlgorithm(keyPair.getPublic()))
              .setProvider(Providers.BC)
              .build(keyPair.getPrivate());
      return new CertificationRequest(builder.build(signer), "new request");
    } catch (IOException | OperatorCreationException e) {
      throw new PkiException("Cannot create a certificate request for " + subject, e);
    }
  }

  /**
   * Parses a DER-encoded request. The signature is not checked here; call {@link #verify()}.
   *
   * @param der the DER encoding
   * @param source where the bytes came from, for error messages (a path, or {@code inline PEM})
   * @return the request
   * @throws PkiException if the bytes are not a PKCS#10 request
   */
  public static CertificationRequest fromDer(byte[] der, String source) {
    try {
      return new CertificationRequest(new PKCS10CertificationRequest(der), source);
    } catch (IOException | RuntimeException e) {
      throw new PkiException(
          source + ": not a PKCS#10 certificate request (" + der.length + " bytes of DER)", e);
    }
  }

  /**
   * Returns the requested subject.
   *
   * @return the subject distinguished name
   */
  public X500Principal subject() {
    try {
      return new X500Principal(request.getSubject().getEncoded());
    } catch (IOException e) {
      throw new PkiException(source + ": cannot encode the request's subject", e);
    }
  }

  /**
   * Returns the public key to certify.
   *
   * @return the public key
   * @throws PkiException if the key is of an algorithm the platform cannot decode
   */
  public PublicKey publicKey() {
    try {
      return new JcaPKCS10CertificationRequest(request).setProvider(Providers.BC).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new PkiException(source + ": cannot decode the request's public key", e);
    }
  }

  /**
   * Returns the subject alternative names requested in the extension-request attribute.
   *
   * @return the names, in request order; empty if none were requested
   */
  public List<GeneralName> subjectAlternativeNames() {
    List<GeneralName> names = new ArrayList<>();
    for (Attribute attribute :
        request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
      Extension san = extensions.getExtension(Extension.subjectAlternativeName);
      if (san != null) {
        names.addAll(Names.fromExtensionValue(san.getExtnValue().getOctets(), source));
      }
    }
    return List.copyOf(names);
  }

  /**
   * Checks the request's signature with its own public key (proof that the requester holds the
   * private key).
   *
   * @throws PkiException if the signature does not verify
   */
  public void verify() {
    try {
      ContentVerifierProvider verifier =
          new JcaContentVerifierProviderBuilder().setProvider(Providers.BC).build(publicKey());
      if (!request.isSignatureValid(verifier)) {
        throw new PkiException(source + ": the signature of the certificate request for '"
            + subject().getName() + "' does not verify with its own public key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new PkiException(source + ": cannot check the signature of the certificate request", e);
    }
  }

  /**
   * Returns the DER encoding.
   *
   * @return a fresh copy of the encoding
   */
  public byte[] encoded() {
    try {
      return request.getEncoded();
    } catch (IOException e) {
      throw new PkiException(source + ": cannot encode the certificate request", e);
    }
  }

  @Override
  public String toString() {
    return "CertificationRequest[" + subject().getName() + "]";
  }
}
