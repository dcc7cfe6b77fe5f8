package dev.mtls.core;

import javax.net.ssl.SSLServerSocketFactory;

/**
 * An immutable mTLS server configuration. Build one with {@link Mtls#server()}.
 *
 * <pre>{@code
 * TlsServer server = Mtls.server()
 *     .identity(IdentitySource.pemFiles(Path.of("server.crt"), Path.of("server.key")))
 *     .trust(TrustSource.pemFile(Path.of("clients-ca.pem")))
 *     .build();
 * SSLServerSocket listener = (SSLServerSocket) server.serverSocketFactory().createServerSocket(8443);
 * }</pre>
 */
public final class TlsServer extends TlsConfiguration {
  TlsServer(TlsBuilder.Parts parts) {
    super(parts);
  }

  /**
   * Returns a server socket factory whose server sockets require (or request) client
   * certificates and use this configuration's protocols and suites.
   *
   * @return the factory
   */
  public SSLServerSocketFactory serverSocketFactory() {
    return sslContext().getServerSocketFactory();
  }

  /**
   * Creates a server-mode engine with this configuration's parameters.
   *
   * @return the engine, in server mode
   */
  @Override
  public javax.net.ssl.SSLEngine newEngine() {
    javax.net.ssl.SSLEngine engine = super.newEngine();
    engine.setUseClientMode(false);
    ConfiguredSslContext.apply(sslParameters(), engine);
    return engine;
  }
}
