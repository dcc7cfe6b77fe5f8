package dev.mtls.core;

import dev.mtls.core.principal.MappingResult;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMapper;
import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.verify.VerifiedPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Maps a verified chain to the peer's principal and keeps it with the session, so that it is
 * computed once per full handshake. A resumed TLS 1.3 session is a new session object without
 * the value; its principal is computed again, once, from the peer's certificates.
 */
final class PrincipalResolver {
  /** The session value name under which the principal is kept. */
  static final String SESSION_KEY = "dev.mtls.principal";

  private final PrincipalMapper mapper;
  private final boolean admitUnmapped;

  PrincipalResolver(PrincipalMapper mapper, boolean admitUnmapped) {
    this.mapper = mapper;
    this.admitUnmapped = admitUnmapped;
  }

  /**
   * During the handshake: map, or refuse the peer (unless unmapped peers are admitted: then the
   * session keeps why it has no principal); keep the result with the session.
   */
  void resolve(VerifiedPath path, SSLSession handshake) throws PeerVerificationException {
    if (handshake == null) {
      map(path.certificates());
      return;
    }
    handshake.putValue(SESSION_KEY, mapForSession(path.certificates()));
  }

  /** Kept with a session whose peer verified but mapped to no principal. */
  private record Unmapped(PeerVerificationException rejection) {}

  /**
   * After the handshake: the cached principal, or one mapped from the peer's certificates once
   * the current verifier has verified them again.
   */
  MtlsPrincipal principalOf(SSLSession session, PeerVerifier verifier)
      throws SSLPeerUnverifiedException {
    Object cached = session.getValue(SESSION_KEY);
    if (cached == null) {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : session.getPeerCertificates()) {
        chain.add((X509Certificate) certificate);
      }
      try {
        cached = mapForSession(verifier.verify(chain, null).certificates());
      } catch (CertificateException e) {
        SSLPeerUnverifiedException unverified =
            new SSLPeerUnverifiedException("The peer's certificate no longer maps to a principal: "
                + e.getMessage());
        unverified.initCause(e);
        throw unverified;
      }
      session.putValue(SESSION_KEY, cached);
    }
    if (cached instanceof Unmapped unmapped) {
      throw new UnmappedPeerException(unmapped.rejection());
    }
    return (MtlsPrincipal) cached;
  }

  /** The principal, or, if unmapped peers are admitted, why there is none; else a refusal. */
  private Object mapForSession(List<X509Certificate> verifiedChain) throws PeerVerificationException {
    try {
      return map(verifiedChain);
    } catch (PeerVerificationException e) {
      if (!admitUnmapped) {
        throw e;
      }
      return new Unmapped(e);
    }
  }

  /** Maps a verified chain, or refuses it with {@code PRINCIPAL_REJECTED}. */
  MtlsPrincipal map(List<X509Certificate> verifiedChain) throws PeerVerificationException {
    MappingResult result = mapper.map(verifiedChain);
    if (result instanceof MappingResult.Mapped mapped) {
      return mapped.principal();
    }
    String why = result instanceof MappingResult.Rejected rejected ? rejected.reason()
        : "no mapper matched: " + ((MappingResult.NoMatch) result).why();
    throw new PeerVerificationException(FailureReason.PRINCIPAL_REJECTED, 0,
        "certificate '" + verifiedChain.get(0).getSubjectX500Principal().getName()
            + "' is valid but maps to no principal (" + why + ")", null);
  }
}
