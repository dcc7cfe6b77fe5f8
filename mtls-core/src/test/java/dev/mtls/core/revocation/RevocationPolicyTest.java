package dev.mtls.core.revocation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.pki.CertifiedKey;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The policy refuses values set twice and responders it cannot ask. */
class RevocationPolicyTest {

  @Test
  void ocspResponder_setTwice_isRefused() {
    RevocationPolicy policy = RevocationPolicy.hardFail().ocspResponder(URI.create("http://ocsp.example/"));

    assertThatThrownBy(() -> policy.ocspResponder(URI.create("http://other.example/")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ocspResponder was already set to http://ocsp.example/");
  }

  @Test
  void ocspResponder_ldap_isRefused() {
    assertThatThrownBy(() -> RevocationPolicy.hardFail().ocspResponder(URI.create("ldap://directory/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("An OCSP responder must be an http or https URL, was ldap://directory/");
  }

  @Test
  void crlFiles_setTwice_isRefused() {
    RevocationPolicy policy = RevocationPolicy.hardFail().crlFiles(Path.of("a.crl"));

    assertThatThrownBy(() -> policy.crlFiles(Path.of("b.crl")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("crlFiles was already set to [a.crl]; give all the files in one call");
  }

  @Test
  void crlSigners_setTwice_isRefused() {
    CertifiedKey signer = CrlTestPki.root("Signer");
    RevocationPolicy policy = RevocationPolicy.hardFail().crlSigners(signer.certificate());

    assertThatThrownBy(() -> policy.crlSigners(signer.certificate()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("crlSigners was already set to ['CN=Signer']; give all the signers in one call");
  }

  @Test
  void crls_setTwice_isRefused() {
    RevocationPolicy policy = RevocationPolicy.hardFail().crls(CrlTestPki.crl(CrlTestPki.root("CA"), 1).build());

    assertThatThrownBy(() -> policy.crls())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("crls was already set to 1 CRL(s); give all the CRLs in one call");
  }
}
