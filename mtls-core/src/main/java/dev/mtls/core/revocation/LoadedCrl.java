package dev.mtls.core.revocation;

import dev.mtls.pki.CrlInfo;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed CRL with where it came from. Its signature is checked once per candidate signer and
 * the answer kept: handshakes look up serials, they do not verify signatures again.
 */
final class LoadedCrl {
  final CrlInfo info;
  final String source;
  private final Map<X509Certificate, Boolean> signedBy = new ConcurrentHashMap<>();

  LoadedCrl(CrlInfo info, String source) {
    this.info = info;
    this.source = source;
  }

  boolean isSignedBy(X509Certificate signer) {
    return signedBy.computeIfAbsent(signer, info::isSignedBy);
  }

  @Override
  public String toString() {
    return source;
  }
}
