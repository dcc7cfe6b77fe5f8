package dev.mtls.core.verify;

import dev.mtls.core.revocation.RevocationStatus;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certification path that passed verification: the peer's certificate first, then each issuer,
 * ending with the trust anchor.
 *
 * @param certificates the path, leaf first, trust anchor last (a pinned self-signed peer without
 *     a chain: the certificate alone)
 * @param revocation the revocation status of each checked certificate, empty if revocation was
 *     not checked
 */
public record VerifiedPath(List<X509Certificate> certificates, List<RevocationStatus> revocation) {

  /**
   * Copies the path.
   *
   * @param certificates the path, leaf first
   * @param revocation the revocation statuses
   */
  public VerifiedPath {
    certificates = List.copyOf(certificates);
    revocation = List.copyOf(revocation);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("A verified path has at least one certificate");
    }
  }

  /**
   * A path whose revocation status was not checked.
   *
   * @param certificates the path, leaf first
   */
  public VerifiedPath(List<X509Certificate> certificates) {
    this(certificates, List.of());
  }

  /**
   * Returns the peer's own certificate.
   *
   * @return the leaf
   */
  public X509Certificate leaf() {
    return certificates.get(0);
  }

  /**
   * Returns the trust anchor the path ends in.
   *
   * @return the last certificate
   */
  public X509Certificate trustAnchor() {
    return certificates.get(certificates.size() - 1);
  }
}
