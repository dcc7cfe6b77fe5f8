package dev.mtls.testkit;

import dev.mtls.pki.CertifiedKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * In-memory JSSE objects for tests, made with the JDK's own factories: key stores, key and trust
 * manager factories, and TLS contexts. Nothing touches the file system.
 */
public final class TestKeyStores {
  /** The password of every in-memory key store and key entry this class makes: empty. */
  public static final char[] PASSWORD = new char[0];

  /** The alias under which {@link #keyStore(CertifiedKey)} stores the key. */
  public static final String KEY_ALIAS = "identity";

  private TestKeyStores() {}

  /**
   * A PKCS#12 key store with one key entry: the key and its chain, under {@link #KEY_ALIAS},
   * protected by {@link #PASSWORD}.
   *
   * @param identity the key and chain
   * @return the key store
   */
  public static KeyStore keyStore(CertifiedKey identity) {
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry(
          KEY_ALIAS, identity.privateKey(), PASSWORD, identity.chain().toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot store " + identity + " in a key store", e);
    }
  }

  /**
   * A PKCS#12 key store with one trusted certificate entry per certificate ({@code trusted-0},
   * {@code trusted-1}, ...).
   *
   * @param trusted the trust anchors, at least one
   * @return the key store
   */
  public static KeyStore trustStore(X509Certificate... trusted) {
    return trustStore(List.of(trusted));
  }

  /**
   * A PKCS#12 key store with one trusted certificate entry per certificate.
   *
   * @param trusted the trust anchors, at least one
   * @return the key store
   */
  public static KeyStore trustStore(List<X509Certificate> trusted) {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("A trust store needs at least one certificate");
    }
    try {
      KeyStore store = emptyStore();
      for (int i = 0; i < trusted.size(); i++) {
        store.setCertificateEntry("trusted-" + i, trusted.get(i));
      }
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot store certificates in a trust store", e);
    }
  }

  /**
   * A key manager factory of the JDK's default algorithm that presents the identity.
   *
   * @param identity the key and chain
   * @return an initialised factory
   */
  public static KeyManagerFactory keyManagerFactory(CertifiedKey identity) {
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore(identity), PASSWORD);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot make a key manager for " + identity, e);
    }
  }

  /**
   * A trust manager factory of the JDK's default algorithm (PKIX) that trusts the certificates.
   *
   * @param trusted the trust anchors
   * @return an initialised factory
   */
  public static TrustManagerFactory trustManagerFactory(X509Certificate... trusted) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore(trusted));
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot make a trust manager", e);
    }
  }

  /**
   * A TLS context from plain JDK factories.
   *
   * @param identity the key and chain to present, or null to present none
   * @param trusted the trust anchors for the peer's certificate
   * @return an initialised context
   */
  public static SSLContext sslContext(CertifiedKey identity, X509Certificate... trusted) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          identity == null ? null : keyManagerFactory(identity).getKeyManagers(),
          trustManagerFactory(trusted).getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot make a TLS context", e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot initialise an empty key store", e);
    }
    return store;
  }
}
