package dev.mtls.core;

import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.GeneralName;
import java.net.Socket;
import java.security.Principal;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presents one of a configuration's identities. A server chooses by the SNI host name the client
 * asked for, then by key type; a client by the issuers the server will accept, then by key type.
 * Among equals, the first in configuration order wins, so the choice is deterministic; it is
 * logged at debug level.
 *
 * <p>The identities can be replaced while handshakes run ({@link #swap}). JSSE asks for an alias
 * and then, in separate calls, for that alias's chain and key, so an alias names both the
 * identity's position and its generation ({@code identity-0.g2}): a handshake that chose an alias
 * before a swap still gets that generation's chain and key, never one generation's key with
 * another's chain. The last {@link #KEPT_GENERATIONS} generations stay resolvable.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityKeyManager.class);
  private static final String PREFIX = "identity-";
  static final int KEPT_GENERATIONS = 16;

  /** One set of identities, with what selection needs precomputed. */
  private static final class Generation {
    final long number;
    final List<CertifiedKey> identities;
    final List<String> aliases;
    /** Each identity's DNS SANs, lower case, read once: SNI selection runs on every handshake. */
    final List<List<String>> dnsNames;

    Generation(long number, List<CertifiedKey> identities) {
      this.number = number;
      List<CertifiedKey> normalised = new ArrayList<>();
      List<String> names = new ArrayList<>();
      List<List<String>> dns = new ArrayList<>();
      for (CertifiedKey identity : identities) {
        CertifiedKey jdk = new CertifiedKey(jdkKey(identity.privateKey()), identity.chain());
        names.add(PREFIX + normalised.size() + ".g" + number);
        normalised.add(jdk);
        dns.add(dnsNames(jdk));
      }
      this.identities = List.copyOf(normalised);
      this.aliases = List.copyOf(names);
      this.dnsNames = List.copyOf(dns);
    }
  }

  private volatile Generation current;
  /** Recent generations by number, for aliases chosen just before a swap. */
  private final Map<Long, Generation> recent = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Generation> eldest) {
      return size() > KEPT_GENERATIONS;
    }
  };

  IdentityKeyManager(List<CertifiedKey> identities) {
    this.current = new Generation(1, identities);
    recent.put(1L, current);
  }

  /** Makes {@code identities} the ones new handshakes choose from. */
  void swap(List<CertifiedKey> identities) {
    synchronized (recent) {
      Generation next = new Generation(current.number + 1, identities);
      recent.put(next.number, next);
      current = next;
    }
  }

  /**
   * The same private key as the JDK's own provider represents it. JSSE signs with the JDK's
   * providers, which translate a foreign key object (a Bouncy Castle key, say) on every
   * handshake; translating once here saves that. A key the JDK cannot represent is kept as is.
   */
  static PrivateKey jdkKey(PrivateKey key) {
    String algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  List<CertifiedKey> identities() {
    return current.identities;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return chooseServer(keyType, issuers, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    return chooseServer(keyType, issuers, session);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return chooseClient(keyTypes, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return chooseClient(keyTypes, issuers);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return matching(current, new String[] {keyType}, null).toArray(new String[0]);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return matching(current, new String[] {keyType}, issuers).toArray(new String[0]);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    CertifiedKey identity = byAlias(alias);
    return identity == null ? null : identity.chain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    CertifiedKey identity = byAlias(alias);
    return identity == null ? null : identity.privateKey();
  }

  private String chooseServer(String keyType, Principal[] issuers, SSLSession handshake) {
    String sni = sniHostName(handshake);
    Generation generation = current;
    List<String> candidates = matching(generation, new String[] {keyType}, issuers);
    if (candidates.isEmpty()) {
      candidates = matching(generation, new String[] {keyType}, null);
    }
    String chosen = null;
    if (sni != null) {
      for (String alias : candidates) {
        List<String> names = generation.dnsNames.get(generation.aliases.indexOf(alias));
        if (names.stream().anyMatch(san -> coversHost(san, sni))) {
          chosen = alias;
          break;
        }
      }
    }
    if (chosen == null && !candidates.isEmpty()) {
      chosen = candidates.get(0);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("server identity for keyType={} sni={}: {}", keyType, sni, describe(chosen));
    }
    return chosen;
  }

  private String chooseClient(String[] keyTypes, Principal[] issuers) {
    Generation generation = current;
    List<String> candidates = matching(generation, keyTypes, issuers);
    if (candidates.isEmpty()) {
      // Like OpenSSL, present a certificate even when the server names other CAs: the server
      // then says exactly why it refuses it, instead of "empty client certificate chain".
      candidates = matching(generation, keyTypes, null);
    }
    String chosen = candidates.isEmpty() ? null : candidates.get(0);
    if (LOG.isDebugEnabled()) {
      LOG.debug("client identity for keyTypes={} issuers={}: {}", List.of(keyTypes),
          issuers == null ? "any" : List.of(issuers), describe(chosen));
    }
    return chosen;
  }

  /** Aliases whose key type is one of those asked for and whose chain has an accepted issuer. */
  private static List<String> matching(Generation generation, String[] keyTypes,
      Principal[] issuers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < generation.identities.size(); i++) {
      CertifiedKey identity = generation.identities.get(i);
      if (keyTypeMatches(identity, keyTypes) && issuerMatches(identity, issuers)) {
        out.add(generation.aliases.get(i));
      }
    }
    return out;
  }

  private static boolean keyTypeMatches(CertifiedKey identity, String[] keyTypes) {
    if (keyTypes == null) {
      return true;
    }
    String algorithm = identity.publicKey().getAlgorithm().toUpperCase(Locale.ROOT);
    for (String keyType : keyTypes) {
      if (keyType == null) {
        continue;
      }
      // TLS 1.2 asks for "EC_EC"/"ECDHE_ECDSA"-style types; the key algorithm is the prefix.
      String wanted = keyType.toUpperCase(Locale.ROOT);
      if (wanted.startsWith(algorithm) || algorithm.equals("EDDSA") && wanted.startsWith("ED")
          || algorithm.startsWith("ED") && wanted.equals("EDDSA")
          || algorithm.equals("RSA") && wanted.equals("RSASSA-PSS")) {
        return true;
      }
    }
    return false;
  }

  private static boolean issuerMatches(CertifiedKey identity, Principal[] issuers) {
    if (issuers == null || issuers.length == 0) {
      return true;
    }
    for (X509Certificate certificate : identity.chain()) {
      for (Principal issuer : issuers) {
        if (issuer.equals(certificate.getIssuerX500Principal())
            || issuer.equals(certificate.getSubjectX500Principal())) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> dnsNames(CertifiedKey identity) {
    try {
      var sans = identity.certificate().getSubjectAlternativeNames();
      List<String> names = new ArrayList<>();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0))) {
            names.add(GeneralName.dns(String.valueOf(san.get(1))).value());
          }
        }
      }
      return List.copyOf(names);
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  /**
   * Whether a DNS SAN covers a host, for choosing among identities (not for verification): an
   * exact match, or a {@code *.} wildcard standing for exactly one left-most label.
   */
  static boolean coversHost(String san, String host) {
    if (san.equals(host)) {
      return true;
    }
    if (san.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(san.substring(1));
    }
    return false;
  }

  private static String sniHostName(SSLSession handshake) {
    if (handshake instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName().toLowerCase(Locale.ROOT);
        }
      }
    }
    return null;
  }

  /** The identity an alias names, in the generation it names; null if unknown or too old. */
  private CertifiedKey byAlias(String alias) {
    if (alias == null || !alias.startsWith(PREFIX)) {
      return null;
    }
    int dot = alias.indexOf(".g", PREFIX.length());
    if (dot < 0) {
      return null;
    }
    Generation generation = current;
    try {
      long number = Long.parseLong(alias.substring(dot + 2));
      if (number != generation.number) {
        synchronized (recent) {
          generation = recent.get(number);
        }
        if (generation == null) {
          LOG.warn("identity alias {} names a generation no longer kept", alias);
          return null;
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    int index = generation.aliases.indexOf(alias);
    return index < 0 ? null : generation.identities.get(index);
  }

  private String describe(String alias) {
    CertifiedKey identity = byAlias(alias);
    return identity == null ? "none" : alias + " '"
        + identity.certificate().getSubjectX500Principal().getName() + "'";
  }
}
