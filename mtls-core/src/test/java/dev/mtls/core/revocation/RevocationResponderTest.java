package dev.mtls.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which OCSP responder a certificate's authority information access leads to. */
class RevocationResponderTest {

  @Test
  void responderOf_skipsAnAiaUrlThatIsNotAUri() {
    URI responder = OcspClient.responderOf(RevocationPolicy.softFail(),
        List.of("http://bad host/ocsp", "ldap://directory/", "http://ocsp.example/"));

    assertThat(responder).isEqualTo(URI.create("http://ocsp.example/"));
  }

  @Test
  void responderOf_isNullWhenNoUrlIsUsable() {
    assertThat(OcspClient.responderOf(RevocationPolicy.softFail(), List.of("http://bad host/"))).isNull();
  }

  @Test
  void responderOf_prefersTheConfiguredResponder() {
    URI configured = URI.create("http://configured.example/");

    assertThat(OcspClient.responderOf(RevocationPolicy.softFail().ocspResponder(configured),
        List.of("http://ocsp.example/"))).isEqualTo(configured);
  }
}
