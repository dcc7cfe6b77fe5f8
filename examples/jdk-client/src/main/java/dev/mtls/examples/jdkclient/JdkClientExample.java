package dev.mtls.examples.jdkclient;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.http.JdkHttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Calls an mTLS HTTPS API with the JDK's {@link HttpClient}.
 *
 * <pre>
 * JdkClientExample URL CLIENT_CERT CLIENT_KEY SERVER_CA
 * JdkClientExample              (no arguments: starts a throwaway server and calls it)
 * </pre>
 */
public final class JdkClientExample {
  private JdkClientExample() {}

  /**
   * Calls a URL with a client certificate and prints the status and the body.
   *
   * @param args the URL, the client's PEM certificate chain and private key, and the PEM file of
   *     the CA that signs servers; or nothing, to run against a throwaway server
   * @throws Exception if the call fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      Path dir = Files.createTempDirectory("mtls-example");
      try (LocalApi api = LocalApi.startWithTestCa(dir)) {   // writes client.crt, client.key, ca.pem
        call(api.url("/hello"), dir.resolve("client.crt"), dir.resolve("client.key"), dir.resolve("ca.pem"));
      } finally {
        for (String name : new String[] {"client.crt", "client.key", "ca.pem"}) {
          Files.deleteIfExists(dir.resolve(name));
        }
        Files.delete(dir);
      }
      return;
    }
    if (args.length != 4) {
      System.err.println("usage: JdkClientExample URL CLIENT_CERT CLIENT_KEY SERVER_CA");
      System.exit(2);
    }
    call(args[0], Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
  }

  private static void call(String url, Path certificateChain, Path privateKey, Path serverCa) throws Exception {
    try (TlsClient tls = Mtls.client()
        .identity(IdentitySource.pemFiles(certificateChain, privateKey))
        .trust(TrustSource.pemFile(serverCa))              // not the JDK's cacerts: only this CA
        .build()) {
      HttpResponse<String> response = get(tls, URI.create(url));
      System.out.println(response.statusCode() + " " + response.body());
    }
  }

  /**
   * Sends one GET request with the configuration's client certificate.
   *
   * @param tls the client configuration: identity and the CAs that sign servers
   * @param uri an {@code https} URL
   * @return the response, with the body as text
   * @throws IOException if the connection or the handshake fails (an untrusted server, a host
   *     name the server certificate does not list, a client certificate the server refuses)
   * @throws InterruptedException if interrupted while waiting
   */
  public static HttpResponse<String> get(TlsClient tls, URI uri) throws IOException, InterruptedException {
    // Sets both the SSLContext and the SSLParameters: protocols, cipher suites and host name
    // checking live on the parameters, and a client given only the context falls back to the JDK's.
    HttpClient http = JdkHttpClients.builder(tls)
        .connectTimeout(Duration.ofSeconds(10))
        .build();                                          // in a service: build once, reuse
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
