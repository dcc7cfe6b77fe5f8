package dev.mtls.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The revoked-certificate entries of a CRL, for {@link CrlInfo}: checked in one pass over the
 * encoding and indexed without being decoded. An open-addressing hash table maps each pair of
 * certificate issuer and serial number to the offset of its entry in the CRL's bytes; an entry
 * becomes a {@link RevokedEntry} only when a look-up finds it. A million entries cost their
 * encoding plus 8 MiB of table, not a million objects. The table hashes with {@link SipHash} and
 * a random key, so that a forged CRL, which is read before its signature can be checked, cannot
 * make loading or look-ups quadratic.
 */
final class CrlEntries {
  static final Set<String> UNDERSTOOD = Set.of(Extension.reasonCode.getId(),
      Extension.invalidityDate.getId(), Extension.certificateIssuer.getId());

  /**
   * The encoding of entry extensions that hold only a non-critical reasonCode, the common case;
   * the code follows. Such entries are checked and decoded without a general DER parser.
   */
  private static final byte[] REASON_ONLY = {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15,
      0x04, 0x03, 0x0a, 0x01};

  /**
   * The issuer of the certificates in a run of entries, from {@code from} to the next run, with
   * the hash of its canonical name (0 without a directory name, when the run is not indexed).
   */
  private record Issuer(int from, List<GeneralName> names, X500Principal principal, long hash) {}

  private final byte[] der;
  private final int from;
  private final int to;
  private final String owner;
  private final int size;
  private final SipHash siphash;
  /** Entry offset plus one (0 for an empty slot), with high hash bits above the offset bits. */
  private final int[] slots;
  private final int tagMask;
  private final List<Issuer> issuers = new ArrayList<>();
  private final Set<String> unknownCritical = new LinkedHashSet<>();
  private volatile List<RevokedEntry> all;

  private CrlEntries(byte[] der, int from, int to, int size, X500Principal crlIssuer,
      String owner) {
    this.der = der;
    this.from = from;
    this.to = to;
    this.owner = owner;
    this.size = size;
    SecureRandom random = new SecureRandom();
    this.siphash = new SipHash(random.nextLong(), random.nextLong());
    this.slots = new int[Integer.highestOneBit(Math.max(1, size) * 2 - 1) << 1];
    int offsetBits = 32 - Integer.numberOfLeadingZeros(der.length);
    this.tagMask = offsetBits >= 32 ? 0 : -1 << offsetBits;
    Issuer current = new Issuer(from, List.of(), crlIssuer, hash(crlIssuer));
    issuers.add(current);
    DerCursor list = new DerCursor(der, from, to, owner);
    DerCursor entry = new DerCursor(der, from, from, owner);
    while (list.hasNext()) {
      list.next(DerCursor.SEQUENCE, "a revoked certificate entry");
      int at = list.start;
      entry.reset(list.contentStart, list.end);
      entry.integer("the serial number of a revoked certificate");
      int serialStart = entry.contentStart;
      int serialEnd = entry.end;
      entry.time("the revocation date of a revoked certificate");
      if (entry.hasNext()) {
        entry.next(DerCursor.SEQUENCE, "the extensions of a revoked certificate entry");
        if (!isReasonOnly(entry.start, entry.end)) {
          String source = owner + ", entry for serial "
              + new BigInteger(der, serialStart, serialEnd - serialStart).toString(16);
          Map<String, Extension> extensions = extensions(entry.start, entry.end, source);
          unknownCritical.addAll(ExtensionParser.unknownCritical(extensions, UNDERSTOOD));
          reason(extensions, source);
          invalidityDate(extensions, source);
          Extension certificateIssuer = extensions.get(Extension.certificateIssuer.getId());
          if (certificateIssuer != null) {
            current = issuer(at, certificateIssuer, source);
            issuers.add(current);
          }
        }
        entry.finish("the extensions of a revoked certificate entry");
      }
      if (current.principal() != null) {
        insert(at, serialStart, serialEnd, current);
      }
    }
  }

  /**
   * Checks and indexes the entries of a revokedCertificates sequence.
   *
   * @param der the CRL's encoding, which the result keeps and which must not change
   * @param from where the sequence's content starts
   * @param to where it ends
   * @param crlIssuer the CRL's issuer, which issued the certificates until an entry says otherwise
   * @param owner the CRL, for messages
   */
  static CrlEntries parse(byte[] der, int from, int to, X500Principal crlIssuer, String owner) {
    DerCursor list = new DerCursor(der, from, to, owner);
    int size = 0;
    while (list.hasNext()) {
      list.next(DerCursor.SEQUENCE, "a revoked certificate entry");
      size++;
    }
    return new CrlEntries(der, from, to, size, crlIssuer, owner);
  }

  int size() {
    return size;
  }

  Set<String> unknownCritical() {
    return Collections.unmodifiableSet(unknownCritical);
  }

  /** Every entry, in CRL order, decoded on first use. */
  List<RevokedEntry> all() {
    List<RevokedEntry> result = all;
    if (result == null) {
      List<RevokedEntry> decoded = new ArrayList<>(size);
      DerCursor list = new DerCursor(der, from, to, owner);
      while (list.hasNext()) {
        list.next(DerCursor.SEQUENCE, "a revoked certificate entry");
        decoded.add(decode(list.start, null));
      }
      result = List.copyOf(decoded);
      all = result;
    }
    return result;
  }

  /** The first entry for a certificate of the given issuer and serial number. */
  Optional<RevokedEntry> find(X500Principal issuer, BigInteger serial) {
    byte[] key = serial.toByteArray();
    Issuer crlIssuer = issuers.get(0);
    long h = siphash.hash(key, 0, key.length)
        ^ (issuer.equals(crlIssuer.principal()) ? crlIssuer.hash() : hash(issuer));
    int tag = (int) (h >>> 32) & tagMask;
    int mask = slots.length - 1;
    for (int i = (int) h & mask; slots[i] != 0; i = (i + 1) & mask) {
      int slot = slots[i];
      if ((slot & tagMask) == tag) {
        int at = (slot & ~tagMask) - 1;
        if (hasSerial(at, key, 0, key.length) && issuerAt(at).principal().equals(issuer)) {
          return Optional.of(decode(at, serial));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Indexes an entry under its serial number and issuer: a forged CRL that lists one serial
   * number under many issuers must not pile its entries into one chain.
   */
  private void insert(int at, int serialStart, int serialEnd, Issuer issuer) {
    long h = siphash.hash(der, serialStart, serialEnd) ^ issuer.hash();
    int tag = (int) (h >>> 32) & tagMask;
    int mask = slots.length - 1;
    int i = (int) h & mask;
    for (; slots[i] != 0; i = (i + 1) & mask) {
      int slot = slots[i];
      if ((slot & tagMask) == tag) {
        int other = (slot & ~tagMask) - 1;
        if (hasSerial(other, der, serialStart, serialEnd)
            && issuerAt(other).principal().equals(issuer.principal())) {
          return;
        }
      }
    }
    slots[i] = tag | (at + 1);
  }

  /** Whether the entry at an offset has the serial number whose content is given. */
  private boolean hasSerial(int at, byte[] key, int keyFrom, int keyTo) {
    int content = at + DerCursor.headerLength(der, at);
    int serial = content + DerCursor.headerLength(der, content);
    return Arrays.equals(der, serial, serial + DerCursor.contentLength(der, content),
        key, keyFrom, keyTo);
  }

  private Issuer issuerAt(int at) {
    int low = 0;
    int high = issuers.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (issuers.get(middle).from() <= at) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return issuers.get(low);
  }

  private boolean isReasonOnly(int start, int end) {
    int code = der[end - 1];
    return end - start == REASON_ONLY.length + 1
        && Arrays.equals(der, start, end - 1, REASON_ONLY, 0, REASON_ONLY.length)
        && code >= 0 && code <= 10 && code != 7;
  }

  /**
   * Decodes the entry at an offset, which the constructor has checked; with its serial number if
   * the caller has it already (a look-up that found it), to save decoding it again.
   */
  private RevokedEntry decode(int at, BigInteger knownSerial) {
    int serial = at + DerCursor.headerLength(der, at);
    int end = serial + DerCursor.contentLength(der, at);
    int serialContent = serial + DerCursor.headerLength(der, serial);
    int serialLength = DerCursor.contentLength(der, serial);
    int time = serialContent + serialLength;
    int timeLength = der[time + 1];
    BigInteger serialNumber = knownSerial != null ? knownSerial
        : new BigInteger(der, serialContent, serialLength);
    Instant revocationDate = Instant.ofEpochSecond(DerCursor.epochSecond(
        der, time + 2, timeLength, der[time] == DerCursor.UTC_TIME));
    Optional<RevocationReason> reason = Optional.empty();
    Optional<Instant> invalidityDate = Optional.empty();
    int extensions = time + 2 + timeLength;
    if (extensions < end) {
      if (isReasonOnly(extensions, end)) {
        reason = Optional.of(RevocationReason.ofCode(der[end - 1]));
      } else {
        String source = owner + ", entry for serial " + serialNumber.toString(16);
        Map<String, Extension> parsed = extensions(extensions, end, source);
        reason = reason(parsed, source);
        invalidityDate = invalidityDate(parsed, source);
      }
    }
    return new RevokedEntry(
        serialNumber, revocationDate, reason, invalidityDate, issuerAt(at).names());
  }

  private Map<String, Extension> extensions(int start, int end, String source) {
    ASN1Primitive extensions;
    try {
      extensions = ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, start, end));
    } catch (IOException e) {
      throw new PkiException(source + ": malformed entry extensions", e);
    }
    return ExtensionParser.read(extensions, source);
  }

  /** The hash of a name's canonical form, which equal principals share. */
  private long hash(X500Principal principal) {
    byte[] canonical = principal.getName(X500Principal.CANONICAL).getBytes(StandardCharsets.UTF_8);
    return siphash.hash(canonical, 0, canonical.length);
  }

  private Issuer issuer(int at, Extension extension, String owner) {
    List<GeneralName> names = ExtensionParser.alternativeNames(extension,
        ExtensionParser.source(owner, Extension.certificateIssuer.getId()));
    X500Principal principal = names.stream()
        .filter(n -> n.kind() == GeneralName.Kind.DIRECTORY_NAME)
        .map(n -> new X500Principal(n.value()))
        .findFirst().orElse(null);
    return new Issuer(at, names, principal, principal == null ? 0 : hash(principal));
  }

  private static Optional<RevocationReason> reason(Map<String, Extension> extensions,
      String owner) {
    Extension extension = extensions.get(Extension.reasonCode.getId());
    if (extension == null) {
      return Optional.empty();
    }
    String source = ExtensionParser.source(owner, extension.getExtnId().getId());
    ASN1Primitive value = ExtensionParser.value(extension, source);
    if (!(value instanceof ASN1Enumerated enumerated)) {
      throw new PkiException(source + ": expected a CRLReason (an ENUMERATED), found "
          + ExtensionParser.describe(value));
    }
    BigInteger code = enumerated.getValue();
    if (code.bitLength() > 31 || code.intValue() == 7 || code.intValue() < 0
        || code.intValue() > 10) {
      throw new PkiException(source + ": unknown CRLReason code " + code
          + " (expected 0 to 10, except 7)");
    }
    return Optional.of(RevocationReason.ofCode(code.intValue()));
  }

  private static Optional<Instant> invalidityDate(Map<String, Extension> extensions,
      String owner) {
    Extension extension = extensions.get(Extension.invalidityDate.getId());
    if (extension == null) {
      return Optional.empty();
    }
    String source = ExtensionParser.source(owner, extension.getExtnId().getId());
    ASN1Primitive value = ExtensionParser.value(extension, source);
    if (!(value instanceof ASN1GeneralizedTime time)) {
      throw new PkiException(source + ": expected a GeneralizedTime, found "
          + ExtensionParser.describe(value));
    }
    try {
      return Optional.of(time.getDate().toInstant());
    } catch (ParseException e) {
      throw new PkiException(source + ": malformed GeneralizedTime " + time.getTimeString(), e);
    }
  }
}
