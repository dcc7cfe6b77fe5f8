package dev.mtls.core.verify;

import dev.mtls.pki.GeneralName;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A first verification pass with the JDK's PKIX builder alone, to be replaced by the pipeline. */
final class InterimPkix {
  private InterimPkix() {}

  static VerifiedPath verify(
      PeerVerifier verifier, X509Certificate leaf, List<X509Certificate> intermediates,
      GeneralName expectedName) throws PeerVerificationException {
    try {
      Set<TrustAnchor> anchors = verifier.trustAnchors().stream()
          .map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet());
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(verifier.clock().instant()));
      List<X509Certificate> pool = new ArrayList<>(intermediates);
      pool.add(leaf);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
      PKIXCertPathBuilderResult result =
          (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
      List<X509Certificate> path = new ArrayList<>();
      result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
      path.add(result.getTrustAnchor().getTrustedCert());
      return new VerifiedPath(path);
    } catch (GeneralSecurityException e) {
      throw new PeerVerificationException(FailureReason.UNTRUSTED_ISSUER, 0,
          "no valid path from '" + leaf.getSubjectX500Principal().getName()
              + "' to a trust anchor", e);
    }
  }
}
