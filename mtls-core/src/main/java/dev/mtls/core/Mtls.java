package dev.mtls.core;

/**
 * The entry points: one builder per role.
 *
 * <pre>{@code
 * TlsServer server = Mtls.server().identity(..).trust(..).build();
 * TlsClient client = Mtls.client().identity(..).trust(..).build();
 * }</pre>
 */
public final class Mtls {
  private Mtls() {}

  /**
   * Starts configuring a server that requires client certificates.
   *
   * @return a server builder with secure defaults
   */
  public static TlsServerBuilder server() {
    return new TlsServerBuilder();
  }

  /**
   * Starts configuring a client that presents a certificate and verifies the server's.
   *
   * @return a client builder with secure defaults
   */
  public static TlsClientBuilder client() {
    return new TlsClientBuilder();
  }
}
