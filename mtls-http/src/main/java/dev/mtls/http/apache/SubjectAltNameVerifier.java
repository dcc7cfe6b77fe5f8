package dev.mtls.http.apache;

import dev.mtls.core.TlsClient;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.pki.GeneralName;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.ssl.HttpClientHostnameVerifier;

/**
 * Apache's host name check after the handshake, done by mtls's rules: the host the client
 * connected to must be one of the server certificate's subject alternative names (RFC 6125),
 * never its common name. The configuration's trust manager has already checked the same name
 * during the handshake; this second check holds even if a version of HttpClient hands the engine
 * a name the trust manager cannot see, and keeps Apache's own verifier, which falls back to the
 * common name, out of the way.
 */
final class SubjectAltNameVerifier implements HttpClientHostnameVerifier {
  private final TlsClient client;

  SubjectAltNameVerifier(TlsClient client) {
    this.client = client;
  }

  @Override
  public void verify(String host, X509Certificate certificate) throws SSLException {
    GeneralName expected;
    try {
      expected = GeneralName.host(host);
    } catch (IllegalArgumentException e) {
      throw unverified("cannot check the server certificate against host '" + host + "': " + e.getMessage(), e);
    }
    try {
      client.verifier().verifyName(certificate, expected);
    } catch (PeerVerificationException e) {
      throw unverified("server certificate refused for host '" + host + "': " + e.getMessage(), e);
    }
  }

  @Override
  public boolean verify(String host, SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return false;
      }
      verify(host, leaf);
      return true;
    } catch (SSLException e) {
      return false;
    }
  }

  private static SSLPeerUnverifiedException unverified(String message, Exception cause) {
    SSLPeerUnverifiedException failure = new SSLPeerUnverifiedException(message);
    failure.initCause(cause);
    return failure;
  }

  @Override
  public String toString() {
    return "mtls subject alternative name verifier";
  }
}
