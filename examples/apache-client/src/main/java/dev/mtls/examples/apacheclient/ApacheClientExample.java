package dev.mtls.examples.apacheclient;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.http.apache.ApacheHttpClients;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Calls an mTLS HTTPS API with Apache HttpClient 5, once with the classic (blocking) client and
 * once with the async one.
 *
 * <pre>
 * ApacheClientExample URL CLIENT_CERT CLIENT_KEY SERVER_CA
 * ApacheClientExample              (no arguments: starts a throwaway server and calls it)
 * </pre>
 */
public final class ApacheClientExample {
  private ApacheClientExample() {}

  /**
   * A status and a body.
   *
   * @param status the HTTP status code
   * @param body the body as text
   */
  public record Reply(int status, String body) {}

  /**
   * Calls a URL with a client certificate, with both clients, and prints what each got.
   *
   * @param args the URL, the client's PEM certificate chain and private key, and the PEM file of
   *     the CA that signs servers; or nothing, to run against a throwaway server
   * @throws Exception if a call fails
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
      System.err.println("usage: ApacheClientExample URL CLIENT_CERT CLIENT_KEY SERVER_CA");
      System.exit(2);
    }
    call(args[0], Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
  }

  private static void call(String url, Path certificateChain, Path privateKey, Path serverCa) throws Exception {
    try (TlsClient tls = Mtls.client()
        .identity(IdentitySource.pemFiles(certificateChain, privateKey))
        .trust(TrustSource.pemFile(serverCa))              // not the JDK's cacerts: only this CA
        .build()) {
      Reply classic = getClassic(tls, URI.create(url));
      System.out.println("classic: " + classic.status() + " " + classic.body());
      Reply async = getAsync(tls, URI.create(url));
      System.out.println("async:   " + async.status() + " " + async.body());
    }
  }

  /**
   * Sends one GET request with the classic (blocking) client.
   *
   * @param tls the client configuration: identity and the CAs that sign servers
   * @param uri an {@code https} URL
   * @return the status and the body
   * @throws IOException if the connection or the handshake fails
   */
  public static Reply getClassic(TlsClient tls, URI uri) throws IOException {
    // The connection manager gets mtls's TLS strategy: context, protocols, cipher suites, and the
    // host name checked against the certificate's subject alternative names only.
    try (CloseableHttpClient http = ApacheHttpClients.classic(tls).build()) {  // in a service: build once, reuse
      return http.execute(new HttpGet(uri), response -> {
        try {
          return new Reply(response.getCode(), EntityUtils.toString(response.getEntity()));
        } catch (ParseException e) {
          throw new IOException("Cannot read the response of " + uri, e);
        }
      });
    }
  }

  /**
   * Sends one GET request with the async client.
   *
   * @param tls the client configuration: identity and the CAs that sign servers
   * @param uri an {@code https} URL
   * @return the status and the body
   * @throws IOException if the connection or the handshake fails
   * @throws InterruptedException if interrupted while waiting
   */
  public static Reply getAsync(TlsClient tls, URI uri) throws IOException, InterruptedException {
    try (CloseableHttpAsyncClient http = ApacheHttpClients.async(tls).build()) {
      http.start();                                        // an async client must be started
      Future<SimpleHttpResponse> future = http.execute(SimpleRequestBuilder.get(uri).build(), null);
      SimpleHttpResponse response = future.get();
      return new Reply(response.getCode(), response.getBodyText());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException("GET " + uri + " failed", e.getCause());
    }
  }
}
