package dev.mtls.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with the certificate chain that certifies it: what a TLS peer needs to prove
 * who it is.
 *
 * <p>The chain starts with the key's own certificate and is followed by the certificates of its
 * issuers, in order, up to but not including a self-signed root (peers already have the root as
 * a trust anchor; sending it only costs bytes). A self-signed certificate's chain is the
 * certificate alone.
 *
 * @param privateKey the private key of {@link #certificate()}
 * @param chain the certificate first, then its issuers
 */
public record CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {

  /**
   * Checks and copies the chain.
   *
   * @param privateKey the private key of the first certificate
   * @param chain the certificate first, then its issuers
   */
  public CertifiedKey {
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("A certified key needs at least one certificate");
    }
  }

  /**
   * Returns the certificate of this key: the first in the chain.
   *
   * @return the certificate
   */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * Returns the key pair's public half, from the certificate.
   *
   * @return the public key
   */
  public java.security.PublicKey publicKey() {
    return certificate().getPublicKey();
  }

  @Override
  public String toString() {
    return "CertifiedKey[" + certificate().getSubjectX500Principal().getName() + ", chain of "
        + chain.size() + "]";
  }
}
