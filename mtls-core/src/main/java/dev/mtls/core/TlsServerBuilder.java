package dev.mtls.core;

import dev.mtls.core.verify.PeerRole;
import dev.mtls.pki.GeneralName;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLParameters;

/**
 * Configures an mTLS server: its identity, the CAs its clients' certificates must chain to, and
 * how strictly clients are checked. Obtain one with {@link Mtls#server()}.
 *
 * <p>Defaults: client authentication {@link ClientAuth#REQUIRED}, TLS 1.3 and 1.2, AEAD cipher
 * suites with forward secrecy (server's order of preference), strict verification of client
 * certificates (which must carry the {@code clientAuth} extended key usage), resumption bounded to
 * one hour.
 */
public final class TlsServerBuilder extends TlsBuilder<TlsServerBuilder> {
  private ClientAuth clientAuth;
  private List<GeneralName> allowedClientNames;

  TlsServerBuilder() {}

  @Override
  TlsServerBuilder self() {
    return this;
  }

  /**
   * Sets whether clients must present a certificate.
   *
   * <p>If unset, {@link ClientAuth#REQUIRED}: this is an mTLS server. {@link ClientAuth#OPTIONAL}
   * must be chosen explicitly.
   *
   * @param mode the mode
   * @return this builder
   */
  public TlsServerBuilder clientAuth(ClientAuth mode) {
    checkUnset("clientAuth", clientAuth);
    this.clientAuth = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Accepts only clients whose certificate carries one of these subject alternative names, for
   * instance SPIFFE IDs ({@code GeneralName.uri("spiffe://example.org/billing")}) or DNS names.
   * Names are compared exactly.
   *
   * <p>If unset, any client with a valid certificate from a trusted CA is accepted.
   *
   * @param names one or more names
   * @return this builder
   */
  public TlsServerBuilder allowedClientNames(GeneralName... names) {
    checkUnset("allowedClientNames", allowedClientNames);
    if (names.length == 0) {
      throw new IllegalArgumentException("allowedClientNames needs at least one name");
    }
    this.allowedClientNames = List.of(names);
    return this;
  }

  /**
   * Lets a client whose certificate verifies but maps to no principal (the mapper found no match,
   * or rejected it) complete the handshake, so that the application can answer it rather than
   * the TLS layer: {@link TlsConfiguration#principal(javax.net.ssl.SSLSession)} then throws
   * {@link UnmappedPeerException} for it, with the mapper's reason, and mtls-http's access control
   * answers its requests with 403. Useful when refused clients should get an HTTP answer they can
   * read instead of a bare TLS alert.
   *
   * <p>If not called, such a client fails the handshake with
   * {@link dev.mtls.core.verify.FailureReason#PRINCIPAL_REJECTED}.
   *
   * @return this builder
   * @throws IllegalStateException if called twice; {@link #build()} throws it if no principal
   *     mapper is configured
   */
  public TlsServerBuilder admitUnmappedClients() {
    if (admitUnmapped) {
      throw new IllegalStateException("admitUnmappedClients() was already called");
    }
    admitUnmapped = true;
    return this;
  }

  /**
   * Loads the identity and trust material and builds the server configuration.
   *
   * @return the configuration
   * @throws IllegalStateException if a required option is missing
   * @throws dev.mtls.pki.PkiException if material cannot be read, naming the file
   */
  public TlsServer build() {
    Parts parts = buildParts(PeerRole.CLIENT,
        allowedClientNames == null ? List.of() : allowedClientNames);
    return new TlsServer(parts);
  }

  @Override
  SSLParameters parametersFor(SSLParameters common) {
    SSLParameters parameters = ConfiguredSslContext.merge(common, new SSLParameters());
    if (clientAuth == ClientAuth.OPTIONAL) {
      parameters.setWantClientAuth(true);
    } else {
      parameters.setNeedClientAuth(true);
    }
    parameters.setUseCipherSuitesOrder(true);
    return parameters;
  }
}
