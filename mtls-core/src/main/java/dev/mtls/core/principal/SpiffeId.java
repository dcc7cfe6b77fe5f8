package dev.mtls.core.principal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A SPIFFE ID {@code spiffe://<trust domain>/<path>}, checked against the SPIFFE ID
 * specification: a lower-case trust domain of letters, digits, {@code .}, {@code -} and
 * {@code _}; a path of non-empty segments of letters, digits, {@code .}, {@code -} and
 * {@code _}, none of them {@code .} or {@code ..}; no user info, port, query or fragment; at most
 * 2048 bytes. A workload's ID has a path; an ID without one names the trust domain itself.
 */
record SpiffeId(String trustDomain, String path) {
  private static final String SCHEME = "spiffe://";
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern SEGMENT = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final int MAX_ID_BYTES = 2048;
  private static final int MAX_TRUST_DOMAIN = 255;

  /** Returns whether a URI claims to be a SPIFFE ID, valid or not. */
  static boolean hasSpiffeScheme(String uri) {
    return uri.regionMatches(true, 0, "spiffe:", 0, "spiffe:".length());
  }

  /**
   * Parses a workload's SPIFFE ID.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static SpiffeId parseWorkloadId(String id) {
    if (!id.startsWith(SCHEME)) {
      throw new IllegalArgumentException("it does not start with 'spiffe://' (scheme and '//' in lower case)");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("it is longer than " + MAX_ID_BYTES + " bytes");
    }
    String rest = id.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    if (authority.contains("@")) {
      throw new IllegalArgumentException("it has user info; a SPIFFE ID has none");
    }
    if (authority.contains("?") || path.contains("?")) {
      throw new IllegalArgumentException("it has a query; a SPIFFE ID has none");
    }
    if (authority.contains("#") || path.contains("#")) {
      throw new IllegalArgumentException("it has a fragment; a SPIFFE ID has none");
    }
    if (authority.contains(":")) {
      throw new IllegalArgumentException("it has a port; a SPIFFE ID has none");
    }
    checkTrustDomain(authority);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("it has no path; it names the trust domain, not a workload");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("it has an empty path segment (a '//' or a trailing '/')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("it has a '" + segment + "' path segment");
      }
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("it has path segment '" + segment
            + "' with characters other than letters, digits, '.', '-' and '_' (percent-encoding is not allowed)");
      }
    }
    return new SpiffeId(authority, path);
  }

  /**
   * Checks a trust domain name.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static void checkTrustDomain(String trustDomain) {
    if (trustDomain.isEmpty()) {
      throw new IllegalArgumentException("the trust domain is empty");
    }
    if (trustDomain.length() > MAX_TRUST_DOMAIN) {
      throw new IllegalArgumentException(
          "trust domain '" + trustDomain + "' is longer than " + MAX_TRUST_DOMAIN + " characters");
    }
    if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
      throw new IllegalArgumentException("trust domain '" + trustDomain
          + "' has characters other than lower-case letters, digits, '.', '-' and '_'");
    }
  }

  /** Returns the ID in its text form. */
  @Override
  public String toString() {
    return SCHEME + trustDomain + path;
  }
}
