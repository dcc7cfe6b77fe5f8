package dev.mtls.core;

import dev.mtls.core.verify.PeerRole;
import dev.mtls.core.verify.PeerVerifier;
import dev.mtls.core.watch.FileWatcher;
import dev.mtls.pki.Certificates;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.PkiException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rereads a configuration's identity and trust sources and, when the new material is valid and
 * different, swaps it in underneath the fixed {@code SSLContext}: the key manager's identities,
 * the trust manager's verifier (then the session state, so that nothing established under the
 * old trust is resumed). Invalid material is refused and the old material keeps serving. Reloads
 * are serialised; each ends in a {@link ReloadEvent}.
 */
final class MaterialReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaterialReloader.class);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** What a reloader works on. */
  record Setup(
      IdentitySource identitySource,
      TrustSource trustSource,
      TrustSource identityAnchors,
      PeerRole ownRole,
      Function<List<X509Certificate>, PeerVerifier> verifierFor,
      IdentityKeyManager keys,
      VerifyingTrustManager trustManager,
      Runnable resetSessions,
      Consumer<MtlsEvent> events,
      Clock clock,
      Duration clockSkew) {}

  private final Setup setup;
  private ExpiryMonitor expiry;
  private FileWatcher watcher;

  MaterialReloader(Setup setup) {
    this.setup = setup;
  }

  /** The certificates the expiry monitor watches: every identity's chain, and the anchors. */
  List<ExpiryMonitor.Watched> inUse() {
    List<ExpiryMonitor.Watched> watched = new ArrayList<>();
    for (CertifiedKey identity : setup.keys().identities()) {
      for (X509Certificate certificate : identity.chain()) {
        watched.add(new ExpiryMonitor.Watched(certificate, ReloadEvent.Material.IDENTITY,
            setup.identitySource().description()));
      }
    }
    if (setup.trustSource() != null) {
      for (X509Certificate anchor : setup.trustManager().verifier().trustAnchors()) {
        watched.add(new ExpiryMonitor.Watched(anchor, ReloadEvent.Material.TRUST,
            setup.trustSource().description()));
      }
    }
    return watched;
  }

  /** Starts the expiry monitor (if thresholds are given) and the watcher (if the policy asks). */
  void start(List<Duration> expiryThresholds, ReloadPolicy policy) {
    if (!expiryThresholds.isEmpty()) {
      expiry = new ExpiryMonitor(expiryThresholds, this::inUse,
          event -> setup.events().accept(event), setup.clock());
    }
    if (policy.automatic()) {
      Set<Path> files = new LinkedHashSet<>(setup.identitySource().files());
      if (setup.identityAnchors() != null) {
        files.addAll(setup.identityAnchors().files());
      }
      if (setup.trustSource() != null) {
        files.addAll(setup.trustSource().files());
      }
      if (files.isEmpty()) {
        throw new IllegalStateException("Reload policy " + policy + " needs file-backed material,"
            + " but neither " + setup.identitySource().description() + " nor "
            + (setup.trustSource() == null ? "the pins" : setup.trustSource().description())
            + " reads files; use ReloadPolicy.manual() and call reload()");
      }
      FileWatcher.Builder builder = FileWatcher.builder().files(files)
          .debounce(policy.debounceTime()).watchService(policy.watches())
          .onChange(this::filesChanged);
      if (policy.pollInterval() != null) {
        builder.pollInterval(policy.pollInterval());
      }
      watcher = builder.build();
      watcher.start();
    }
    if (expiry != null) {
      expiry.check();
    }
  }

  private void filesChanged(Set<Path> changed) {
    List<Path> identityFiles = new ArrayList<>(setup.identitySource().files());
    if (setup.identityAnchors() != null) {
      identityFiles.addAll(setup.identityAnchors().files());
    }
    if (changed.stream().anyMatch(identityFiles::contains)) {
      reloadIdentity();
    }
    if (setup.trustSource() != null
        && changed.stream().anyMatch(setup.trustSource().files()::contains)) {
      reloadTrust();
    }
  }

  /** Reloads both kinds of material; returns the identity's outcome, then the trust's. */
  synchronized List<ReloadEvent> reload() {
    List<ReloadEvent> outcomes = new ArrayList<>();
    outcomes.add(reloadIdentity());
    if (setup.trustSource() != null) {
      outcomes.add(reloadTrust());
    }
    return List.copyOf(outcomes);
  }

  synchronized ReloadEvent reloadIdentity() {
    List<CertifiedKey> before = setup.keys().identities();
    List<CertificateSummary> previous = summaries(before.stream().map(CertifiedKey::certificate).toList());
    String source = setup.identitySource().description();
    List<CertifiedKey> loaded;
    try {
      loaded = setup.identitySource().load();
      validateIdentities(loaded, source);
    } catch (RuntimeException e) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.IDENTITY, source,
          ReloadEvent.Outcome.FAILED, previous, previous, messageOf(e)));
    }
    List<CertificateSummary> current = summaries(loaded.stream().map(CertifiedKey::certificate).toList());
    if (sameChains(before, loaded)) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.IDENTITY, source,
          ReloadEvent.Outcome.UNCHANGED, previous, previous, null));
    }
    setup.keys().swap(loaded);
    return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.IDENTITY, source,
        ReloadEvent.Outcome.CHANGED, previous, current, null));
  }

  synchronized ReloadEvent reloadTrust() {
    PeerVerifier old = setup.trustManager().verifier();
    List<CertificateSummary> previous = summaries(List.copyOf(old.trustAnchors()));
    String source = setup.trustSource().description();
    PeerVerifier fresh;
    try {
      fresh = setup.verifierFor().apply(setup.trustSource().load());
    } catch (RuntimeException e) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.TRUST, source,
          ReloadEvent.Outcome.FAILED, previous, previous, messageOf(e)));
    }
    List<CertificateSummary> current = summaries(List.copyOf(fresh.trustAnchors()));
    if (fingerprints(previous).equals(fingerprints(current))) {
      return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.TRUST, source,
          ReloadEvent.Outcome.UNCHANGED, previous, previous, null));
    }
    setup.trustManager().swap(fresh);
    // Sessions made under the old anchors must not be resumed: a removed CA's clients would
    // otherwise skip the trust manager until their session ends.
    setup.resetSessions().run();
    return report(new ReloadEvent(setup.clock().instant(), ReloadEvent.Material.TRUST, source,
        ReloadEvent.Outcome.CHANGED, previous, current, null));
  }

  /** Where events go when a configuration has no listeners: failures still reach the log. */
  static void logOnly(MtlsEvent event) {
    if (event instanceof ReloadEvent reload && reload.outcome() == ReloadEvent.Outcome.FAILED
        || event instanceof ExpiryEvent) {
      LOG.warn(Slf4jListener.format(event));
    } else {
      LOG.info(Slf4jListener.format(event));
    }
  }

  private ReloadEvent report(ReloadEvent event) {
    switch (event.outcome()) {
      case FAILED -> LOG.debug("reload of {} failed: {}", event.source(), event.message());
      case UNCHANGED -> LOG.debug("reload of {}: unchanged", event.source());
      case CHANGED -> {
        if (expiry != null) {
          expiry.check();
        }
      }
      default -> throw new IllegalStateException(event.outcome().name());
    }
    if (event.outcome() != ReloadEvent.Outcome.UNCHANGED) {
      setup.events().accept(event);
    }
    return event;
  }

  /**
   * Refuses material that cannot serve: a key that is not the certificate's, a chain whose
   * certificates do not sign each other, dates outside the validity period, an extended key
   * usage that does not allow this side's role, and, when anchors for the own identity are
   * configured, a chain that does not build to one of them.
   */
  void validateIdentities(List<CertifiedKey> identities, String source) {
    Instant now = setup.clock().instant();
    PeerVerifier anchored = null;
    if (setup.identityAnchors() != null) {
      anchored = PeerVerifier.builder(setup.ownRole()).trustAnchors(setup.identityAnchors().load())
          .clock(setup.clock()).clockSkew(setup.clockSkew()).build();
    }
    for (CertifiedKey identity : identities) {
      X509Certificate leaf = identity.certificate();
      String what = source + ": certificate '" + leaf.getSubjectX500Principal().getName()
          + "' (serial " + leaf.getSerialNumber().toString(16) + ")";
      if (!Certificates.keyMatches(identity.privateKey(), leaf)) {
        throw new PkiException(what + " does not match the private key; expected the"
            + " key the certificate was issued for (a certificate and key from different renewals?)");
      }
      List<X509Certificate> chain = identity.chain();
      for (int i = 0; i < chain.size(); i++) {
        X509Certificate certificate = chain.get(i);
        checkDates(certificate, now, source);
        if (i + 1 < chain.size()) {
          checkSignedBy(certificate, chain.get(i + 1), source, i);
        }
      }
      checkExtendedKeyUsage(leaf, what);
      if (anchored != null) {
        try {
          anchored.verify(chain, null);
        } catch (GeneralSecurityException e) {
          throw new PkiException(what + " does not chain to the configured identity"
              + " anchors: " + e.getMessage(), e);
        }
      }
    }
  }

  private void checkDates(X509Certificate certificate, Instant now, String source) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    String what = source + ": certificate '" + certificate.getSubjectX500Principal().getName() + "'";
    if (!notBefore.isBefore(notAfter)) {
      throw new PkiException(what + " has notBefore " + notBefore
          + " not before notAfter " + notAfter + "; expected a validity period");
    }
    if (notBefore.isAfter(now.plus(setup.clockSkew()))) {
      throw new PkiException(what + " is not valid until " + notBefore
          + "; expected a certificate valid now (" + now + ")");
    }
    if (!notAfter.isAfter(now)) {
      throw new PkiException(what + " expired at " + notAfter
          + "; expected a certificate valid now (" + now + ")");
    }
  }

  private static void checkSignedBy(X509Certificate certificate, X509Certificate issuer,
      String source, int index) {
    String what = source + ": chain certificate " + index + " '"
        + certificate.getSubjectX500Principal().getName() + "'";
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new PkiException(what + " is issued by '"
          + certificate.getIssuerX500Principal().getName() + "' but is followed by '"
          + issuer.getSubjectX500Principal().getName() + "'; expected each certificate to be"
          + " followed by its issuer");
    }
    try {
      certificate.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PkiException(what + " is not signed by the key of the next"
          + " certificate '" + issuer.getSubjectX500Principal().getName() + "' (" + e.getMessage()
          + "); expected each certificate to be followed by its issuer", e);
    }
  }

  private void checkExtendedKeyUsage(X509Certificate leaf, String what) {
    String purpose = setup.ownRole() == PeerRole.SERVER ? SERVER_AUTH : CLIENT_AUTH;
    String purposeName = setup.ownRole() == PeerRole.SERVER ? "serverAuth" : "clientAuth";
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new PkiException(what + " has an unreadable extended key usage", e);
    }
    if (usages != null && !usages.contains(purpose)) {
      throw new PkiException(what + " has extended key usages " + usages
          + "; expected " + purposeName + " (" + purpose + ") for a "
          + setup.ownRole().name().toLowerCase(java.util.Locale.ROOT) + " identity");
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[0]) {
      throw new PkiException(what + " has a key usage without digitalSignature;"
          + " expected digitalSignature for a TLS identity");
    }
  }

  private static boolean sameChains(List<CertifiedKey> a, List<CertifiedKey> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).chain().equals(b.get(i).chain())) {
        return false;
      }
    }
    return true;
  }

  private static List<CertificateSummary> summaries(List<X509Certificate> certificates) {
    return certificates.stream().map(CertificateSummary::of).toList();
  }

  private static Set<String> fingerprints(List<CertificateSummary> summaries) {
    Set<String> out = new LinkedHashSet<>();
    summaries.forEach(s -> out.add(s.fingerprint()));
    return out;
  }

  private static String messageOf(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Stops the watcher and the expiry monitor; no reload or check starts after this returns. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    if (expiry != null) {
      expiry.close();
    }
  }
}
