package dev.mtls.examples.jettyserver;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo that {@link PolicyApiServer#main} runs without arguments: a throwaway CA from the test
 * kit, the server with the bundled {@code access.policy}, and two clients, one allowed and one
 * denied. The audit lines appear on standard output next to the responses.
 */
final class Demo {
  private Demo() {}

  static void run(PrintStream out) throws Exception {
    TestCa ca = TestCa.create();
    Path policyFile = copyBundledPolicy(Files.createTempDirectory("mtls-example"));
    try (TlsServer tls = Mtls.server()
            .identity(IdentitySource.of(ca.server("localhost")))
            .trust(TrustSource.of(ca.certificate()))
            .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY))
            .build();
        PolicyApiServer server = PolicyApiServer.start(tls, policyFile, "127.0.0.1", 0);
        TlsClient billing = client(ca, "billing");
        TlsClient intern = client(ca, "intern")) {
      URI invoice = URI.create("https://localhost:" + server.port() + "/invoices/7");
      out.println("billing GET /invoices/7 -> " + get(billing, invoice));
      out.println("intern  GET /invoices/7 -> " + get(intern, invoice));
    } finally {
      Files.deleteIfExists(policyFile);
      Files.deleteIfExists(policyFile.getParent());
    }
  }

  /** Writes the policy file bundled with the example into a directory. */
  static Path copyBundledPolicy(Path dir) throws IOException {
    Path file = dir.resolve("access.policy");
    try (InputStream in = Demo.class.getResourceAsStream("/access.policy")) {
      if (in == null) {
        throw new IOException("access.policy is missing from the class path");
      }
      Files.copy(in, file);
    }
    return file;
  }

  private static TlsClient client(TestCa ca, String name) {
    return Mtls.client().identity(IdentitySource.of(ca.client(name))).trust(TrustSource.of(ca.certificate()))
        .build();
  }

  private static String get(TlsClient client, URI uri) throws IOException, InterruptedException {
    HttpClient http = JdkHttpClients.builder(client).build();
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
