package dev.mtls.examples.gettingstarted;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.Pem;
import dev.mtls.pki.Pkcs12;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Make a CA and a server certificate, save them as PEM and PKCS#12, and read them back. */
public final class FirstCertificates {
  private FirstCertificates() {}

  /**
   * Issues a root and a server certificate into a directory.
   *
   * @param dir where to write ca.pem, server.crt, server.key and server.p12
   * @return the server's identity, as read back from server.crt and server.key
   * @throws IOException if a file cannot be written
   */
  public static CertifiedKey issue(Path dir) throws IOException {
    CertifiedKey root = CertificateBuilder.create()
        .subject("CN=Dev Root CA,O=Example")
        .role(CertificateRole.CA)
        .build();
    CertifiedKey server = CertificateBuilder.create()
        .subject("CN=api,O=Example")
        .role(CertificateRole.SERVER)                  // EKU serverAuth; key usage follows
        .subjectAlternativeNames(GeneralName.dns("api.example.com"), GeneralName.ip("10.0.0.7"))
        .issuedBy(root)                                // the signature algorithm follows root's key
        .build();                                      // EC P-256, valid from 1 h ago for a day

    Files.writeString(dir.resolve("ca.pem"), Pem.writeCertificates(root.certificate()));
    Files.writeString(dir.resolve("server.crt"), Pem.writeCertificates(server.chain()));
    Files.writeString(dir.resolve("server.key"),
        Pem.writeEncryptedPrivateKey(server.privateKey(), "s3cret".toCharArray()));
    Files.write(dir.resolve("server.p12"), Pkcs12.writeIdentity(server, "s3cret".toCharArray()));

    CertifiedKey read = Pem.readCertifiedKey(       // checks that the key matches the certificate
        dir.resolve("server.crt"), dir.resolve("server.key"), "s3cret".toCharArray());
    System.out.println("pin " + Certificates.spkiPin(read.certificate()));  // sha256/..., OkHttp's format
    return read;
  }
}
