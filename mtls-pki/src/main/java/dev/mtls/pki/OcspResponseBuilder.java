package dev.mtls.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds DER-encoded OCSP responses (RFC 6960 section 4.2), as a responder sends them: signed
 * certificate statuses, or an unsigned error status with {@link #error(OcspResponseStatus)}.
 *
 * <p>The signer is the CA that issued the certificates, or a delegated responder: a certificate
 * the CA issued with extended key usage id-kp-OCSPSigning ({@link CertificateRole#OCSP_RESPONDER}).
 * Every setter documents what happens if it is not called; the defaults make a conforming
 * response: thisUpdate and producedAt now, nextUpdate one day later, the signer identified by
 * the hash of its key, and the signer's certificate chain included so that clients can check a
 * delegated responder. The signature algorithm follows the signer's key, as in
 * {@link CertificateBuilder}. Times are written in whole seconds.
 *
 * <pre>{@code
 * OcspRequest request = OcspRequest.parse(body, clientAddress);
 * OcspResponseBuilder builder = OcspResponseBuilder.create().signedBy(responder);
 * request.nonce().ifPresent(builder::nonce);
 * byte[] der = builder.good(request.certificateIds().get(0)).build();
 * }</pre>
 *
 * <p>The builder does not check that the signer may sign for the certificates, that its key
 * matches its certificate, or that a time makes sense now: a test responder makes such broken
 * responses on purpose. Each setter may be called once; a second call, or a setting that
 * conflicts with an earlier one, throws {@link IllegalStateException} naming both values. A
 * builder is not thread-safe.
 */
public final class OcspResponseBuilder {
  private static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);

  private Clock clock;
  private CertifiedKey signer;
  private Instant thisUpdate;
  private Instant nextUpdate;
  private boolean omitNextUpdate;
  private Instant producedAt;
  private byte[] nonce;
  private boolean omitCertificates;
  private boolean responderIdByName;
  private final Map<OcspCertificateId, Status> statuses = new LinkedHashMap<>();

  /** One certificate's status. */
  private record Status(
      OcspCertificateStatus status, Instant revocationTime, RevocationReason reason) {
    @Override
    public String toString() {
      return status + (revocationTime != null ? " at " + revocationTime : "")
          + (reason != null ? " for " + reason : "");
    }
  }

  private OcspResponseBuilder() {}

  /**
   * Starts a new successful response.
   *
   * @return a builder with every option unset
   */
  public static OcspResponseBuilder create() {
    return new OcspResponseBuilder();
  }

  /**
   * Encodes an unsigned error response: the status alone, as RFC 6960 sends it.
   *
   * @param status any status but {@link OcspResponseStatus#SUCCESSFUL}
   * @return the DER encoding
   * @throws IllegalArgumentException if the status is successful, which needs a signed response
   */
  public static byte[] error(OcspResponseStatus status) {
    Objects.requireNonNull(status, "status");
    if (status == OcspResponseStatus.SUCCESSFUL) {
      throw new IllegalArgumentException(
          "status " + status + " needs signed content: use create() instead of error(..)");
    }
    return encode(new OCSPResponse(new OCSPResponseStatus(status.code()), null));
  }

  /**
   * Sets the clock that decides "now" for the default thisUpdate, nextUpdate and producedAt.
   *
   * <p>If unset, the system UTC clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public OcspResponseBuilder clock(Clock clock) {
    checkUnset("clock", this.clock);
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Sets who signs the response: the CA that issued the certificates, or a delegated responder
   * whose certificate the CA issued for OCSP signing. Required.
   *
   * @param signer the signing key and its certificate chain
   * @return this builder
   */
  public OcspResponseBuilder signedBy(CertifiedKey signer) {
    checkUnset("signedBy", this.signer);
    this.signer = Objects.requireNonNull(signer, "signer");
    return this;
  }

  /**
   * Says that a certificate is not revoked.
   *
   * @param certificateId the certificate, as the request names it
   * @return this builder
   * @throws IllegalStateException if the certificate already has a status
   */
  public OcspResponseBuilder good(OcspCertificateId certificateId) {
    return add(certificateId, new Status(OcspCertificateStatus.GOOD, null, null));
  }

  /**
   * Says that a certificate is revoked, without giving a reason.
   *
   * @param certificateId the certificate, as the request names it
   * @param revocationTime when it was revoked
   * @return this builder
   * @throws IllegalStateException if the certificate already has a status
   */
  public OcspResponseBuilder revoked(OcspCertificateId certificateId, Instant revocationTime) {
    Objects.requireNonNull(revocationTime, "revocationTime");
    return add(certificateId, new Status(OcspCertificateStatus.REVOKED, revocationTime, null));
  }

  /**
   * Says that a certificate is revoked, and why.
   *
   * @param certificateId the certificate, as the request names it
   * @param revocationTime when it was revoked
   * @param reason why it was revoked
   * @return this builder
   * @throws IllegalStateException if the certificate already has a status
   */
  public OcspResponseBuilder revoked(
      OcspCertificateId certificateId, Instant revocationTime, RevocationReason reason) {
    Objects.requireNonNull(revocationTime, "revocationTime");
    Objects.requireNonNull(reason, "reason");
    return add(certificateId, new Status(OcspCertificateStatus.REVOKED, revocationTime, reason));
  }

  /**
   * Says that the responder does not know a certificate.
   *
   * @param certificateId the certificate, as the request names it
   * @return this builder
   * @throws IllegalStateException if the certificate already has a status
   */
  public OcspResponseBuilder unknown(OcspCertificateId certificateId) {
    return add(certificateId, new Status(OcspCertificateStatus.UNKNOWN, null, null));
  }

  private OcspResponseBuilder add(OcspCertificateId certificateId, Status status) {
    Objects.requireNonNull(certificateId, "certificateId");
    Status old = statuses.putIfAbsent(certificateId, status);
    if (old != null) {
      throw new IllegalStateException(certificateId + " was already given status " + old);
    }
    return this;
  }

  /**
   * Sets the time at which the statuses are known to be correct, for every single response.
   *
   * <p>If unset, now.
   *
   * @param thisUpdate the time
   * @return this builder
   */
  public OcspResponseBuilder thisUpdate(Instant thisUpdate) {
    checkUnset("thisUpdate", this.thisUpdate);
    this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
    return this;
  }

  /**
   * Sets the time at or before which newer statuses will be available; clients cache the
   * response until then.
   *
   * <p>If neither this nor {@link #omitNextUpdate()} is called, one day after thisUpdate.
   *
   * @param nextUpdate the time; not before thisUpdate
   * @return this builder
   * @throws IllegalStateException if {@link #omitNextUpdate()} was called
   */
  public OcspResponseBuilder nextUpdate(Instant nextUpdate) {
    checkUnset("nextUpdate", this.nextUpdate);
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    if (omitNextUpdate) {
      throw new IllegalStateException("nextUpdate " + nextUpdate + " conflicts with omitNextUpdate()");
    }
    this.nextUpdate = nextUpdate;
    return this;
  }

  /**
   * Leaves nextUpdate out: the responder always has newer information, so a client should use the
   * response only at thisUpdate (or, with a nonce, only for the request it answers).
   *
   * @return this builder
   * @throws IllegalStateException if a nextUpdate was set
   */
  public OcspResponseBuilder omitNextUpdate() {
    if (nextUpdate != null) {
      throw new IllegalStateException("omitNextUpdate() conflicts with nextUpdate " + nextUpdate);
    }
    omitNextUpdate = true;
    return this;
  }

  /**
   * Sets when the response was signed.
   *
   * <p>If unset, now.
   *
   * @param producedAt the time
   * @return this builder
   */
  public OcspResponseBuilder producedAt(Instant producedAt) {
    checkUnset("producedAt", this.producedAt);
    this.producedAt = Objects.requireNonNull(producedAt, "producedAt");
    return this;
  }

  /**
   * Echoes the request's nonce (the id-pkix-ocsp-nonce response extension, non-critical), which
   * proves to the client that the response is fresh.
   *
   * <p>If unset, the response has no nonce, like a pre-signed response.
   *
   * @param nonce the nonce of the request; 1 to 32 bytes by RFC 8954, but any non-empty value is
   *     written, for tests of clients
   * @return this builder
   */
  public OcspResponseBuilder nonce(byte[] nonce) {
    Objects.requireNonNull(nonce, "nonce");
    if (this.nonce != null) {
      throw new IllegalStateException(
          "nonce was already set to " + java.util.HexFormat.of().formatHex(this.nonce));
    }
    if (nonce.length == 0) {
      throw new IllegalArgumentException("nonce must not be empty");
    }
    this.nonce = nonce.clone();
    return this;
  }

  /**
   * Leaves the signer's certificate chain out of the response. Clients can then verify only a
   * response signed by the issuer itself, or by a responder they know otherwise.
   *
   * <p>If not called, the response includes the signer's chain, as {@link CertifiedKey#chain()}
   * holds it (without a self-signed root).
   *
   * @return this builder
   */
  public OcspResponseBuilder omitCertificates() {
    omitCertificates = true;
    return this;
  }

  /**
   * Identifies the signer by its subject name ({@code ResponderID byName}), as OpenSSL does by
   * default.
   *
   * <p>If not called, the signer is identified by the SHA-1 hash of its public key
   * ({@code byKey}), which cannot be confused between two responders with the same name.
   *
   * @return this builder
   */
  public OcspResponseBuilder responderIdByName() {
    responderIdByName = true;
    return this;
  }

  /**
   * Signs and encodes the response.
   *
   * @return the DER encoding of the OCSP response
   * @throws IllegalStateException if no signer or no status was given, or nextUpdate is before
   *     thisUpdate
   * @throws IllegalArgumentException if the signer's key cannot sign
   */
  public byte[] build() {
    if (signer == null) {
      throw new IllegalStateException("A response needs a signer: call signedBy(..)");
    }
    if (statuses.isEmpty()) {
      throw new IllegalStateException(
          "A response needs at least one certificate status: call good(..), revoked(..) or unknown(..)");
    }
    Instant now = (clock != null ? clock : Clock.systemUTC()).instant().truncatedTo(ChronoUnit.SECONDS);
    Instant issued = thisUpdate != null ? thisUpdate : now;
    Instant next = omitNextUpdate ? null : nextUpdate != null ? nextUpdate : issued.plus(DEFAULT_LIFETIME);
    if (next != null && next.isBefore(issued)) {
      throw new IllegalStateException("nextUpdate " + next + " is before thisUpdate " + issued);
    }
    ASN1EncodableVector singles = new ASN1EncodableVector();
    for (Map.Entry<OcspCertificateId, Status> entry : statuses.entrySet()) {
      singles.add(new SingleResponse(entry.getKey().toAsn1(), certStatus(entry.getValue()),
          OcspDer.time(issued), next != null ? OcspDer.time(next) : null, (Extensions) null));
    }
    X509Certificate signerCertificate = signer.certificate();
    ResponderID responderId = responderIdByName
        ? new ResponderID(Names.x500(signerCertificate.getSubjectX500Principal()))
        : new ResponderID(new DEROctetString(OcspDer.keyHash(signerCertificate.getPublicKey())));
    ResponseData data = new ResponseData(responderId,
        OcspDer.time(producedAt != null ? producedAt : now), new DERSequence(singles),
        nonce != null ? new Extensions(OcspDer.nonceExtension(nonce)) : null);
    BasicOCSPResponse basic = sign(data, signerCertificate);
    try {
      return encode(new OCSPResponse(new OCSPResponseStatus(OCSPResponseStatus.SUCCESSFUL),
          new ResponseBytes(OCSPObjectIdentifiers.id_pkix_ocsp_basic,
              new DEROctetString(basic.getEncoded(ASN1Encoding.DER)))));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode the OCSP response", e);
    }
  }

  private static CertStatus certStatus(Status status) {
    return switch (status.status()) {
      case GOOD -> new CertStatus();
      case REVOKED -> new CertStatus(new RevokedInfo(OcspDer.time(status.revocationTime()),
          status.reason() != null ? CRLReason.lookup(status.reason().code()) : null));
      case UNKNOWN -> new CertStatus(2, DERNull.INSTANCE);
    };
  }

  private BasicOCSPResponse sign(ResponseData data, X509Certificate signerCertificate) {
    try {
      ContentSigner contentSigner = new JcaContentSignerBuilder(
              CertificateSigner.signatureAlgorithm(signerCertificate.getPublicKey()))
          .setProvider(Providers.BC).build(signer.privateKey());
      try (OutputStream out = contentSigner.getOutputStream()) {
        out.write(data.getEncoded(ASN1Encoding.DER));
      }
      DERSequence certificates = null;
      if (!omitCertificates) {
        List<Certificate> chain = new ArrayList<>();
        for (X509Certificate certificate : signer.chain()) {
          chain.add(Certificate.getInstance(certificate.getEncoded()));
        }
        certificates = new DERSequence(chain.toArray(new Certificate[0]));
      }
      return new BasicOCSPResponse(data, contentSigner.getAlgorithmIdentifier(),
          new DERBitString(contentSigner.getSignature()), certificates);
    } catch (OperatorCreationException e) {
      throw new IllegalArgumentException(
          "Cannot sign with a " + signer.privateKey().getAlgorithm() + " key", e);
    } catch (IOException | CertificateEncodingException e) {
      throw new IllegalStateException("Cannot encode the OCSP response of " + signer, e);
    }
  }

  private static byte[] encode(OCSPResponse response) {
    try {
      return response.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode an OCSP response", e);
    }
  }

  private static void checkUnset(String name, Object current) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
  }
}
