package dev.mtls.examples.jettyserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.JdkHttpClients;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestFiles;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The Jetty example with real clients: the bundled policy, its audit lines, a policy edit, curl. */
class PolicyApiServerTest {
  private static final TestCa CA = TestCa.create();

  @TempDir Path dir;
  private Path policyFile;
  private TlsServer tls;
  private PolicyApiServer server;
  private final BlockingQueue<String> audit = new LinkedBlockingQueue<>();
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      audit.add(event.getFormattedMessage());
    }
  };

  @BeforeEach
  void start() throws Exception {
    policyFile = Demo.copyBundledPolicy(dir);
    tls = Mtls.server().identity(IdentitySource.of(CA.server("localhost"))).trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).build();
    server = PolicyApiServer.start(tls, policyFile, "127.0.0.1", 0);
    Logger events = (Logger) LoggerFactory.getLogger("dev.mtls.events");
    capture.setContext(events.getLoggerContext());
    capture.start();
    events.addAppender(capture);
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger("dev.mtls.events")).detachAppender(capture);
    server.close();
    tls.close();
  }

  private URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  private static HttpResponse<String> get(SSLContext context, URI uri) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().sslContext(context).build();
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String clientName, URI uri) throws IOException, InterruptedException {
    try (TlsClient client = Mtls.client().identity(IdentitySource.of(CA.client(clientName)))
        .trust(TrustSource.of(CA.certificate())).build()) {
      HttpClient http = JdkHttpClients.builder(client).build();
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The next access line of the audit log. */
  private String nextAccessLine() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String line = audit.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith("event=access")) {
        return line;
      }
    }
    return "(no access line within 10 s)";
  }

  @Test
  void allowedClient_reachesTheApplication() throws Exception {
    HttpResponse<String> response = get("billing", uri("/invoices/7"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello cn:billing /invoices/7");
    assertThat(nextAccessLine()).startsWith("event=access decision=allow principal=cn:billing ")
        .contains(" method=GET path=/invoices/7 rule=access.policy:5 ");
  }

  @Test
  void deniedClient_gets403_andTheAuditLogSaysWhy() throws Exception {
    HttpResponse<String> response = get("intern", uri("/invoices/7"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("forbidden");
    assertThat(nextAccessLine()).startsWith("event=access decision=deny principal=cn:intern ")
        .endsWith(" method=GET path=/invoices/7 reason=\"no rule allows GET /invoices/7\"");
  }

  @Test
  void logbackXml_sendsTheEventsToTheAuditAppenderOnly() {
    Logger events = (Logger) LoggerFactory.getLogger("dev.mtls.events");

    assertThat(events.getAppender("AUDIT")).isNotNull();
    assertThat(events.isAdditive()).isFalse();
  }

  @Test
  void clientWithoutCertificate_isRefusedInTheHandshake() throws Exception {
    SSLContext trustOnly = SSLContext.getInstance("TLS");
    trustOnly.init(null, CA.trustManagerFactory().getTrustManagers(), null);

    assertThatThrownBy(() -> get(trustOnly, uri("/health"))).isInstanceOf(IOException.class);
  }

  @Test
  void policyFileEdit_takesEffectWithoutRestart() throws Exception {
    assertThat(get("intern", uri("/invoices/7")).statusCode()).isEqualTo(403);

    Path next = dir.resolve("access.policy.new");
    Files.writeString(next, Files.readString(policyFile) + "allow  cn:intern    GET        /invoices/**\n");
    Files.move(next, policyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int status = 403;
    while (status != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = get("intern", uri("/invoices/7")).statusCode();
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void curl_withAndWithoutClientCertificate() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed");
    TestFiles.PemIdentity billing = TestFiles.writePem(dir, "billing", CA.client("billing"));
    Path ca = TestFiles.writeCertificates(dir, "ca.pem", CA.certificate());
    String url = uri("/invoices/7").toString();
    String resolve = "localhost:" + server.port() + ":127.0.0.1";

    Curl withCertificate = curl("--resolve", resolve, "--cacert", ca.toString(),
        "--cert", billing.certificateChain().toString(), "--key", billing.privateKey().toString(), url);
    Curl without = curl("--resolve", resolve, "--cacert", ca.toString(), url);

    assertThat(withCertificate).isEqualTo(new Curl(0, "hello cn:billing /invoices/7"));
    assertThat(without.exitCode()).as("curl's exit code without a client certificate").isNotZero();
  }

  private record Curl(int exitCode, String output) {}

  private static Curl curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "--silent", "--max-time", "10"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
    return new Curl(process.exitValue(), output);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
