package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK {@code HttpClient} takes its {@code SSLContext} once, at build, and cannot be given
 * another: a rotated client identity must reach it through the same context object.
 */
class HttpClientRotationTest {
  private static final TestCa CA = TestCa.create();

  @TempDir Path dir;

  @Test
  void jdkHttpClient_presentsTheRotatedClientIdentityWithoutBeingRebuilt() throws Exception {
    Path chain = dir.resolve("client.crt");
    Path key = dir.resolve("client.key");
    CertifiedKey first = CA.client("billing");
    CertifiedKey second = CA.client("billing");
    RotationTest.writeIdentity(chain, key, first);
    try (TlsServer server = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
        .trust(TrustSource.of(CA.certificate())).listeners().build();
        TlsClient client = Mtls.client().identity(IdentitySource.pemFiles(chain, key))
            .trust(TrustSource.of(CA.certificate())) // resumable sessions: rotation must reset them
            .reload(ReloadPolicy.watch().debounce(Duration.ofMillis(50)))
            .listeners().expiryWarnings().build()) {
      HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(server.sslContext()) {
        @Override
        public void configure(HttpsParameters params) {
          params.setSSLParameters(server.sslParameters());
        }
      });
      https.createContext("/", exchange -> {
        X509Certificate peer = (X509Certificate)
            ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
        byte[] body = peer.getSerialNumber().toString(16).getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().add("Connection", "close"); // the next request reconnects
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      https.start();
      try {
        HttpClient http = HttpClient.newBuilder().sslContext(client.sslContext())
            .sslParameters(client.sslParameters()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(
            URI.create("https://localhost:" + https.getAddress().getPort() + "/")).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
            .isEqualTo(first.certificate().getSerialNumber().toString(16));

        RotationUnderLoadTest.write(chain, key, second);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen;
        do {
          Thread.sleep(50);
          seen = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } while (!seen.equals(second.certificate().getSerialNumber().toString(16))
            && System.nanoTime() < deadline);

        assertThat(seen).isEqualTo(second.certificate().getSerialNumber().toString(16));
        assertThat(client.identities().get(0).certificate()).isEqualTo(second.certificate());
      } finally {
        https.stop(0);
      }
    }
  }
}
