package dev.mtls.core;

import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;

/**
 * An immutable mTLS client configuration. Build one with {@link Mtls#client()}.
 *
 * <pre>{@code
 * TlsClient client = Mtls.client()
 *     .identity(IdentitySource.pemFiles(Path.of("client.crt"), Path.of("client.key")))
 *     .trust(TrustSource.pemFile(Path.of("servers-ca.pem")))
 *     .build();
 * SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("api.internal", 8443);
 * }</pre>
 */
public final class TlsClient extends TlsConfiguration {
  TlsClient(TlsBuilder.Parts parts) {
    super(parts);
  }

  /**
   * Returns a socket factory whose sockets use this configuration's parameters. Connect by host
   * name: the server's certificate is checked against it.
   *
   * @return the factory
   */
  public SSLSocketFactory socketFactory() {
    return sslContext().getSocketFactory();
  }

  /**
   * Creates a client-mode engine for the given server. The host is what the server's
   * certificate is checked against, and is sent as SNI when it is a host name.
   *
   * @param host the server's host name or IP address, as the application addressed it
   * @param port the server's port
   * @return the engine, in client mode
   */
  public SSLEngine newEngine(String host, int port) {
    SSLEngine engine = sslContext().createSSLEngine(Objects.requireNonNull(host, "host"), port);
    engine.setUseClientMode(true);
    return engine;
  }
}
