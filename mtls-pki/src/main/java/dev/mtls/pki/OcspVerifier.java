package dev.mtls.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/** The checks of {@link OcspResponse#verify}, in the order documented there. */
final class OcspVerifier {
  private OcspVerifier() {}

  static OcspVerdict verify(OcspResponse response, X509Certificate certificate,
      X509Certificate issuer, Instant now, Duration skew, byte[] expectedNonce) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(skew, "clockSkew");
    if (skew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must be zero or more, was " + skew);
    }
    OcspCertificateId.requireIssuedBy(certificate, issuer);
    String source = response.source();
    if (response.status() != OcspResponseStatus.SUCCESSFUL) {
      throw new OcspException(OcspProblem.ERROR_STATUS, source + ": the responder answered "
          + response.status() + "; expected successful (0) with a signed response");
    }
    OcspResponse.Basic basic = response.basic();
    X509Certificate signer = signer(basic, source, issuer, now, skew);
    OcspSingleResponse single = find(basic, source, certificate, issuer);
    boolean nonceVerified = false;
    if (expectedNonce != null && basic.nonce().isPresent()) {
      byte[] nonce = basic.nonce().get();
      if (!MessageDigest.isEqual(nonce, expectedNonce)) {
        throw new OcspException(OcspProblem.NONCE_MISMATCH, source + ": the response nonce "
            + HexFormat.of().formatHex(nonce) + " differs from the request's "
            + HexFormat.of().formatHex(expectedNonce) + "; the response may be a replay");
      }
      nonceVerified = true;
    }
    checkTimes(single, source, now, skew, nonceVerified);
    return new OcspVerdict(single, signer, signer != issuer, nonceVerified);
  }

  private static X509Certificate signer(OcspResponse.Basic basic, String source,
      X509Certificate issuer, Instant now, Duration skew) {
    if (named(basic, issuer)) {
      checkSignature(basic, source, issuer, "the issuer " + CertificateInfo.describe(issuer));
      return issuer;
    }
    Optional<X509Certificate> responder =
        basic.certificates().stream().filter(c -> named(basic, c)).findFirst();
    if (responder.isEmpty()) {
      throw new OcspException(OcspProblem.SIGNER_NOT_AUTHORIZED, source + ": signed by responder "
          + responderId(basic) + ", which is neither the issuer " + CertificateInfo.describe(issuer)
          + " nor one of the certificates included in the response (" + describe(basic.certificates())
          + "); expected a signature by the issuer or by a delegated responder whose certificate is"
          + " included");
    }
    X509Certificate delegate = responder.get();
    authorize(delegate, source, issuer, now, skew);
    checkSignature(basic, source, delegate,
        "the delegated responder " + CertificateInfo.describe(delegate));
    return delegate;
  }

  /** Whether the response's ResponderID names a certificate's subject or key. */
  private static boolean named(OcspResponse.Basic basic, X509Certificate candidate) {
    if (basic.responderName().isPresent()) {
      return basic.responderName().get().equals(candidate.getSubjectX500Principal());
    }
    return MessageDigest.isEqual(
        basic.responderKeyHash().orElseThrow(), OcspDer.keyHash(candidate.getPublicKey()));
  }

  /** RFC 6960 section 4.2.2.2: a delegated responder is certified by the issuer for OCSP signing. */
  private static void authorize(X509Certificate delegate, String source, X509Certificate issuer,
      Instant now, Duration skew) {
    String prefix = source + ": responder " + CertificateInfo.describe(delegate);
    String rule = "; a delegated responder must be certified for OCSP signing by the issuer of the"
        + " certificate checked (RFC 6960 section 4.2.2.2)";
    if (!delegate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw notAuthorized(prefix + " was issued by '" + delegate.getIssuerX500Principal().getName()
          + "', not by the issuer '" + issuer.getSubjectX500Principal().getName() + "'" + rule, null);
    }
    try {
      delegate.verify(issuer.getPublicKey(), Providers.BC);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw notAuthorized(prefix + " names the issuer '" + issuer.getSubjectX500Principal().getName()
          + "' but its signature does not verify with the key of "
          + CertificateInfo.describe(issuer) + rule, e);
    }
    CertificateInfo info;
    try {
      info = CertificateInfo.of(delegate);
    } catch (PkiException e) {
      throw new OcspException(OcspProblem.MALFORMED, prefix + " has a malformed extension: "
          + e.getMessage(), e);
    }
    List<String> eku = info.extendedKeyUsage().orElse(List.of());
    if (!eku.contains(ExtendedKeyUsage.OCSP_SIGNING.oid())) {
      throw notAuthorized(prefix + " has " + (info.extendedKeyUsage().isEmpty()
          ? "no extended key usage" : "extended key usage " + eku)
          + "; expected id-kp-OCSPSigning (" + ExtendedKeyUsage.OCSP_SIGNING.oid() + ")" + rule, null);
    }
    Optional<Set<KeyUsage>> keyUsage = info.keyUsage();
    if (keyUsage.isPresent() && !keyUsage.get().contains(KeyUsage.DIGITAL_SIGNATURE)) {
      throw notAuthorized(prefix + " has key usage " + keyUsage.get()
          + "; expected digitalSignature to sign responses", null);
    }
    if (now.isAfter(info.notAfter().plus(skew)) || now.isBefore(info.notBefore().minus(skew))) {
      throw notAuthorized(prefix + " is valid from " + info.notBefore() + " to " + info.notAfter()
          + ", not at " + now + " (clock skew " + skew + ")", null);
    }
  }

  private static OcspException notAuthorized(String message, Exception cause) {
    return new OcspException(OcspProblem.SIGNER_NOT_AUTHORIZED, message, cause);
  }

  private static void checkSignature(
      OcspResponse.Basic basic, String source, X509Certificate signer, String who) {
    boolean valid;
    Exception cause = null;
    try {
      ContentVerifier verifier = new JcaContentVerifierProviderBuilder().setProvider(Providers.BC)
          .build(signer.getPublicKey()).get(basic.signatureAlgorithm());
      try (OutputStream out = verifier.getOutputStream()) {
        out.write(basic.signedData());
      }
      valid = verifier.verify(basic.signature());
    } catch (OperatorCreationException | IOException | RuntimeException e) {
      valid = false;
      cause = e;
    }
    if (!valid) {
      String algorithm = new DefaultAlgorithmNameFinder().getAlgorithmName(basic.signatureAlgorithm());
      throw new OcspException(OcspProblem.SIGNATURE_INVALID, source + ": the " + algorithm
          + " signature does not verify with the " + signer.getPublicKey().getAlgorithm()
          + " key of " + who + "; the response was altered or signed with another key", cause);
    }
  }

  private static OcspSingleResponse find(OcspResponse.Basic basic, String source,
      X509Certificate certificate, X509Certificate issuer) {
    for (OcspSingleResponse single : basic.singleResponses()) {
      if (single.certificateId().matches(certificate, issuer)) {
        return single;
      }
    }
    String covered = basic.singleResponses().stream()
        .map(s -> s.certificateId().serialNumber().equals(certificate.getSerialNumber())
            ? s.certificateId() + " (same serial, other issuer hashes)" : s.certificateId().toString())
        .collect(Collectors.joining("; "));
    throw new OcspException(OcspProblem.NO_SINGLE_RESPONSE, source + ": no single response for "
        + CertificateInfo.describe(certificate) + " of issuer '"
        + issuer.getSubjectX500Principal().getName() + "'; the response covers "
        + (covered.isEmpty() ? "no certificate" : covered));
  }

  private static void checkTimes(OcspSingleResponse single, String source, Instant now,
      Duration skew, boolean nonceVerified) {
    String where = source + ": single response for serial "
        + single.certificateId().serialNumber().toString(16);
    if (single.thisUpdate().isAfter(now.plus(skew))) {
      throw new OcspException(OcspProblem.NOT_YET_VALID, where + " has thisUpdate "
          + single.thisUpdate() + ", after now (" + now + ") plus the clock skew of " + skew
          + "; expected a status known at or before now");
    }
    if (single.nextUpdate().isPresent()) {
      Instant next = single.nextUpdate().get();
      if (next.isBefore(now.minus(skew))) {
        throw new OcspException(OcspProblem.STALE, where + " has nextUpdate " + next
            + ", before now (" + now + ") minus the clock skew of " + skew
            + "; expected a response whose nextUpdate is still ahead");
      }
    } else if (!nonceVerified && single.thisUpdate().isBefore(now.minus(skew))) {
      throw new OcspException(OcspProblem.STALE, where + " has no nextUpdate and thisUpdate "
          + single.thisUpdate() + " is older than the clock skew of " + skew + " (now " + now
          + "); without nextUpdate a response is current only at thisUpdate, unless it echoes the"
          + " request's nonce");
    }
  }

  private static String responderId(OcspResponse.Basic basic) {
    return basic.responderName().map(name -> "'" + name.getName() + "'")
        .orElseGet(() -> "with key hash " + HexFormat.of().formatHex(basic.responderKeyHash().orElseThrow()));
  }

  private static String describe(List<X509Certificate> certificates) {
    if (certificates.isEmpty()) {
      return "none";
    }
    return certificates.stream().map(CertificateInfo::describe).collect(Collectors.joining(", "));
  }
}
