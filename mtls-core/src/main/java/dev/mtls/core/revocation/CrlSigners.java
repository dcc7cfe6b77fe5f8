package dev.mtls.core.revocation;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Who may sign a CRL that speaks for a certificate (RFC 5280 section 6.3.3 f). For a CRL of the
 * certificate's issuer: the issuer itself, or a separate CRL signing certificate with the
 * issuer's name that the issuer certified (configured with {@code crlSigners}, or in the path).
 * For an indirect CRL: a certificate with the CRL issuer's name that is in the verified path or
 * was issued by one of its CAs, so that it chains to the same trust anchor. The signer's key
 * usage, if present, must allow cRLSign, and a separate signer must be valid now.
 */
final class CrlSigners {
  private static final int CRL_SIGN = 6;

  private final X509Certificate certificate;
  private final X509Certificate issuer;
  private final List<X509Certificate> path;
  private final List<X509Certificate> configured;
  private final Instant now;
  private final Duration skew;

  CrlSigners(X509Certificate certificate, X509Certificate issuer, List<X509Certificate> path,
      List<X509Certificate> configured, Instant now, Duration skew) {
    this.certificate = certificate;
    this.issuer = issuer;
    this.path = path;
    this.configured = configured;
    this.now = now;
    this.skew = skew;
  }

  /**
   * Why no certificate that may sign the CRL did, or null if one did.
   *
   * @param crl the CRL
   * @return the problem, or null
   */
  String problem(LoadedCrl crl) {
    X500Principal crlIssuer = crl.info.issuer();
    boolean direct = crlIssuer.equals(issuer.getSubjectX500Principal());
    String why = null; // built only for a CRL that is refused, not on every handshake
    for (X509Certificate candidate : candidates(crlIssuer)) {
      if (!crl.isSignedBy(candidate)) {
        continue;
      }
      String refusal = refusal(candidate, direct);
      if (refusal == null) {
        return null;
      }
      why = "is signed by the key of '" + candidate.getSubjectX500Principal().getName()
          + "' serial " + candidate.getSerialNumber().toString(16) + refusal;
    }
    return why != null ? why : "is not signed by '" + crlIssuer.getName() + "' (no certificate of that"
        + " name with a matching key" + (direct ? "; a separate CRL signing key needs its certificate in"
        + " crlSigners" : "") + ")";
  }

  /** The issuer first, then the path and the configured signers with the CRL issuer's name. */
  private List<X509Certificate> candidates(X500Principal crlIssuer) {
    List<X509Certificate> out = new ArrayList<>();
    out.add(issuer);
    out.addAll(path);
    out.addAll(configured);
    return out.stream().distinct()
        .filter(c -> !c.equals(certificate) && c.getSubjectX500Principal().equals(crlIssuer))
        .toList();
  }

  /** Why a certificate whose key signed the CRL may not sign it, or null if it may. */
  private String refusal(X509Certificate signer, boolean direct) {
    if (!signer.equals(issuer)) {
      if (direct && !issuedBy(signer, issuer)) {
        return ", which '" + issuer.getSubjectX500Principal().getName() + "' did not issue (a"
            + " separate CRL signing certificate must be issued by the CA whose CRLs it signs)";
      }
      if (!direct && !path.contains(signer)
          && path.stream().noneMatch(ca -> ca.getBasicConstraints() >= 0 && issuedBy(signer, ca))) {
        return ", which no CA of the verified path issued";
      }
      if (signer.getNotBefore().toInstant().isAfter(now.plus(skew))
          || signer.getNotAfter().toInstant().isBefore(now.minus(skew))) {
        return ", which is not valid now (valid from " + signer.getNotBefore().toInstant() + " to "
            + signer.getNotAfter().toInstant() + ", now " + now + ")";
      }
    }
    boolean[] keyUsage = signer.getKeyUsage();
    if (keyUsage != null && (keyUsage.length <= CRL_SIGN || !keyUsage[CRL_SIGN])) {
      return ", whose key usage does not allow cRLSign";
    }
    return null;
  }

  private static boolean issuedBy(X509Certificate certificate, X509Certificate issuer) {
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
