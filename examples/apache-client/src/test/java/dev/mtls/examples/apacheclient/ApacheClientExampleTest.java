package dev.mtls.examples.apacheclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Mtls;
import dev.mtls.core.TlsClient;
import dev.mtls.core.TrustSource;
import dev.mtls.core.principal.AttributeSelection;
import dev.mtls.core.principal.PrincipalMappers;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Apache client example against a real mTLS server on loopback. */
class ApacheClientExampleTest {
  private static final TestCa CA = TestCa.create();

  private static LocalApi api(CertifiedKey serverIdentity) throws Exception {
    return LocalApi.start(Mtls.server().identity(IdentitySource.of(serverIdentity))
        .trust(TrustSource.of(CA.certificate()))
        .principals(PrincipalMappers.subjectAttribute("CN", AttributeSelection.ONLY)).build());
  }

  private static TlsClient client(String name) {
    return Mtls.client().identity(IdentitySource.of(CA.client(name))).trust(TrustSource.of(CA.certificate())).build();
  }

  @Test
  void getClassic_presentsTheClientCertificate_serverSeesItsPrincipal() throws Exception {
    try (LocalApi api = api(CA.server("localhost")); TlsClient billing = client("billing")) {
      ApacheClientExample.Reply reply = ApacheClientExample.getClassic(billing, URI.create(api.url("/invoices")));

      assertThat(reply).isEqualTo(new ApacheClientExample.Reply(200, "hello cn:billing"));
    }
  }

  @Test
  void getAsync_presentsTheClientCertificate_serverSeesItsPrincipal() throws Exception {
    try (LocalApi api = api(CA.server("localhost")); TlsClient billing = client("billing")) {
      ApacheClientExample.Reply reply = ApacheClientExample.getAsync(billing, URI.create(api.url("/invoices")));

      assertThat(reply).isEqualTo(new ApacheClientExample.Reply(200, "hello cn:billing"));
    }
  }

  @Test
  void getClassicAndAsync_serverCertificateForAnotherName_areRefused() throws Exception {
    try (LocalApi api = api(CA.server("api.example.com")); TlsClient billing = client("billing")) {
      URI uri = URI.create(api.url("/invoices"));

      assertThatThrownBy(() -> ApacheClientExample.getClassic(billing, uri))
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("NAME_MISMATCH");
      assertThatThrownBy(() -> ApacheClientExample.getAsync(billing, uri))
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("NAME_MISMATCH");
    }
  }

  @Test
  void startWithTestCa_writesFilesAClientConfiguredFromThemCanUse(@TempDir Path dir) throws Exception {
    try (LocalApi api = LocalApi.startWithTestCa(dir);
        TlsClient fromFiles = Mtls.client()
            .identity(IdentitySource.pemFiles(dir.resolve("client.crt"), dir.resolve("client.key")))
            .trust(TrustSource.pemFile(dir.resolve("ca.pem"))).build()) {
      ApacheClientExample.Reply reply = ApacheClientExample.getClassic(fromFiles, URI.create(api.url("/hello")));

      assertThat(reply).isEqualTo(new ApacheClientExample.Reply(200, "hello cn:example-client"));
    }
  }
}
