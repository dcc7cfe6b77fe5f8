package dev.mtls.core;

import dev.mtls.core.verify.PeerRole;
import java.util.List;
import javax.net.ssl.SSLParameters;

/**
 * Configures an mTLS client: its identity, the CAs the server's certificate must chain to, and
 * pins. Obtain one with {@link Mtls#client()}.
 *
 * <p>Defaults: TLS 1.3 and 1.2, AEAD cipher suites with forward secrecy, strict verification of
 * the server's certificate including its host name (RFC 6125, subject alternative names only,
 * never the common name), resumption bounded to one hour. Host name verification cannot be
 * switched off here; the test kit has insecure helpers for tests.
 */
public final class TlsClientBuilder extends TlsBuilder<TlsClientBuilder> {
  TlsClientBuilder() {}

  @Override
  TlsClientBuilder self() {
    return this;
  }

  /**
   * Loads the identity and trust material and builds the client configuration.
   *
   * @return the configuration
   * @throws IllegalStateException if a required option is missing
   * @throws dev.mtls.pki.PkiException if material cannot be read, naming the file
   */
  public TlsClient build() {
    Parts parts = buildParts(PeerRole.SERVER, List.of());
    return new TlsClient(parts);
  }

  @Override
  SSLParameters parametersFor(SSLParameters common) {
    SSLParameters parameters = ConfiguredSslContext.merge(common, new SSLParameters());
    // Tells JSSE-based frameworks that the host name is checked; mtls's trust manager does the
    // check itself, against subject alternative names only.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }
}
