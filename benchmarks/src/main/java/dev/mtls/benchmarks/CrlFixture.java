package dev.mtls.benchmarks;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.CrlBuilder;
import dev.mtls.pki.KeyType;
import dev.mtls.pki.Pem;
import dev.mtls.pki.RevocationReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A CRL of 1,000,000 entries signed by an EC P-256 CA, as large public CAs publish them: random
 * 20-octet serial numbers, revocation dates spread over the past year, and a reason code on three
 * entries in four (key compromise, superseded, cessation of operation). Building it through
 * {@code CrlBuilder} takes several seconds, so the encoding and the issuer's certificate are kept
 * next to the benchmarks jar, in files named after {@link #VERSION}.
 */
final class CrlFixture {
  /** Entries in the CRL. */
  static final int ENTRIES = 1_000_000;
  /** Serial numbers sampled for look-ups, revoked and not. */
  static final int SAMPLES = 1024;
  /** Bump when the generated CRL changes, so that a stale cached file is not used. */
  private static final int VERSION = 1;
  private static final long SEED = 20_260_101L;
  private static final Instant THIS_UPDATE = Instant.parse("2026-01-01T00:00:00Z");
  private static final RevocationReason[] REASONS = {null, RevocationReason.KEY_COMPROMISE,
      RevocationReason.SUPERSEDED, RevocationReason.CESSATION_OF_OPERATION};

  final byte[] der;
  final X509Certificate issuer;
  /** Serial numbers in the CRL, drawn evenly from it. */
  final BigInteger[] revoked;
  /** Serial numbers of the same shape that are not in the CRL. */
  final BigInteger[] absent;

  private CrlFixture(byte[] der, X509Certificate issuer) {
    this.der = der;
    this.issuer = issuer;
    List<BigInteger> all = serials(new Random(SEED), ENTRIES);
    revoked = new BigInteger[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      revoked[i] = all.get((int) ((long) i * ENTRIES / SAMPLES));
    }
    absent = serials(new Random(~SEED), SAMPLES).toArray(BigInteger[]::new);
  }

  /**
   * Reads the cached CRL, or builds and caches it.
   *
   * @return the fixture
   */
  static CrlFixture load() {
    Path dir = cacheDirectory();
    Path crlFile = dir.resolve("crl-fixture-v" + VERSION + "-" + ENTRIES + ".der");
    Path issuerFile = dir.resolve("crl-fixture-v" + VERSION + "-issuer.pem");
    try {
      if (Files.isRegularFile(crlFile) && Files.isRegularFile(issuerFile)) {
        return new CrlFixture(Files.readAllBytes(crlFile),
            Pem.parseCertificates(Files.readString(issuerFile, StandardCharsets.US_ASCII)).get(0));
      }
      CrlFixture built = build();
      write(issuerFile, Pem.writeCertificates(built.issuer).getBytes(StandardCharsets.US_ASCII));
      write(crlFile, built.der);
      return built;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot cache the CRL fixture in " + dir, e);
    }
  }

  /**
   * Collects the heap twice, so that a CRL just loaded is moved out of the young generation
   * before measurements start rather than copied by their first young collections.
   */
  static void settle() {
    System.gc();
    System.gc();
  }

  private static CrlFixture build() {
    CertifiedKey ca = CertificateBuilder.create().commonName("Benchmark CA")
        .keyType(KeyType.EC_P256).role(CertificateRole.CA).build();
    CrlBuilder builder = CrlBuilder.create().issuedBy(ca).thisUpdate(THIS_UPDATE)
        .crlNumber(BigInteger.valueOf(VERSION));
    List<BigInteger> serials = serials(new Random(SEED), ENTRIES);
    for (int i = 0; i < ENTRIES; i++) {
      Instant when = THIS_UPDATE.minus(Duration.ofSeconds(31L * i));
      RevocationReason reason = REASONS[i % REASONS.length];
      if (reason == null) {
        builder.revoke(serials.get(i), when);
      } else {
        builder.revoke(serials.get(i), when, reason);
      }
    }
    try {
      return new CrlFixture(builder.build().getEncoded(), ca.certificate());
    } catch (CRLException e) {
      throw new IllegalStateException("Cannot encode the CRL fixture", e);
    }
  }

  /** Positive serial numbers of at most 20 octets, as CAs draw them. */
  private static List<BigInteger> serials(Random random, int count) {
    List<BigInteger> serials = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      serials.add(new BigInteger(159, random).setBit(0));
    }
    return serials;
  }

  private static void write(Path file, byte[] content) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.write(temporary, content);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The directory of the benchmarks jar (its {@code target}), or the working directory. */
  private static Path cacheDirectory() {
    try {
      return Path.of(CrlFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of(".");
    }
  }
}
