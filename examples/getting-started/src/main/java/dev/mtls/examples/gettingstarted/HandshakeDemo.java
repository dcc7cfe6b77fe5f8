package dev.mtls.examples.gettingstarted;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The quick-start demo: makes a throwaway CA with mtls-pki, issues a server and a client
 * certificate, runs one mutual TLS 1.3 handshake over loopback with plain JSSE, and prints what
 * each side saw of the other.
 *
 * <p>Run it with {@code mvn -q -pl examples/getting-started -am -DskipTests -Prun verify} from the
 * repository root.
 */
public final class HandshakeDemo {
  private static final char[] NO_PASSWORD = new char[0];

  private HandshakeDemo() {}

  /**
   * What one side of the handshake saw.
   *
   * @param side {@code server} or {@code client}
   * @param protocol the negotiated protocol, such as {@code TLSv1.3}
   * @param cipherSuite the negotiated cipher suite
   * @param peerSubject the subject of the peer's certificate
   * @param peerSubjectAlternativeNames the peer certificate's subject alternative names
   */
  public record View(
      String side,
      String protocol,
      String cipherSuite,
      String peerSubject,
      List<String> peerSubjectAlternativeNames) {}

  /**
   * Runs the demo and prints its report to standard output.
   *
   * @param args ignored
   * @throws Exception if the handshake fails
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Runs the demo.
   *
   * @param out where to print the report
   * @return what the server and the client saw, in that order
   * @throws Exception if the handshake fails
   */
  public static List<View> run(PrintStream out) throws Exception {
    // 1. A throwaway certificate authority: a root and an intermediate.
    CertifiedKey root = CertificateBuilder.create()
        .subject("CN=Demo Root CA,O=mtls demo")
        .role(CertificateRole.CA)
        .build();
    CertifiedKey intermediate = CertificateBuilder.create()
        .subject("CN=Demo Issuing CA,O=mtls demo")
        .maxPathLength(0)
        .issuedBy(root)
        .build();

    // 2. A server certificate for localhost, and a client certificate with a SPIFFE ID.
    CertifiedKey server = CertificateBuilder.create()
        .subject("CN=localhost,O=mtls demo")
        .role(CertificateRole.SERVER)
        .subjectAlternativeNames(GeneralName.dns("localhost"), GeneralName.ip("127.0.0.1"))
        .issuedBy(intermediate)
        .build();
    CertifiedKey client = CertificateBuilder.create()
        .subject("CN=billing-worker,OU=payments,O=mtls demo")
        .role(CertificateRole.CLIENT)
        .subjectAlternativeNames(GeneralName.uri("spiffe://demo.mtls.dev/payments/billing-worker"))
        .issuedBy(intermediate)
        .build();

    // 3. Plain JSSE contexts: each side presents its chain and trusts the root.
    SSLContext serverContext = context(server, root.certificate());
    SSLContext clientContext = context(client, root.certificate());

    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SSLParameters serverParams = listener.getSSLParameters();
      serverParams.setProtocols(new String[] {"TLSv1.3"});
      serverParams.setNeedClientAuth(true); // mutual TLS: a client without a certificate is refused
      listener.setSSLParameters(serverParams);

      CompletableFuture<View> serverSide = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.startHandshake();
          View view = view("server", socket.getSession());
          OutputStream reply = socket.getOutputStream();
          reply.write("hello, client\n".getBytes(StandardCharsets.UTF_8));
          reply.flush();
          return view;
        } catch (IOException | GeneralSecurityException e) {
          throw new IllegalStateException("Server side failed", e);
        }
      });

      View clientView;
      try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        SSLParameters clientParams = socket.getSSLParameters();
        clientParams.setProtocols(new String[] {"TLSv1.3"});
        clientParams.setEndpointIdentificationAlgorithm("HTTPS"); // check the server's name
        clientParams.setServerNames(List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(clientParams);
        socket.startHandshake();
        clientView = view("client", socket.getSession());
        InputStream in = socket.getInputStream();
        in.readNBytes("hello, client\n".length());
      }
      View serverView = serverSide.get(30, TimeUnit.SECONDS);

      List<View> views = List.of(serverView, clientView);
      for (View view : views) {
        out.println(view.side() + " saw:");
        out.println("  protocol     " + view.protocol());
        out.println("  cipher suite " + view.cipherSuite());
        out.println("  peer subject " + view.peerSubject());
        out.println("  peer SANs    " + String.join(", ", view.peerSubjectAlternativeNames()));
      }
      return views;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("The handshake did not complete", e);
    }
  }

  private static SSLContext context(CertifiedKey identity, X509Certificate trustedRoot)
      throws GeneralSecurityException, IOException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("identity", identity.privateKey(), NO_PASSWORD,
        identity.chain().toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, NO_PASSWORD);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", trustedRoot);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);

    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static View view(String side, SSLSession session)
      throws GeneralSecurityException, IOException {
    X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
    return new View(side, session.getProtocol(), session.getCipherSuite(),
        peer.getSubjectX500Principal().getName(), subjectAlternativeNames(peer));
  }

  private static List<String> subjectAlternativeNames(X509Certificate certificate)
      throws CertificateParsingException {
    Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
    List<String> names = new ArrayList<>();
    if (sans != null) {
      for (List<?> san : sans) {
        String kind = switch ((Integer) san.get(0)) {
          case 1 -> "email";
          case 2 -> "DNS";
          case 6 -> "URI";
          case 7 -> "IP";
          default -> "type" + san.get(0);
        };
        names.add(kind + ":" + san.get(1));
      }
    }
    return names;
  }
}
