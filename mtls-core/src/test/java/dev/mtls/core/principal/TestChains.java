package dev.mtls.core.principal;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.testkit.TestCa;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Builds verified chains (leaf first, trust anchor last) for the mapper tests. */
final class TestChains {
  /** A CA whose root is {@code CN=Principal Root,O=mtls testkit}. */
  static final TestCa CA = TestCa.builder().name("Principal").build();

  private TestChains() {}

  /** Returns the key's chain with the CA's root appended. */
  static List<X509Certificate> chain(CertifiedKey key) {
    List<X509Certificate> chain = new ArrayList<>(key.chain());
    chain.add(CA.certificate());
    return List.copyOf(chain);
  }

  /** Returns the chain of a client certificate with the given subject and SANs. */
  static List<X509Certificate> client(String subject, GeneralName... sans) {
    return chain(CA.leaf(CertificateRole.CLIENT).subject(subject).subjectAlternativeNames(sans).issue());
  }
}
