package dev.mtls.core;

import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.verify.VerifiedPath;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies client chains that arrive outside a handshake and keeps the successes for a short
 * while, so that a proxy forwarding the same client's certificate on every request costs one
 * verification, not one per request.
 *
 * <p>An entry is keyed by the SHA-256 of the chain's encodings, in order. It is used only while
 * the trust manager still has the verifier that verified it and the context has not been reset
 * since (trust reloads and CRL file changes reset it), for at most {@link #LIFETIME} and never
 * past the earliest notAfter of the verified path, so that revocation data fetched later (OCSP
 * answers, refreshed CRLs) applies within that time. Failures are not kept: a rejected chain is
 * verified again each time. The cache holds at most {@link #MAX_ENTRIES} entries and starts
 * afresh when full.
 */
final class ClientChainCache {
  /** How many verified chains are kept. */
  static final int MAX_ENTRIES = 1024;
  /** How long a verified chain is kept. */
  static final Duration LIFETIME = Duration.ofMinutes(1);

  private record Entry(PeerVerifier verifier, long resets, VerifiedClient client, Instant expires) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final VerifyingTrustManager trustManager;
  private final PrincipalResolver principals;
  private final ConfiguredSslContext context;
  private final Clock clock;

  ClientChainCache(VerifyingTrustManager trustManager, PrincipalResolver principals,
      ConfiguredSslContext context, Clock clock) {
    this.trustManager = trustManager;
    this.principals = principals;
    this.context = context;
    this.clock = clock;
  }

  VerifiedClient verify(List<X509Certificate> chain) throws PeerVerificationException {
    if (chain.isEmpty()) {
      throw new PeerVerificationException(FailureReason.NO_CERTIFICATE, -1,
          "no certificate was given; expected a client certificate chain", null);
    }
    // Read both before verifying: a swap or reset during verification leaves a stale entry.
    PeerVerifier verifier = trustManager.verifier();
    long resets = context.resets();
    String key = key(chain);
    Instant now = clock.instant();
    Entry known = entries.get(key);
    if (known != null) {
      if (known.verifier() == verifier && known.resets() == resets && now.isBefore(known.expires())) {
        return known.client();
      }
      entries.remove(key, known);
    }
    VerifiedPath path = verifier.verify(chain, null);
    MtlsPrincipal principal = principals.map(path.certificates());
    VerifiedClient client = new VerifiedClient(path, principal);
    Instant expires = now.plus(LIFETIME);
    for (X509Certificate certificate : path.certificates()) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (notAfter.isBefore(expires)) {
        expires = notAfter;
      }
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, new Entry(verifier, resets, client, expires));
    return client;
  }

  /** How many entries are held, for tests. */
  int size() {
    return entries.size();
  }

  private static String key(List<X509Certificate> chain) throws PeerVerificationException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    for (int i = 0; i < chain.size(); i++) {
      byte[] encoded;
      try {
        encoded = chain.get(i).getEncoded();
      } catch (CertificateEncodingException e) {
        throw new PeerVerificationException(FailureReason.MALFORMED_CERTIFICATE, i,
            "certificate " + i + " of the chain has no encoding: " + e.getMessage(), e);
      }
      digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(encoded.length).array());
      digest.update(encoded);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
