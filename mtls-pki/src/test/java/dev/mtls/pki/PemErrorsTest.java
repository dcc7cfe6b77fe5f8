package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemErrorsTest {
  private static final String CERTS = "CERTIFICATE or TRUSTED CERTIFICATE blocks";
  private static final String CERTS_OR_DER = CERTS + ", or a DER certificate";
  private static final String KEY =
      "one PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block";
  private static final char[] PASSWORD = "correct horse".toCharArray();

  private static TestMaterial material;
  private static String encryptedKeyPem;

  @TempDir Path dir;

  @BeforeAll
  static void makeMaterial() {
    material = new TestMaterial(KeyType.EC_P256);
    encryptedKeyPem = Pem.writeEncryptedPrivateKey(material.leaf.privateKey(), PASSWORD);
  }

  @Test
  void readCertificates_emptyFile() {
    Path file = TestMaterial.write(dir, "empty.pem", "");

    assertThatThrownBy(() -> Pem.readCertificates(file))
        .isInstanceOf(PkiException.class)
        .hasMessage(file + ": found an empty file; expected " + CERTS_OR_DER);
  }

  @Test
  void parseCertificates_emptyText() {
    assertThatThrownBy(() -> Pem.parseCertificates(""))
        .hasMessage("inline PEM: found empty text; expected " + CERTS);
  }

  @Test
  void parseCertificates_onlyWhitespace() {
    assertThatThrownBy(() -> Pem.parseCertificates(" \n\n"))
        .hasMessage("inline PEM: found only whitespace (3 characters); expected " + CERTS);
  }

  @Test
  void readCertificates_noPemBlock() {
    Path file = TestMaterial.write(dir, "notes.txt", "hello\nworld\n");

    assertThatThrownBy(() -> Pem.readCertificates(file))
        .hasMessage(file + ": found no PEM block (no -----BEGIN line in 2 lines of text); expected "
            + CERTS_OR_DER);
  }

  @Test
  void parseCertificates_unknownLabel() {
    assertThatThrownBy(() -> Pem.parseCertificates("text\n-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"))
        .hasMessage("inline PEM: block 1 (label FOO, line 2): found unknown label FOO; expected " + CERTS);
  }

  @Test
  void parseCertificates_truncatedBase64() {
    assertThatThrownBy(() -> Pem.parseCertificates(
            "-----BEGIN CERTIFICATE-----\nMIIBAAA\n-----END CERTIFICATE-----\n"))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found a base64 body of 7"
            + " characters (truncated or corrupt?); expected a multiple of 4 characters with padding"
            + " only at the end");
  }

  @Test
  void parseCertificates_paddingInTheMiddle() {
    assertThatThrownBy(() -> Pem.parseCertificates(
            "-----BEGIN CERTIFICATE-----\nMI==\nMIIB\n-----END CERTIFICATE-----\n"))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found a base64 body of 8"
            + " characters with padding at character 3 (truncated or corrupt?); expected a multiple"
            + " of 4 characters with padding only at the end");
  }

  @Test
  void parseCertificates_corruptBase64Character() {
    assertThatThrownBy(() -> Pem.parseCertificates(
            "-----BEGIN CERTIFICATE-----\nMIIB\nMI!B\n-----END CERTIFICATE-----\n"))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found character '!' (U+0021)"
            + " at line 3, column 3; expected base64 (A-Z, a-z, 0-9, +, /, =)");
  }

  @Test
  void parseCertificates_missingEndLine() {
    String pem = Pem.writeCertificates(material.leaf.certificate());
    String truncated = pem.substring(0, pem.indexOf("-----END"));
    long lines = truncated.lines().count();

    assertThatThrownBy(() -> Pem.parseCertificates(truncated))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found the end of the input"
            + " after line " + (lines + 1) + " (truncated?); expected -----END CERTIFICATE-----");
  }

  @Test
  void parseCertificates_mismatchedEndLine() {
    assertThatThrownBy(() -> Pem.parseCertificates(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END X509 CRL-----\n"))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found '-----END X509 CRL-----'"
            + " at line 3; expected -----END CERTIFICATE-----");
  }

  @Test
  void parseCertificates_endWithoutBegin() {
    assertThatThrownBy(() -> Pem.parseCertificates("MIIB\n-----END CERTIFICATE-----\n"))
        .hasMessage("inline PEM: line 2: found '-----END CERTIFICATE-----' without a BEGIN line;"
            + " expected " + CERTS);
  }

  @Test
  void parseCertificates_truncatedDer() {
    String pem = Pem.writeCertificates(material.leaf.certificate());
    byte[] der = Base64.getDecoder().decode(
        pem.replaceAll("-----[A-Z ]+-----", "").replace("\n", ""));
    byte[] cut = java.util.Arrays.copyOf(der, 200);
    String text = "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(cut)
        + "\n-----END CERTIFICATE-----\n";

    assertThatThrownBy(() -> Pem.parseCertificates(text))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found 200 bytes of DER (not"
            + " valid DER: truncated or corrupt); expected an X.509 certificate under label"
            + " CERTIFICATE");
  }

  @Test
  void parseCertificates_keyUnderCertificateLabel() {
    byte[] der = material.leaf.privateKey().getEncoded();
    String text = "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";

    assertThatThrownBy(() -> Pem.parseCertificates(text))
        .hasMessage("inline PEM: block 1 (label CERTIFICATE, line 1): found " + der.length
            + " bytes of DER (a PKCS#8 private key); expected an X.509 certificate under label"
            + " CERTIFICATE");
  }

  @Test
  void parsePrivateKey_certificateUnderKeyLabel() throws Exception {
    byte[] der = material.leaf.certificate().getEncoded();
    String text = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";

    assertThatThrownBy(() -> Pem.parsePrivateKey(text, null))
        .hasMessage("inline PEM: block 1 (label PRIVATE KEY, line 1): found " + der.length
            + " bytes of DER (an X.509 certificate); expected an unencrypted PKCS#8 private key"
            + " under label PRIVATE KEY");
  }

  @Test
  void readPrivateKey_onlyCertificates() {
    Path file = TestMaterial.write(dir, "chain.pem",
        Pem.writeCertificates(material.leaf.certificate(), material.intermediate.certificate()));
    int second = Pem.writeCertificates(material.leaf.certificate()).split("\n").length + 1;

    assertThatThrownBy(() -> Pem.readPrivateKey(file, null))
        .hasMessage(file + ": found only block 1 (label CERTIFICATE, line 1), block 2 (label"
            + " CERTIFICATE, line " + second + "); expected " + KEY);
  }

  @Test
  void parsePrivateKey_twoKeys() {
    String one = Pem.writePrivateKey(material.leaf.privateKey());
    int second = one.split("\n").length + 1;

    assertThatThrownBy(() -> Pem.parsePrivateKey(one + one, null))
        .hasMessage("inline PEM: found 2 blocks: block 1 (label PRIVATE KEY, line 1), block 2"
            + " (label PRIVATE KEY, line " + second + "); expected " + KEY);
  }

  @Test
  void readPrivateKey_encryptedWithoutPassword() {
    Path file = TestMaterial.write(dir, "key.pem", encryptedKeyPem);

    assertThatThrownBy(() -> Pem.readPrivateKey(file, null))
        .hasMessage(file + ": block 1 (label ENCRYPTED PRIVATE KEY, line 1): found an encrypted"
            + " private key and no password; expected a password to decrypt it with");
  }

  @Test
  void readPrivateKey_wrongPassword() {
    Path file = TestMaterial.write(dir, "key.pem", encryptedKeyPem);

    assertThatThrownBy(() -> Pem.readPrivateKey(file, "wrong".toCharArray()))
        .hasMessage(file + ": block 1 (label ENCRYPTED PRIVATE KEY, line 1): found a key that does"
            + " not decrypt with the given password (wrong password); expected the password the key"
            + " was encrypted with")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void readCertifiedKey_keyDoesNotMatchCertificate() {
    Path chain = TestMaterial.write(dir, "chain.pem", Pem.writeCertificates(
        material.leaf.certificate(), material.intermediate.certificate()));
    Path key = TestMaterial.write(dir, "key.pem",
        Pem.writePrivateKey(material.intermediate.privateKey()));

    assertThatThrownBy(() -> Pem.readCertifiedKey(chain, key, null))
        .hasMessage(key + " (key) and " + chain + " (certificate): the private key (EC) does not"
            + " match the certificate 'CN=leaf' (public key EC, "
            + Certificates.spkiPin(material.leaf.certificate())
            + "); expected the key the certificate was issued for");
  }

  @Test
  void readCertificates_directory() {
    assertThatThrownBy(() -> Pem.readCertificates(dir))
        .hasMessage(dir + ": found a directory; expected a file with " + CERTS_OR_DER);
  }

  @Test
  void readPrivateKey_missingFile() {
    Path file = dir.resolve("absent.pem");

    assertThatThrownBy(() -> Pem.readPrivateKey(file, null))
        .hasMessage(file + ": found no such file; expected a file with " + KEY);
  }

  @Test
  void readPrivateKey_unreadableFile() throws IOException {
    Path file = TestMaterial.write(dir, "key.pem", Pem.writePrivateKey(material.leaf.privateKey()));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    // Root reads files whatever their mode: the case cannot be produced then.
    Assumptions.assumeFalse(Files.isReadable(file), "file still readable (running as root)");

    assertThatThrownBy(() -> Pem.readPrivateKey(file, null))
        .hasMessage(file + ": found a file that cannot be read (permission denied); expected a"
            + " readable file with " + KEY);
  }

  @Test
  void readCertificates_tooLarge() throws IOException {
    Path file = dir.resolve("huge.pem");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(Pem.MAX_INPUT_BYTES + 1);
    }

    assertThatThrownBy(() -> Pem.readCertificates(file))
        .hasMessage(file + ": found 10485761 bytes; expected at most 10485760 bytes"
            + " (Pem.MAX_INPUT_BYTES)");
  }

  @Test
  void parseCertificates_tooLarge() {
    String text = "A".repeat((int) Pem.MAX_INPUT_BYTES + 1);

    assertThatThrownBy(() -> Pem.parseCertificates(text))
        .hasMessage("inline PEM: found 10485761 bytes; expected at most 10485760 bytes"
            + " (Pem.MAX_INPUT_BYTES)");
  }

  @Test
  void readCertificates_notDerEither() {
    Path file = TestMaterial.write(dir, "cert.der", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});

    assertThatThrownBy(() -> Pem.readCertificates(file))
        .hasMessage(file + ": found 5 bytes of DER (an unrecognised structure); expected an X.509"
            + " certificate in a DER file");
  }

  @Test
  void parsePublicKey_onlyPrivateKey() {
    assertThatThrownBy(() -> Pem.parsePublicKey(Pem.writePrivateKey(material.leaf.privateKey())))
        .hasMessage("inline PEM: found only block 1 (label PRIVATE KEY, line 1); expected one"
            + " PUBLIC KEY or RSA PUBLIC KEY block");
  }

  @Test
  void errors_keepTheCause() {
    assertThatThrownBy(() -> Pem.parseCertificates(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
        .isInstanceOf(PkiException.class)
        .cause()
        .isNotNull();
    assertThat(encryptedKeyPem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
  }
}
