package dev.mtls.core.revocation;

import dev.mtls.core.revocation.RevocationPolicy.Source;
import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.CrlBuilder;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/** Certificates and CRLs for the CRL checking tests, and a checker over in-memory CRLs. */
final class CrlTestPki {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private CrlTestPki() {}

  static CertifiedKey root(String commonName) {
    return CertificateBuilder.create().clock(CLOCK).commonName(commonName).role(CertificateRole.CA)
        .build();
  }

  static CertifiedKey intermediate(String commonName, CertifiedKey issuer) {
    return CertificateBuilder.create().clock(CLOCK).commonName(commonName).role(CertificateRole.CA)
        .issuedBy(issuer).build();
  }

  /** A client certificate of the issuer, to be completed and built. */
  static CertificateBuilder leaf(CertifiedKey issuer) {
    return CertificateBuilder.create().clock(CLOCK).commonName("leaf").role(CertificateRole.CLIENT)
        .issuedBy(issuer);
  }

  /** A current CRL of the issuer (thisUpdate an hour ago, nextUpdate in a day) with a number. */
  static CrlBuilder crl(CertifiedKey issuer, long number) {
    return CrlBuilder.create().issuedBy(issuer).thisUpdate(NOW.minus(Duration.ofHours(1)))
        .nextUpdate(NOW.plus(Duration.ofDays(1))).crlNumber(BigInteger.valueOf(number));
  }

  /** Hard fail, CRLs only, these CRLs in memory. */
  static RevocationPolicy policy(X509CRL... crls) {
    return RevocationPolicy.hardFail().sources(Source.CRL).crls(crls);
  }

  /** Checks the path (peer first, trust anchor last) at {@link #NOW}. */
  static RevocationResult check(RevocationPolicy policy, CertifiedKey... path) {
    List<X509Certificate> certificates = Arrays.stream(path).map(CertifiedKey::certificate).toList();
    try (RevocationChecker checker = RevocationChecker.builder(policy).clock(CLOCK).build()) {
      return checker.check(certificates, List.of());
    }
  }

  /** The status of the path's first certificate. */
  static RevocationStatus status(RevocationPolicy policy, CertifiedKey... path) {
    return check(policy, path).statuses().get(0);
  }

  /** How a CRL given in memory is named in statuses. */
  static String source(X509CRL crl) {
    return "crl in memory from '" + crl.getIssuerX500Principal().getName() + "' number "
        + dev.mtls.pki.CrlInfo.of(crl).crlNumber().orElseThrow();
  }
}
