package dev.mtls.core.verify;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certification path that passed verification: the peer's certificate first, then each issuer,
 * ending with the trust anchor.
 *
 * @param certificates the path, leaf first, trust anchor last (a pinned self-signed peer without
 *     a chain: the certificate alone)
 */
public record VerifiedPath(List<X509Certificate> certificates) {

  /**
   * Copies the path.
   *
   * @param certificates the path, leaf first
   */
  public VerifiedPath {
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("A verified path has at least one certificate");
    }
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
