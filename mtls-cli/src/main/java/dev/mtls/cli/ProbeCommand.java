package dev.mtls.cli;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerificationException;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls probe}: connects to an HTTPS server as an mTLS client and explains what happens. */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {
        "Connect to an HTTPS URL, optionally with a client certificate, and show the handshake",
        "(protocol, cipher suite, the server's chain, whether our certificate was sent) and the",
        "HTTP status of a GET. The server's certificate is checked with the mtls verifier against",
        "--trust (default: the JDK's trust store) and the URL's host. A failure is explained in",
        "plain words; for a TLS alert from the server, what it most likely means (a server does not",
        "say why it refused a client). The first line is OK or REJECTED. Exit code 1 on a rejected",
        "handshake or HTTP 401/403; 3 when the server cannot be reached."},
    footer = {"", "Example:",
        "  mtls probe https://127.0.0.1:8443/ --cert certs/alice.crt --key certs/alice.key --trust ca/ca.crt",
        "", "JSON (--json):",
        "  {\"url\", \"result\": \"OK\"|\"REJECTED\", \"address\": \"HOST:PORT\", \"protocol\", \"cipherSuite\",",
        "   \"clientCertificate\": {\"subject\", \"sent\"}|null,",
        "   \"serverChain\": [{\"subject\", \"issuer\", \"serial\", \"notAfter\", \"spkiPin\"}],",
        "   \"httpStatus\": N|null,",
        "   \"failure\": null|{\"stage\": \"handshake\"|\"http\", \"reason\": REASON|null (our verdict on the",
        "              server's certificate), \"alert\": NAME|null (the server's), \"message\", \"explanation\"}}"})
final class ProbeCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "URL", description = "An https:// URL.")
  String url;

  @Option(names = "--cert", paramLabel = "FILE", description = "Our certificate chain (PEM), with --key.")
  Path certificateFile;

  @Option(names = "--key", paramLabel = "FILE", description = "Our private key (PEM), with --cert.")
  Path keyFile;

  @Option(names = "--trust", paramLabel = "FILE",
      description = "The CA certificates the server's certificate must chain to (PEM; default: the JDK's).")
  Path trustFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Connect, handshake and response timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--json", description = "Print JSON (schema below) instead of text.")
  boolean json;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() throws GeneralSecurityException {
    URI uri = parseUrl();
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    int port = uri.getPort() < 0 ? 443 : uri.getPort();
    if ((certificateFile == null) != (keyFile == null)) {
      throw CliException.input("--cert and --key go together: give both or neither");
    }
    if (timeoutSeconds < 1) {
      throw CliException.input("--timeout " + timeoutSeconds + ": expected at least 1 second");
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    List<X509Certificate> anchors = trustFile != null ? Pem.readCertificates(trustFile) : TrustSource.system().load();
    PeerVerifier verifier = PeerVerifier.builder(PeerRole.SERVER).trustAnchors(anchors).build();
    ProbeTrustManager trustManager = new ProbeTrustManager(verifier, GeneralName.host(host));

    TlsClient tls = null;
    try {
      KeyManager[] keyManagers = null;
      String clientSubject = null;
      if (certificateFile != null) {
        tls = Mtls.client()
            .identity(CaDirectory.isEncrypted(keyFile)
                ? IdentitySource.pemFiles(certificateFile, keyFile,
                    passwords.required(context(), "for the encrypted key " + keyFile))
                : IdentitySource.pemFiles(certificateFile, keyFile))
            .trust(TrustSource.of(anchors.toArray(X509Certificate[]::new)))
            .build();
        keyManagers = tls.keyManagerFactory().getKeyManagers();
        clientSubject = tls.identities().get(0).certificate().getSubjectX500Principal().getName();
      }
      SSLContext sslContext = SSLContext.getInstance("TLS");
      sslContext.init(keyManagers, new TrustManager[] {trustManager}, null);
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});

      Map<String, Object> report = new LinkedHashMap<>();
      report.put("url", uri.toString());
      report.put("result", "OK");
      report.put("address", host + ":" + port);
      int code = handshake(sslContext, parameters, host, port, timeout, trustManager, clientSubject, report);
      if (code == ExitCodes.OK) {
        code = request(sslContext, parameters, uri, timeout, clientSubject != null, report);
      } else {
        report.put("httpStatus", null);
      }
      print(report);
      return code;
    } finally {
      if (tls != null) {
        tls.close();
      }
    }
  }

  private URI parseUrl() {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")
          || uri.getHost() == null) {
        throw CliException.input("URL '" + url + "': expected https://HOST[:PORT]/PATH");
      }
      return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
    } catch (URISyntaxException e) {
      throw CliException.input("URL '" + url + "': " + e.getReason(), e);
    }
  }

  private int handshake(SSLContext sslContext, SSLParameters parameters, String host, int port,
      Duration timeout, ProbeTrustManager trustManager, String clientSubject, Map<String, Object> report) {
    Socket raw = new Socket();
    try {
      raw.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
    } catch (UnknownHostException e) {
      close(raw);
      throw CliException.environment("cannot resolve " + host + ": unknown host", e);
    } catch (ConnectException e) {
      close(raw);
      throw CliException.environment("connection refused by " + host + ":" + port + ": nothing listens there", e);
    } catch (SocketTimeoutException e) {
      close(raw);
      throw CliException.environment("no answer from " + host + ":" + port + " within " + timeout.toSeconds()
          + " s (a firewall, or the wrong address)", e);
    } catch (IOException e) {
      close(raw);
      throw CliException.environment("cannot connect to " + host + ":" + port + " (" + Problems.describe(e) + ")", e);
    }
    try (SSLSocket socket = (SSLSocket) sslContext.getSocketFactory().createSocket(raw, host, port, true)) {
      socket.setSSLParameters(parameters);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.startHandshake();
      SSLSession session = socket.getSession();
      report.put("protocol", session.getProtocol());
      report.put("cipherSuite", session.getCipherSuite());
      report.put("clientCertificate", clientCertificate(clientSubject, session.getLocalCertificates() != null));
      report.put("serverChain", chain(session.getPeerCertificates()));
      report.put("failure", null);
      return ExitCodes.OK;
    } catch (SocketTimeoutException e) {
      throw CliException.environment("the handshake with " + host + ":" + port + " did not finish within "
          + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      report.put("result", "REJECTED");
      report.put("protocol", null);
      report.put("cipherSuite", null);
      report.put("clientCertificate", clientCertificate(clientSubject, false));
      report.put("serverChain", chain(trustManager.presented().toArray(Certificate[]::new)));
      report.put("failure", failure("handshake", e, clientSubject != null));
      return ExitCodes.REJECTED;
    } finally {
      close(raw);
    }
  }

  private int request(SSLContext sslContext, SSLParameters parameters, URI uri, Duration timeout,
      boolean sentCertificate, Map<String, Object> report) {
    HttpClient http = HttpClient.newBuilder()
        .sslContext(sslContext)
        .sslParameters(parameters)
        .connectTimeout(timeout)
        .build();
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      report.put("httpStatus", status);
      report.put("httpBody", new String(response.body(), StandardCharsets.UTF_8));
      if (status == 401 || status == 403) {
        report.put("result", "REJECTED");
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("stage", "http");
        failure.put("reason", null);
        failure.put("alert", null);
        failure.put("message", "HTTP " + status);
        failure.put("explanation", status == 401
            ? "the server wants authentication it did not get: it does not accept our certificate as a login."
            : "the handshake succeeded, but the server's access policy does not allow this client.");
        report.put("failure", failure);
        return ExitCodes.REJECTED;
      }
      return ExitCodes.OK;
    } catch (HttpTimeoutException e) {
      throw CliException.environment("no HTTP response from " + uri + " within " + timeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw CliException.environment("connection refused by " + uri.getHost() + ":" + uri.getPort(), e);
    } catch (IOException e) {
      if (Alerts.received(e) == null && !(e instanceof SSLException) && !(e.getCause() instanceof SSLException)) {
        throw CliException.environment("the HTTP request to " + uri + " failed (" + Problems.describe(e) + ")", e);
      }
      report.put("result", "REJECTED");
      report.put("httpStatus", null);
      report.put("failure", failure("http", e, sentCertificate));
      return ExitCodes.REJECTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.environment("interrupted while waiting for " + uri, e);
    }
  }

  private static Map<String, Object> failure(String stage, IOException e, boolean sentCertificate) {
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("stage", stage);
    PeerVerificationException rejected = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PeerVerificationException p) {
        rejected = p;
        break;
      }
    }
    String alert = Alerts.received(e);
    failure.put("reason", rejected == null ? null : rejected.reason().name());
    failure.put("alert", alert);
    failure.put("message", e.getMessage());
    String explanation;
    if (rejected != null) {
      explanation = "we rejected the server's certificate (" + rejected.reason() + "): "
          + rejected.getMessage().substring(rejected.reason().name().length() + 2);
    } else if (alert != null) {
      explanation = Alerts.explain(alert, sentCertificate);
    } else if (e.getMessage() != null && e.getMessage().contains("Unsupported or unrecognized SSL message")) {
      explanation = "the server did not answer with TLS: is it plain HTTP? Try an http:// client.";
    } else if (e.getMessage() != null && e.getMessage().contains("Remote host terminated")) {
      explanation = "the server closed the connection during the handshake without an alert: often a"
          + " refused client certificate, or a server that is not speaking TLS on this port.";
    } else {
      explanation = "the TLS connection failed: " + e.getMessage();
    }
    failure.put("explanation", explanation);
    return failure;
  }

  private static Map<String, Object> clientCertificate(String subject, boolean sent) {
    if (subject == null) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("subject", subject);
    map.put("sent", sent);
    return map;
  }

  private static List<Map<String, Object>> chain(Certificate[] certificates) {
    List<Map<String, Object>> chain = new ArrayList<>();
    for (Certificate certificate : certificates) {
      if (certificate instanceof X509Certificate x509) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("subject", x509.getSubjectX500Principal().getName());
        map.put("issuer", x509.getIssuerX500Principal().getName());
        map.put("serial", x509.getSerialNumber().toString(16));
        map.put("notAfter", x509.getNotAfter().toInstant().toString());
        map.put("spkiPin", Certificates.spkiPin(x509));
        chain.add(map);
      }
    }
    return chain;
  }

  @SuppressWarnings("unchecked")
  private void print(Map<String, Object> report) {
    if (json) {
      Map<String, Object> copy = new LinkedHashMap<>(report);
      copy.remove("httpBody");
      out().println(Json.write(copy));
      return;
    }
    out().println(report.get("result"));
    out().println("  url          " + report.get("url"));
    out().println("  connected    " + report.get("address"));
    if (report.get("protocol") != null) {
      out().println("  handshake    " + report.get("protocol") + ", " + report.get("cipherSuite"));
    }
    Map<String, Object> client = (Map<String, Object>) report.get("clientCertificate");
    out().println("  our cert     " + (client == null ? "none"
        : client.get("subject") + (Boolean.TRUE.equals(client.get("sent")) ? " (sent)" : " (not sent)")));
    List<Map<String, Object>> chain = (List<Map<String, Object>>) report.get("serverChain");
    if (!chain.isEmpty()) {
      out().println("  server chain");
      for (int i = 0; i < chain.size(); i++) {
        Map<String, Object> certificate = chain.get(i);
        out().println("    [" + i + "] " + certificate.get("subject") + "  issuer " + certificate.get("issuer")
            + "  serial " + certificate.get("serial") + "  valid until " + certificate.get("notAfter"));
      }
    }
    if (report.get("httpStatus") != null) {
      String body = (String) report.get("httpBody");
      String firstLine = body == null ? "" : body.lines().findFirst().orElse("");
      out().println("  http         " + report.get("httpStatus")
          + (firstLine.isBlank() ? "" : "  " + (firstLine.length() > 200 ? firstLine.substring(0, 200) : firstLine)));
    }
    Map<String, Object> failure = (Map<String, Object>) report.get("failure");
    if (failure != null) {
      out().println("  failed at    " + failure.get("stage")
          + (failure.get("alert") != null ? " (alert " + failure.get("alert") + " from the server)" : ""));
      out().println("  why          " + Main.oneLine((String) failure.get("explanation")));
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing more to do with it.
    }
  }
}
