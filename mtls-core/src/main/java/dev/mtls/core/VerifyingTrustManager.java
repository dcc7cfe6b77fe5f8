package dev.mtls.core;

import dev.mtls.core.verify.FailureReason;
import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.verify.VerifiedPath;
import dev.mtls.pki.GeneralName;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The configuration's trust manager: hands the peer's chain to the {@link PeerVerifier}, with the
 * host name the client connected to when the peer is a server. It never falls back to the JDK's
 * checks. When resumption is disabled it also marks the handshake's session as not resumable.
 * The verifier is replaced when trust is reloaded ({@link #swap}); a handshake uses the verifier
 * current when its peer's certificate arrives.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
  /** The session value under which the revocation statuses of the full handshake are kept. */
  static final String REVOCATION_KEY = "dev.mtls.revocation";

  /** A verifier with its anchors as an array, swapped together. */
  private record Trust(PeerVerifier verifier, X509Certificate[] acceptedIssuers) {
    Trust(PeerVerifier verifier) {
      this(verifier, verifier.trustAnchors().toArray(new X509Certificate[0]));
    }
  }

  private volatile Trust trust;
  private final PeerRole peerRole;
  private final boolean resumable;
  private final PrincipalResolver principals;

  VerifyingTrustManager(PeerVerifier verifier, PeerRole peerRole, boolean resumable,
      PrincipalResolver principals) {
    this.trust = new Trust(verifier);
    this.peerRole = peerRole;
    this.principals = principals;
    this.resumable = resumable;
  }

  PeerVerifier verifier() {
    return trust.verifier();
  }

  /** Makes {@code verifier} the one new certificate checks use. */
  void swap(PeerVerifier verifier) {
    this.trust = new Trust(verifier);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verifyClient(chain, handshakeSession(socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verifyClient(chain, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verifyClient(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verifyServer(chain, handshakeSession(socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verifyServer(chain, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verifyServer(chain, null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trust.acceptedIssuers().clone();
  }

  private void verifyClient(X509Certificate[] chain, SSLSession handshake)
      throws CertificateException {
    requireRole(PeerRole.CLIENT);
    VerifiedPath path = trust.verifier().verify(chainOf(chain), null);
    if (principals != null) {
      principals.resolve(path, handshake);
    }
    keepRevocation(path, handshake);
    preventResumption(handshake);
  }

  private void verifyServer(X509Certificate[] chain, SSLSession handshake)
      throws CertificateException {
    requireRole(PeerRole.SERVER);
    GeneralName expected = expectedServerName(handshake);
    if (expected == null) {
      throw new PeerVerificationException(FailureReason.NAME_MISMATCH, 0,
          "no host name to check the server certificate against; expected a connection made"
              + " by host name (use newEngine(host, port) or a socket connected to a host)", null);
    }
    VerifiedPath path = trust.verifier().verify(chainOf(chain), expected, staples(handshake));
    if (principals != null) {
      principals.resolve(path, handshake);
    }
    keepRevocation(path, handshake);
    preventResumption(handshake);
  }

  private void requireRole(PeerRole expected) throws CertificateException {
    if (peerRole != expected) {
      throw new CertificateException("This trust manager verifies " + peerRole
          + " peers and cannot check a " + expected + " certificate");
    }
  }

  /** The OCSP responses a server stapled, which JSSE clients request by default. */
  private static List<byte[]> staples(SSLSession handshake) {
    if (handshake instanceof ExtendedSSLSession extended) {
      try {
        return extended.getStatusResponses();
      } catch (UnsupportedOperationException e) {
        return List.of();
      }
    }
    return List.of();
  }

  private static void keepRevocation(VerifiedPath path, SSLSession handshake) {
    if (handshake != null && !path.revocation().isEmpty()) {
      handshake.putValue(REVOCATION_KEY, path.revocation().stream()
          .map(dev.mtls.core.revocation.RevocationStatus::describe)
          .collect(java.util.stream.Collectors.joining("; ")));
    }
  }

  private void preventResumption(SSLSession handshake) {
    if (!resumable && handshake != null) {
      // An invalidated session is not cached and gets no session ticket.
      handshake.invalidate();
    }
  }

  /**
   * The name the client meant to reach: the SNI host name it sent, else the peer host it was
   * created for (a host name or an IP literal).
   */
  static GeneralName expectedServerName(SSLSession handshake) {
    if (handshake == null) {
      return null;
    }
    if (handshake instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return GeneralName.dns(host.getAsciiName());
        }
      }
    }
    String host = handshake.getPeerHost();
    if (host == null || host.isEmpty()) {
      return null;
    }
    return GeneralName.host(host);
  }

  private static SSLSession handshakeSession(Socket socket) {
    return socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
  }

  private static List<X509Certificate> chainOf(X509Certificate[] chain) {
    return chain == null ? List.of() : Arrays.asList(chain);
  }
}
