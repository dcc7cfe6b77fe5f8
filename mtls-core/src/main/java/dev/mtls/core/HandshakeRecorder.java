package dev.mtls.core;

import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.Certificates;
import java.io.EOFException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Turns a finished or failed handshake into a {@link HandshakeEvent} and publishes it. */
final class HandshakeRecorder {
  private final EventDispatcher dispatcher;
  private final String role;
  private final Function<SSLSession, String> principal;
  private final Clock clock = Clock.systemUTC();

  HandshakeRecorder(EventDispatcher dispatcher, String role, Function<SSLSession, String> principal) {
    this.dispatcher = dispatcher;
    this.role = role;
    this.principal = principal;
  }

  Instant now() {
    return clock.instant();
  }

  void succeeded(SSLSession session, Instant started) {
    X509Certificate peer = peerCertificate(session);
    dispatcher.publish(new HandshakeEvent(clock.instant(), role, true, session.getPeerHost(),
        serverName(session), session.getProtocol(), session.getCipherSuite(),
        peer == null ? null : peer.getSubjectX500Principal().getName(),
        peer == null ? null : peer.getIssuerX500Principal().getName(),
        peer == null ? null : peer.getSerialNumber(),
        peer == null ? null : Certificates.sha256Fingerprint(peer),
        peer == null ? null : principalOf(session),
        revocationOf(session), duration(started), null, null, null));
  }

  void failed(Throwable error, SSLSession handshake, String peerHost, Instant started) {
    PeerVerificationException rejection = find(error, PeerVerificationException.class);
    HandshakeFailure failure = rejection != null ? HandshakeFailure.CERTIFICATE_REJECTED : classify(error);
    dispatcher.publish(new HandshakeEvent(clock.instant(), role, false,
        handshake != null && handshake.getPeerHost() != null ? handshake.getPeerHost() : peerHost,
        serverName(handshake), null, null, null, null, null, null, null, null, duration(started), failure,
        rejection == null ? null : rejection.reason(),
        rejection != null ? rejection.getMessage() : String.valueOf(error.getMessage())));
  }

  private static String revocationOf(SSLSession session) {
    Object value = session.getValue(VerifyingTrustManager.REVOCATION_KEY);
    return value instanceof String text ? text : null;
  }

  private String principalOf(SSLSession session) {
    try {
      return principal.apply(session);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Duration duration(Instant started) {
    return started == null ? null : Duration.between(started, clock.instant());
  }

  /** Recognises JSSE's failures by type and message; JSSE offers no codes for them. */
  static HandshakeFailure classify(Throwable error) {
    String message = messages(error);
    if (message.contains("received fatal alert")) {
      return HandshakeFailure.REJECTED_BY_PEER;
    }
    if (find(error, EOFException.class) != null || find(error, java.net.SocketException.class) != null) {
      return HandshakeFailure.CONNECTION_FAILED;
    }
    if (message.contains("empty client certificate chain") || message.contains("bad_certificate")
        && message.contains("empty")) {
      return HandshakeFailure.NO_PEER_CERTIFICATE;
    }
    if (message.contains("protocol") && (message.contains("no appropriate")
        || message.contains("not supported") || message.contains("protocol_version")
        || message.contains("not accepted"))) {
      return HandshakeFailure.NO_COMMON_PROTOCOL;
    }
    if (message.contains("no cipher suites in common") || message.contains("no negotiable cipher")
        || message.contains("handshake_failure") && message.contains("cipher")) {
      return HandshakeFailure.NO_COMMON_CIPHER_SUITE;
    }
    return HandshakeFailure.OTHER;
  }

  /** The messages of the exception and its causes, lower case, for recognising JSSE failures. */
  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null && all.length() < 4096; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
      if (t.getCause() == t) {
        break;
      }
    }
    return all.toString().toLowerCase(Locale.ROOT);
  }

  static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static X509Certificate peerCertificate(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static String serverName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      try {
        for (SNIServerName name : extended.getRequestedServerNames()) {
          if (name instanceof SNIHostName host) {
            return host.getAsciiName();
          }
        }
      } catch (UnsupportedOperationException e) {
        return null;
      }
    }
    return null;
  }
}
