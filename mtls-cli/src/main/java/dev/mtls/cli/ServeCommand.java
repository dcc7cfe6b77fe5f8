package dev.mtls.cli;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TlsServerBuilder;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.MtlsPrincipal;
import dev.mtls.core.principal.PrincipalMapper;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.http.AccessControl;
import dev.mtls.http.jetty.AccessControlHandler;
import dev.mtls.http.jetty.JettyServerConnectors;
import dev.mtls.http.policy.AccessPolicy;
import dev.mtls.http.policy.PolicyException;
import dev.mtls.http.policy.ReloadingAccessPolicy;
import dev.mtls.pki.GeneralName;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtls serve}: an mTLS HTTPS server (Jetty) that tells each caller who it is. */
@Command(
    name = "serve",
    description = {
        "Serve HTTPS with mutual TLS on loopback (by default) until stopped. Every allowed request gets",
        "a JSON body with the caller's principal, subject, serial, protocol and cipher. A client whose",
        "certificate verifies but whose principal is not allowed gets 403 with a short reason; one",
        "without a certificate is refused in the handshake. Prints 'listening on https://HOST:PORT/'",
        "once it accepts connections, then one audit line per handshake and per request."},
    footerHeading = "%nAudit lines:%n",
    footer = {
        "  key=value lines as the library's default listener writes them, for example",
        "    event=access decision=allow principal=cn:alice fingerprint=AB:.. method=GET path=/",
        "        rule=cli:1 reason=\"allowed by cli:1\"",
        "  With --json, one JSON object per line with the same keys after \"time\" (ISO-8601), all",
        "  values strings: {\"time\":\"..\",\"event\":\"access\",\"decision\":\"allow\",",
        "  \"principal\":\"cn:alice\",..}.",
        "  Events: handshake (outcome, role, peer_host, sni, protocol, cipher, principal, subject, issuer,",
        "  serial, fingerprint, duration_ms, failure, reason, message), access (decision, principal,",
        "  fingerprint, method, path, rule, reason), reload and expiry (with --watch).",
        "",
        "Principals: --map cn gives cn:NAME (the default), dns: dns:NAME, uri: uri:URI, email: email:ADDRESS,",
        "spiffe: spiffe:spiffe://TD/PATH (needs --trust-domain). --allow takes a principal, a prefix",
        "(cn:team-*), or *; without --allow or --policy every mapped principal is allowed."})
final class ServeCommand extends CliCommand {
  /** Mappers offered by {@code --map}. */
  enum MapChoice { CN, DNS, URI, EMAIL, SPIFFE }

  @Mixin
  ListenOptions listen;

  @Option(names = "--cert", paramLabel = "FILE", required = true,
      description = "The server's certificate chain (PEM, leaf first).")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", required = true,
      description = "The server's private key (PEM; if encrypted, give its password as below).")
  Path key;

  @Option(names = "--trust", paramLabel = "FILE", required = true,
      description = "The CA certificates that issue client certificates (PEM).")
  Path trust;

  @Option(names = "--map", paramLabel = "KIND", defaultValue = "cn",
      description = "How a client certificate becomes a principal: cn, dns, uri, email or spiffe"
          + " (default: ${DEFAULT-VALUE}).")
  MapChoice map;

  @Option(names = "--trust-domain", paramLabel = "TD", description = "The SPIFFE trust domain for --map spiffe.")
  String trustDomain;

  @Option(names = "--allow", paramLabel = "PRINCIPAL", description = "A principal allowed every method and path.")
  List<String> allow = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "FILE",
      description = "An access policy file (allow|deny PRINCIPAL METHODS PATH-GLOB per line).")
  Path policy;

  @Mixin
  RevocationOptions revocation;

  @Option(names = "--watch",
      description = "Reload certificate, key, trust, CRLs and policy when their files change.")
  boolean watch;

  @Option(names = "--json", description = "Audit lines as JSON objects.")
  boolean json;

  @Mixin
  PasswordOptions passwords;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    try (TlsServer tls = configuration(); Policy access = policy()) {
      Server jetty = new Server(new QueuedThreadPool(32, 2));
      ServerConnector connector = JettyServerConnectors.builder(jetty, tls).host(listen.bind).port(listen.port).build();
      jetty.addConnector(connector);
      jetty.setHandler(new AccessControlHandler(access.control(tls), new WhoAmI()));
      start(jetty);
      try {
        out().println("listening on https://" + displayHost() + ":" + connector.getLocalPort() + "/");
        out().flush();
        context().awaitStop();
      } finally {
        jetty.stop();
      }
    }
    return ExitCodes.OK;
  }

  private void checkOptions() {
    listen.validate();
    if (map == MapChoice.SPIFFE && trustDomain == null) {
      throw CliException.input("--map spiffe needs --trust-domain TD, the trust domain clients must belong to");
    }
    if (trustDomain != null && map != MapChoice.SPIFFE) {
      throw CliException.input("--trust-domain applies to --map spiffe only");
    }
    if (policy != null && !allow.isEmpty()) {
      throw CliException.input("give either --policy FILE or --allow PRINCIPAL, not both");
    }
    revocation.validate();
  }

  private TlsServer configuration() {
    TlsServerBuilder builder = Mtls.server()
        .identity(passwords.optional(context())
            .map(password -> IdentitySource.pemFiles(cert, key, password))
            .orElseGet(() -> IdentitySource.pemFiles(cert, key)))
        .trust(TrustSource.pemFile(trust))
        .principals(mapper())
        .admitUnmappedClients()                  // answered 403 with a reason, not a bare TLS alert
        .listeners(new AuditLines(out(), json));
    if (revocation.enabled()) {
      builder.revocation(revocation.policy());
    }
    if (watch) {
      builder.reload(ReloadPolicy.watch());
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.input(e.getMessage(), e);
    }
  }

  private PrincipalMapper mapper() {
    return switch (map) {
      case CN -> PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY);
      case DNS -> PrincipalMappers.subjectAlternativeName(GeneralName.Kind.DNS);
      case URI -> PrincipalMappers.subjectAlternativeName(GeneralName.Kind.URI);
      case EMAIL -> PrincipalMappers.subjectAlternativeName(GeneralName.Kind.EMAIL);
      case SPIFFE -> PrincipalMappers.spiffe(trustDomain);
    };
  }

  /** The policy in force: from --policy (reloading with --watch), from --allow, or any principal. */
  private Policy policy() {
    try {
      if (policy != null) {
        return watch ? new Policy(null, ReloadingAccessPolicy.watch(policy))
            : new Policy(AccessPolicy.read(policy), null);
      }
      AccessPolicy.Builder rules = AccessPolicy.builder().name("cli");
      if (allow.isEmpty()) {
        rules.allow("*", "*", "/**");
      }
      for (String principal : allow) {
        rules.allow(principal, "*", "/**");
      }
      return new Policy(rules.build(), null);
    } catch (PolicyException e) {
      throw CliException.input(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw CliException.input("--allow: " + e.getMessage(), e);
    }
  }

  private void start(Server jetty) throws Exception {
    try {
      jetty.start();
    } catch (IOException e) {
      stopQuietly(jetty);
      String what = e instanceof BindException || e.getCause() instanceof BindException
          ? "the port is in use or the address is not local" : Problems.describe(e);
      throw CliException.environment(listen.bind + ":" + listen.port + ": cannot listen (" + what + ")", e);
    } catch (Exception e) {
      stopQuietly(jetty); // whatever failed, no thread of the server outlives the command
      throw e;
    }
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception ignored) {
      // the server never started; nothing is left to release but what stop() releases
    }
  }

  /** The host to print: loopback by the name a server certificate for this machine carries. */
  private String displayHost() {
    if (listen.bind.equals("127.0.0.1") || listen.bind.equals("localhost")) {
      return "localhost";
    }
    return listen.bind.contains(":") ? "[" + listen.bind + "]" : listen.bind;
  }

  /** The policy: fixed, or following its file. Closing stops the file's watcher. */
  private record Policy(AccessPolicy fixed, ReloadingAccessPolicy reloading) implements AutoCloseable {
    AccessControl control(TlsServer tls) {
      AccessControl.Builder builder = AccessControl.builder(tls);
      return (reloading != null ? builder.policy(reloading) : builder.policy(fixed)).build();
    }

    @Override
    public void close() {
      if (reloading != null) {
        reloading.close();
      }
    }
  }

  /** Answers every allowed request with what the server knows of the caller. */
  private static final class WhoAmI extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws SSLPeerUnverifiedException {
      SSLSession session = ((EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE))
          .sslSession();
      MtlsPrincipal principal = (MtlsPrincipal) request.getAttribute(AccessControlHandler.PRINCIPAL_ATTRIBUTE);
      Certificate[] chain = session.getPeerCertificates();
      X509Certificate leaf = (X509Certificate) chain[0];
      Map<String, String> body = new LinkedHashMap<>();
      body.put("principal", principal.getName());
      body.put("subject", leaf.getSubjectX500Principal().getName());
      body.put("serial", leaf.getSerialNumber().toString(16));
      body.put("protocol", session.getProtocol());
      body.put("cipher", session.getCipherSuite());
      byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
      return true;
    }
  }
}
