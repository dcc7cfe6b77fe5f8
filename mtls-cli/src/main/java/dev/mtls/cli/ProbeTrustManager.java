package dev.mtls.cli;

import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.pki.GeneralName;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's chain with the library's verifier, including its host name, and keeps the
 * chain the server presented so that {@code probe} can show it even when it is rejected.
 */
final class ProbeTrustManager extends X509ExtendedTrustManager {
  private final PeerVerifier verifier;
  private final GeneralName host;
  private volatile List<X509Certificate> presented = List.of();

  ProbeTrustManager(PeerVerifier verifier, GeneralName host) {
    this.verifier = verifier;
    this.host = host;
  }

  List<X509Certificate> presented() {
    return presented;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    presented = List.of(chain);
    verifier.verify(List.of(chain), host);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("probe is a client; it does not verify clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("probe is a client; it does not verify clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("probe is a client; it does not verify clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return verifier.trustAnchors().toArray(X509Certificate[]::new);
  }
}
