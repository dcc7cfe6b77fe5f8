package dev.mtls.testkit;

import dev.mtls.pki.CertifiedKey;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Deliberately insecure trust for tests that need a peer to get through the handshake whatever
 * it presents, for instance to observe what a client sends. These exist only in the test kit,
 * never in the production modules, and must never reach production code.
 */
public final class InsecureTrust {
  private InsecureTrust() {}

  /**
   * A trust manager that accepts every certificate chain, for clients and servers, and asks for
   * client certificates from any issuer.
   *
   * @return the trust manager
   */
  public static X509ExtendedTrustManager trustEverything() {
    return new TrustEverything();
  }

  /**
   * A TLS context that presents the identity (if any) and accepts every peer.
   *
   * @param identity the key and chain to present, or null to present none
   * @return an initialised context
   */
  public static SSLContext trustEverythingContext(CertifiedKey identity) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager[] keyManagers =
          identity == null ? null : TestKeyStores.keyManagerFactory(identity).getKeyManagers();
      context.init(keyManagers, new TrustManager[] {trustEverything()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot make a TLS context", e);
    }
  }

  private static final class TrustEverything extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NONE;
    }
  }
}
