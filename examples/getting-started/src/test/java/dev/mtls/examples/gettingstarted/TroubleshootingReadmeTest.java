package dev.mtls.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.HandshakeEvent;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.Slf4jListener;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TlsClientBuilder;
import dev.mtls.core.TlsServer;
import dev.mtls.core.TlsServerBuilder;
import dev.mtls.core.TrustSource;
import dev.mtls.core.revocation.RevocationPolicy;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.RevocationReason;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's "Troubleshooting handshakes" section honest: each block marked
 * {@code <!-- troubleshooting: NAME -->} shows what the two sides print for one common failure,
 * and this test produces that failure over a real loopback handshake and checks every line of the
 * block against what the library actually printed. In the README, {@code …} stands for the parts
 * that differ from run to run (addresses, names, dates, keys); the rest must appear, in order.
 */
class TroubleshootingReadmeTest {
  private static final Pattern BLOCK =
      Pattern.compile("<!-- troubleshooting: (\\S+) -->\\s*```text\\n(.*?)```", Pattern.DOTALL);

  private static TestCa ca;
  private static TestCa otherCa;

  @BeforeAll
  static void certificateAuthorities() {
    ca = TestCa.builder().name("Example Root CA").build();
    otherCa = TestCa.builder().name("Some Other CA").build();
  }

  /** The failures the README explains, each producing what the server and the client print. */
  private static Map<String, Scenario> scenarios() {
    CertifiedKey server = ca.server("localhost");
    CertifiedKey client = ca.client("worker");
    CertifiedKey revoked = ca.client("former-employee");
    ca.revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE);
    Consumer<TlsServerBuilder> asIs = builder -> {};
    Consumer<TlsClientBuilder> asIsClient = builder -> {};

    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("no-client-certificate", new Scenario(server, null, asIs, asIsClient));
    all.put("untrusted-client", new Scenario(server, otherCa.client("worker"), asIs, asIsClient));
    all.put("expired-client", new Scenario(server, ca.broken(CertificateRole.CLIENT).expired(), asIs, asIsClient));
    all.put("server-certificate-as-client", new Scenario(server, ca.server("worker"), asIs, asIsClient));
    all.put("revoked-client", new Scenario(server, revoked,
        builder -> builder.revocation(RevocationPolicy.hardFail().crls(ca.crl())), asIsClient));
    all.put("hostname-mismatch", new Scenario(ca.server("api.example.com"), client, asIs, asIsClient));
    all.put("common-name-only", new Scenario(
        ca.leaf(CertificateRole.SERVER).subject("CN=localhost").issue(), client, asIs, asIsClient));
    all.put("untrusted-server", new Scenario(otherCa.server("localhost"), client, asIs, asIsClient));
    all.put("pin-mismatch", new Scenario(server, client, asIs,
        builder -> builder.pins("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
    all.put("no-common-protocol", new Scenario(server, client,
        builder -> builder.protocols("TLSv1.3"), builder -> builder.protocols("TLSv1.2")));
    return all;
  }

  @Test
  void readmeTroubleshooting_showsWhatTheLibraryPrints() throws Exception {
    String readme = Files.readString(RepositoryRoot.find().resolve("README.md"));
    Map<String, Scenario> scenarios = scenarios();
    List<String> documented = new ArrayList<>();

    Matcher matcher = BLOCK.matcher(readme);
    while (matcher.find()) {
      String name = matcher.group(1);
      Scenario scenario = scenarios.get(name);
      assertThat(scenario).as("scenario for README block " + name).isNotNull();
      Map<String, String> printed = scenario.run();
      System.out.println(name + " " + printed);
      for (String line : matcher.group(2).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        int colon = line.indexOf(": ");
        String side = line.substring(0, colon);
        assertThat(printed).as(name + ": README shows a line for " + side).containsKey(side);
        assertMatches(name + " (" + side + ")", line.substring(colon + 2), printed.get(side));
      }
      documented.add(name);
    }
    assertThat(documented).as("README documents every scenario").containsExactlyInAnyOrderElementsOf(
        scenarios.keySet());
  }

  /** Checks that the fragments of a README line, split at {@code …}, occur in order in the actual one. */
  private static void assertMatches(String what, String shown, String actual) {
    int from = 0;
    for (String fragment : shown.split("…", -1)) {
      String part = fragment.strip();
      if (part.isEmpty()) {
        continue;
      }
      int at = actual.indexOf(part, from);
      assertThat(at).as(what + ": \"" + part + "\" (in order) in the printed line:\n" + actual)
          .isGreaterThanOrEqualTo(0);
      from = at + part.length();
    }
  }

  /** One failure: the two identities (the client's may be absent) and anything else that differs. */
  private record Scenario(CertifiedKey serverIdentity, CertifiedKey clientIdentity,
      Consumer<TlsServerBuilder> server, Consumer<TlsClientBuilder> client) {

    /**
     * Runs one handshake over loopback and returns what each side printed: its handshake event as
     * the default listener writes it (key {@code server} / {@code client}), and the exception the
     * client's code saw (key {@code exception}).
     */
    Map<String, String> run() throws Exception {
      BlockingQueue<HandshakeEvent> serverEvents = new LinkedBlockingQueue<>();
      BlockingQueue<HandshakeEvent> clientEvents = new LinkedBlockingQueue<>();
      TlsServerBuilder serverBuilder = Mtls.server().clientAuth(ClientAuth.REQUIRED)
          .trust(TrustSource.of(ca.certificate())).listeners(collect(serverEvents));
      TlsClientBuilder clientBuilder = Mtls.client().trust(TrustSource.of(ca.certificate()))
          .listeners(collect(clientEvents));
      serverBuilder.identity(IdentitySource.of(serverIdentity));
      // Without an identity, the client is plain JSSE (an mtls client always has one).
      clientBuilder.identity(IdentitySource.of(clientIdentity != null ? clientIdentity : client("worker")));
      server.accept(serverBuilder);
      client.accept(clientBuilder);
      Map<String, String> printed = new LinkedHashMap<>();
      try (TlsServer tlsServer = serverBuilder.build(); TlsClient tlsClient = clientBuilder.build();
           ServerSocket listener = tlsServer.serverSocketFactory().createServerSocket(0, 1,
               InetAddress.getLoopbackAddress())) {
        CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
          try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.startHandshake();
            socket.getOutputStream().write('x');
          } catch (IOException e) {
            // the server's side of a failed handshake is reported by its event
          }
        });
        SSLSocketFactory factory = clientIdentity != null ? tlsClient.socketFactory() : trustOnly();
        // TLS over a plain socket that outlives it: a client that rejects the server's certificate
        // stops reading in the middle of the server's first flight, and closing a socket with
        // unread data resets the connection, which may reach the server before the client's alert
        // (its line would then say CONNECTION_FAILED, "Broken pipe"). Reading the plain socket to
        // its end before closing it lets the server read the alert, as README shows.
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
          plain.setSoTimeout(10_000);
          try (SSLSocket socket = (SSLSocket) factory.createSocket(plain, "localhost", plain.getPort(), false)) {
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            int read = in.read();
            printed.put("exception", "no exception, read " + read);
          } catch (IOException e) {
            printed.put("exception", e.toString());
          }
          try {
            plain.getInputStream().skip(Long.MAX_VALUE);
          } catch (IOException e) {
            // reset by the server, or not closed by it within the timeout: its event says which
          }
        }
        accepted.get(10, TimeUnit.SECONDS);
        printed.put("server", line(serverEvents));
        if (clientIdentity != null) {
          printed.put("client", line(clientEvents));
        }
      }
      return printed;
    }

    private static CertifiedKey client(String name) {
      return ca.client(name);
    }

    private static SSLSocketFactory trustOnly() throws GeneralSecurityException {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, ca.trustManagerFactory().getTrustManagers(), null);
      return context.getSocketFactory();
    }

    private static MtlsListener collect(BlockingQueue<HandshakeEvent> events) {
      return new MtlsListener() {
        @Override
        public void onHandshake(HandshakeEvent event) {
          events.add(event);
        }
      };
    }

    private static String line(BlockingQueue<HandshakeEvent> events) throws InterruptedException {
      HandshakeEvent event = events.poll(10, TimeUnit.SECONDS);
      return event == null ? "(no event)" : Slf4jListener.format(event);
    }
  }
}
