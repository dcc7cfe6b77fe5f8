package dev.mtls.examples.rotation;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.Pem;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty serving with {@link RotatingServer}'s configuration while the server certificate is
 * renewed on disk, the way cert-manager, certbot or a Kubernetes secret update renews it: the
 * next connection gets the new certificate, and Jetty is never restarted or reconfigured.
 */
public final class RotationDemo {
  private RotationDemo() {}

  /**
   * The server certificates a client saw before and after the renewal.
   *
   * @param before the certificate of the first connection
   * @param after the certificate of the first connection that saw the renewed one
   */
  public record Seen(X509Certificate before, X509Certificate after) {}

  /**
   * Runs the demo in a temporary directory and prints the serial numbers the client saw.
   *
   * @param args ignored
   * @throws Exception if the server cannot start or the renewal is not seen
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Writes certificates from a throwaway CA, serves with Jetty, renews the server certificate on
   * disk and waits until a client sees the new one.
   *
   * @param out where to print what happens
   * @return the certificates the client saw
   * @throws Exception if the server cannot start or the renewal is not seen within 10 seconds
   */
  public static Seen run(PrintStream out) throws Exception {
    TestCa ca = TestCa.create();
    Path dir = Files.createTempDirectory("mtls-rotation");
    replace(dir.resolve("clients-ca.pem"), Pem.writeCertificates(ca.certificate()));
    replace(dir.resolve("server-ca.pem"), Pem.writeCertificates(ca.certificate()));
    writeIdentity(dir, ca.server("localhost"));

    Server jetty = new Server();
    try (TlsServer tls = RotatingServer.watching(dir);
        TlsClient client = Mtls.client().identity(IdentitySource.of(ca.client("monitor")))
            .trust(TrustSource.of(ca.certificate())).build()) {
      // Jetty takes the SSLContext once; the renewed certificate arrives underneath it.
      ServerConnector https = JettyServerConnectors.builder(jetty, tls).host("127.0.0.1").build();
      jetty.addConnector(https);
      jetty.setHandler(new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
          Content.Sink.write(response, true, "ok", callback);
          return true;
        }
      });
      jetty.start();
      URI uri = URI.create("https://localhost:" + https.getLocalPort() + "/");

      X509Certificate before = serverCertificate(client, uri);
      out.println("before: serial " + before.getSerialNumber().toString(16));

      CertifiedKey renewed = ca.server("localhost");              // what the CA issues next
      writeIdentity(dir, renewed);
      out.println("renewed on disk: serial " + renewed.certificate().getSerialNumber().toString(16));

      X509Certificate after = before;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (after.equals(before) && System.nanoTime() < deadline) {
        Thread.sleep(50);                                         // the file watcher is asynchronous
        after = serverCertificate(client, uri);
      }
      out.println("after:  serial " + after.getSerialNumber().toString(16));
      return new Seen(before, after);
    } finally {
      jetty.stop();
      for (String name : new String[] {"tls.crt", "tls.key", "clients-ca.pem", "server-ca.pem"}) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Makes one request on a new connection and returns the certificate the server presented.
   *
   * @param client the client configuration
   * @param uri the server's URL
   * @return the server's certificate
   * @throws IOException if the request fails
   * @throws InterruptedException if interrupted while waiting
   */
  public static X509Certificate serverCertificate(TlsClient client, URI uri)
      throws IOException, InterruptedException {
    HttpClient http = JdkHttpClients.builder(client).build();    // a new client: a new connection
    HttpResponse<Void> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
    SSLSession session = response.sslSession().orElseThrow();
    return (X509Certificate) session.getPeerCertificates()[0];
  }

  /**
   * Writes a renewed identity as {@code tls.crt} and {@code tls.key}, each replaced atomically,
   * the way a renewal tool should, so that the watcher never reads a half-written file.
   *
   * @param dir the directory the server watches
   * @param identity the new certificate chain and key
   * @throws IOException if a file cannot be written
   */
  public static void writeIdentity(Path dir, CertifiedKey identity) throws IOException {
    replace(dir.resolve("tls.crt"), Pem.writeCertificates(identity.chain()));
    replace(dir.resolve("tls.key"), Pem.writePrivateKey(identity.privateKey()));
  }

  private static void replace(Path file, String content) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
