package dev.mtls.testkit;

import dev.mtls.pki.CertificateBuilder;
import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import dev.mtls.pki.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.naming.ldap.Rdn;

/**
 * Configures one leaf certificate issued by a {@link TestCa}. Obtain one with
 * {@link TestCa#leaf(CertificateRole)}; finish with {@link #issue()}.
 */
public final class LeafBuilder {
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Duration LIFETIME = Duration.ofDays(1);

  private final TestCa ca;
  private final CertificateRole role;
  private String subject;
  private final List<GeneralName> names = new ArrayList<>();
  private KeyType keyType;
  private Instant notBefore;
  private Instant notAfter;

  LeafBuilder(TestCa ca, CertificateRole role) {
    this.ca = ca;
    this.role = role;
  }

  /**
   * Sets the subject to a common name only.
   *
   * <p>If neither this nor {@link #subject(String)} is called, the subject is {@code CN=} and
   * the first subject alternative name's value, or {@code CN=leaf} without one.
   *
   * @param commonName the common name
   * @return this builder
   */
  public LeafBuilder commonName(String commonName) {
    return subject("CN=" + Rdn.escapeValue(Objects.requireNonNull(commonName, "commonName")));
  }

  /**
   * Sets the subject distinguished name.
   *
   * @param distinguishedName an RFC 2253 name
   * @return this builder
   */
  public LeafBuilder subject(String distinguishedName) {
    if (subject != null) {
      throw new IllegalStateException("subject was already set to " + subject);
    }
    this.subject = Objects.requireNonNull(distinguishedName, "distinguishedName");
    return this;
  }

  /**
   * Adds host names and IP addresses: IP literals become IP SANs, anything else a DNS SAN.
   *
   * @param hostsOrAddresses the names
   * @return this builder
   */
  public LeafBuilder names(String... hostsOrAddresses) {
    for (String name : hostsOrAddresses) {
      names.add(GeneralName.host(name));
    }
    return this;
  }

  /**
   * Adds subject alternative names of any kind.
   *
   * @param sans the names
   * @return this builder
   */
  public LeafBuilder subjectAlternativeNames(GeneralName... sans) {
    names.addAll(List.of(sans));
    return this;
  }

  /**
   * Adds a SPIFFE ID as a URI SAN.
   *
   * @param spiffeId an ID such as {@code spiffe://example.org/ns/prod/sa/api}
   * @return this builder
   */
  public LeafBuilder spiffeId(String spiffeId) {
    if (!spiffeId.startsWith("spiffe://")) {
      throw new IllegalArgumentException("Not a SPIFFE ID (must start with spiffe://): " + spiffeId);
    }
    names.add(GeneralName.uri(spiffeId));
    return this;
  }

  /**
   * Sets the key type.
   *
   * <p>If unset, the CA's key type.
   *
   * @param keyType the key type
   * @return this builder
   */
  public LeafBuilder keyType(KeyType keyType) {
    if (this.keyType != null) {
      throw new IllegalStateException("keyType was already set to " + this.keyType);
    }
    this.keyType = Objects.requireNonNull(keyType, "keyType");
    return this;
  }

  /**
   * Sets the validity period.
   *
   * <p>If unset, from one hour before the CA clock's now to one day after it.
   *
   * @param notBefore the first valid instant
   * @param notAfter the last valid instant
   * @return this builder
   */
  public LeafBuilder validity(Instant notBefore, Instant notAfter) {
    if (this.notBefore != null) {
      throw new IllegalStateException(
          "validity was already set to " + this.notBefore + " .. " + this.notAfter);
    }
    this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
    return this;
  }

  /**
   * Sets the validity to start one hour before the CA clock's now and last the given time.
   *
   * @param lifetime how long the certificate stays valid from now
   * @return this builder
   */
  public LeafBuilder validFor(Duration lifetime) {
    Instant now = ca.now();
    return validity(now.minus(BACKDATE), now.plus(lifetime));
  }

  /**
   * Issues the certificate.
   *
   * @return the leaf's key and chain (leaf, then intermediates)
   */
  public CertifiedKey issue() {
    return ca.pointAtRevocationServer(configure(CertificateBuilder.create().random(ca.random())),
        ca.issuer()).issuedBy(ca.issuer()).build();
  }

  /** Applies this leaf's settings to a certificate builder, leaving the issuer to the caller. */
  CertificateBuilder configure(CertificateBuilder builder) {
    Instant now = ca.now();
    builder
        .role(role)
        .keyType(keyType != null ? keyType : ca.keyType())
        .validity(
            notBefore != null ? notBefore : now.minus(BACKDATE),
            notAfter != null ? notAfter : now.plus(LIFETIME))
        .subjectAlternativeNames(names.toArray(new GeneralName[0]));
    if (subject != null) {
      builder.subject(subject);
    } else {
      builder.commonName(names.isEmpty() ? "leaf" : names.get(0).value());
    }
    return builder;
  }

}
