package dev.mtls.cli;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
        "HTTP status of a GET (HTTP/1.1). The server's certificate is checked with the mtls verifier against",
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
  /** How long to wait for a TLS 1.3 server's verdict before sending the request. */
  static final int VERDICT_WAIT_MILLIS = 300;

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
      int code = exchange(sslContext, parameters, uri, host, port, timeout, trustManager, clientSubject, report);
      ProbeReport.print(out(), report, json);
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

  /**
   * Connects, shakes hands and sends one HTTP/1.1 GET on the same socket. The request is needed to
   * learn the server's verdict on our certificate: in TLS 1.3 a server checks the client's
   * certificate after the client has finished its side of the handshake, so its alert arrives on
   * the first read. (The JDK's HttpClient reports such a connection only as closed, losing the
   * alert, which is why this speaks HTTP itself.)
   */
  private int exchange(SSLContext sslContext, SSLParameters parameters, URI uri, String host, int port,
      Duration timeout, ProbeTrustManager trustManager, String clientSubject, Map<String, Object> report) {
    Socket raw = connect(host, port, timeout);
    report.put("protocol", null);
    report.put("cipherSuite", null);
    report.put("clientCertificate", ProbeReport.clientCertificate(clientSubject, false));
    report.put("serverChain", List.of());
    report.put("httpStatus", null);
    report.put("failure", null);
    String stage = "handshake";
    try (SSLSocket socket = (SSLSocket) sslContext.getSocketFactory().createSocket(raw, host, port, true)) {
      socket.setSSLParameters(parameters);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.startHandshake();
      SSLSession session = socket.getSession();
      report.put("protocol", session.getProtocol());
      report.put("cipherSuite", session.getCipherSuite());
      report.put("clientCertificate",
          ProbeReport.clientCertificate(clientSubject, session.getLocalCertificates() != null));
      report.put("serverChain", ProbeReport.chain(session.getPeerCertificates()));
      stage = "http";
      PushbackInputStream in = new PushbackInputStream(socket.getInputStream(), 1);
      if ("TLSv1.3".equals(session.getProtocol())) {
        awaitVerdict(socket, in, timeout);
      }
      HttpExchange.Response response = HttpExchange.get(socket, in, uri);
      int status = response.status();
      report.put("httpStatus", status);
      report.put("httpBody", response.body());
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
    } catch (SocketTimeoutException e) {
      throw CliException.environment("no answer from " + host + ":" + port + " within " + timeout.toSeconds()
          + " s during the " + stage, e);
    } catch (IOException e) {
      if (stage.equals("http") && !(e instanceof SSLException) && Alerts.received(e) == null) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("stage", "http");
        failure.put("reason", null);
        failure.put("alert", null);
        failure.put("message", e.getMessage());
        if (e instanceof HttpExchange.MalformedResponseException) {
          failure.put("explanation", e.getMessage() + (clientSubject == null
              ? ": servers that require a client certificate may just close; give --cert and --key"
              : ": a server that refuses a client certificate may just close the connection"));
        } else if (e instanceof SocketException) {
          failure.put("explanation", "the server closed the connection right after the handshake, without an"
              + " alert (" + e.getMessage() + "): most likely it refused " + (clientSubject == null
              ? "us for want of a client certificate; give --cert and --key" : "our client certificate"));
        } else {
          throw CliException.environment("the connection to " + host + ":" + port + " failed after the"
              + " handshake (" + Problems.describe(e) + ")", e);
        }
        report.put("result", "REJECTED");
        report.put("failure", failure);
        return ExitCodes.REJECTED;
      }
      report.put("result", "REJECTED");
      if (stage.equals("handshake")) {
        report.put("serverChain", ProbeReport.chain(trustManager.presented().toArray(Certificate[]::new)));
      }
      report.put("failure", ProbeReport.failure(stage, e, clientSubject != null));
      return ExitCodes.REJECTED;
    } finally {
      close(raw);
    }
  }

  /**
   * Gives a TLS 1.3 server a moment to send its verdict on our certificate, which comes after the
   * client's side of the handshake. Reading it before sending the request matters: a server that
   * closes a connection with our request unread resets it, and the reset can destroy the alert.
   */
  private static void awaitVerdict(SSLSocket socket, PushbackInputStream in, Duration timeout) throws IOException {
    socket.setSoTimeout(VERDICT_WAIT_MILLIS);
    try {
      int first = in.read();
      if (first >= 0) {
        in.unread(first);
      }
    } catch (SocketTimeoutException noVerdict) {
      // The server waits for a request: it accepted us.
    }
    // Not in a finally: on an alert the socket is closed, and the alert is what to report.
    socket.setSoTimeout((int) timeout.toMillis());
  }

  private static Socket connect(String host, int port, Duration timeout) {
    Socket raw = new Socket();
    try {
      raw.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return raw;
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
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing more to do with it.
    }
  }
}
