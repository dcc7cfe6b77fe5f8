package dev.mtls.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.pki.CertificateRole;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectedHttpsServerTest {
  private static final TestCa CA = TestCa.create();

  @Test
  void start_decidesEachRequestByThePolicyFile(@TempDir Path dir) throws Exception {
    Path policyFile = dir.resolve("access.policy");
    Files.writeString(policyFile, """
        deny   *                                   *     /internal/**
        allow  spiffe:spiffe://example.org/billing GET   /invoices/**
        """);
    try (TlsServer tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost")))
            .trust(TrustSource.of(CA.certificate())).principals(PrincipalMappers.spiffe("example.org")).build();
        TlsClient billing = Mtls.client()
            .identity(IdentitySource.of(CA.leaf(CertificateRole.CLIENT)
                .spiffeId("spiffe://example.org/billing").issue()))
            .trust(TrustSource.of(CA.certificate())).build();
        ProtectedHttpsServer server = ProtectedHttpsServer.start(tls, policyFile)) {
      HttpClient http = JdkHttpClients.builder(billing).build();

      assertThat(get(http, server, "/invoices/7").body()).isEqualTo("hello from /invoices/7");
      HttpResponse<String> refused = get(http, server, "/internal/keys");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).isEqualTo("forbidden");
      assertThat(get(http, server, "/invoices/..%2finternal/keys").statusCode()).isEqualTo(400);
    }
  }

  private static HttpResponse<String> get(HttpClient http, ProtectedHttpsServer server, String rawPath)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + rawPath)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
