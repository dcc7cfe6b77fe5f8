package dev.mtls.http.proxy;

import java.io.ByteArrayInputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Decodes one DER certificate, refusing anything else (PEM text, trailing bytes). */
final class DerCertificates {
  private DerCertificates() {}

  static X509Certificate decode(byte[] der, String header, String which) throws ForwardedCertificateException {
    if (der.length == 0) {
      throw new ForwardedCertificateException(header, "found an empty byte sequence for " + which
          + "; expected a DER certificate");
    }
    if (der[0] != 0x30) {
      throw new ForwardedCertificateException(header, String.format("found bytes starting with 0x%02x for %s;"
          + " expected a DER certificate, which starts with 0x30", der[0] & 0xFF, which));
    }
    ByteArrayInputStream in = new ByteArrayInputStream(der);
    Certificate certificate;
    try {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException e) {
      throw new ForwardedCertificateException(header, "found " + der.length + " bytes for " + which
          + " that are not an X.509 certificate (" + e.getMessage() + ")", e);
    }
    if (in.available() > 0) {
      throw new ForwardedCertificateException(header, "found " + in.available() + " bytes after the certificate"
          + " for " + which + "; expected one DER certificate and nothing else");
    }
    if (!(certificate instanceof X509Certificate x509)) {
      throw new ForwardedCertificateException(header, "found a " + certificate.getType() + " certificate for "
          + which + "; expected X.509");
    }
    return x509;
  }
}
