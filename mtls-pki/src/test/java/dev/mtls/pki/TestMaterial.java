package dev.mtls.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A root, an intermediate and a leaf, made once per test class that asks for them. */
final class TestMaterial {
  final CertifiedKey root;
  final CertifiedKey intermediate;
  final CertifiedKey leaf;

  TestMaterial(KeyType leafKeyType) {
    root = CertificateBuilder.create().commonName("Root").role(CertificateRole.CA).build();
    intermediate = CertificateBuilder.create().commonName("Intermediate")
        .role(CertificateRole.CA).issuedBy(root).build();
    leaf = CertificateBuilder.create().commonName("leaf").keyType(leafKeyType)
        .role(CertificateRole.SERVER_AND_CLIENT).issuedBy(intermediate).build();
  }

  /** Leaf, intermediate, root. */
  List<java.security.cert.X509Certificate> fullChain() {
    return List.of(leaf.certificate(), intermediate.certificate(), root.certificate());
  }

  static Path write(Path dir, String name, String text) {
    return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path dir, String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
