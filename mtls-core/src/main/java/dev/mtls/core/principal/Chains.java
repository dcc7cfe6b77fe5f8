package dev.mtls.core.principal;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.GeneralName;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/** Reads what mappers need from a verified chain, and describes certificates in messages. */
final class Chains {

  private Chains() {}

  /** Returns the peer's certificate, checking the chain is not empty. */
  static X509Certificate leaf(List<X509Certificate> chain) {
    Objects.requireNonNull(chain, "verifiedChain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("A verified chain has at least the peer's certificate; it was empty");
    }
    return Objects.requireNonNull(chain.get(0), "verifiedChain[0]");
  }

  /** Returns the last certificate of the chain: the trust anchor. */
  static X509Certificate anchor(List<X509Certificate> chain) {
    leaf(chain);
    return chain.get(chain.size() - 1);
  }

  /** Returns a DN in the RFC 2253 form every mapper uses. */
  static String rfc2253(X500Principal name) {
    return name.getName(X500Principal.RFC2253);
  }

  /** Names a certificate in a message: {@code certificate 'CN=x'}. */
  static String describe(X509Certificate certificate) {
    String subject = rfc2253(certificate.getSubjectX500Principal());
    return subject.isEmpty()
        ? "certificate with an empty subject (serial " + certificate.getSerialNumber().toString(16) + ")"
        : "certificate '" + subject + "'";
  }

  /** Returns the values of the certificate's subject alternative names of one kind, in order. */
  static List<String> subjectAlternativeNames(X509Certificate certificate, GeneralName.Kind kind) {
    return CertificateInfo.of(certificate).subjectAlternativeNames().stream()
        .filter(name -> name.kind() == kind)
        .map(GeneralName::value)
        .toList();
  }
}
