package dev.mtls.core.principal;

import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The application identity of a peer whose certificate chain was verified: a typed name, the
 * groups it belongs to and the facts it was derived from.
 *
 * <p>The {@linkplain #type() type} says which part of the certificate (or which table) the name
 * came from, so that two peers cannot collide by putting the same text in different fields: the
 * DNS name {@code alice} and the common name {@code alice} are {@code dns:alice} and
 * {@code cn:alice}. Access rules match on {@link #getName()}.
 *
 * <p>Instances are immutable. Two principals are equal when type, value, groups and attributes
 * are all equal; compare {@link #getName()} to ask whether they name the same peer.
 */
public final class MtlsPrincipal implements Principal {
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final String type;
  private final String value;
  private final String name;
  private final Set<String> groups;
  private final Map<String, String> attributes;

  private MtlsPrincipal(
      String type, String value, Collection<String> groups, Map<String, String> attributes) {
    this.type = Objects.requireNonNull(type, "type");
    this.value = Objects.requireNonNull(value, "value");
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("Principal type '" + type
          + "' must be lower-case letters, digits, '.', '-' or '_', such as 'spiffe', 'cn' or 2.5.4.45");
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException("A principal of type '" + type + "' needs a non-empty value");
    }
    this.name = type + ":" + value; // built once: access control and audit ask for it per request
    TreeSet<String> groupCopy = new TreeSet<>();
    for (String group : groups) {
      if (Objects.requireNonNull(group, "group").isEmpty()) {
        throw new IllegalArgumentException("Group names must not be empty, in " + groups);
      }
      groupCopy.add(group);
    }
    SortedMap<String, String> attributeCopy = new TreeMap<>();
    attributes.forEach((k, v) -> attributeCopy.put(
        Objects.requireNonNull(k, "attribute name"), Objects.requireNonNull(v, "attribute " + k)));
    this.groups = Collections.unmodifiableSortedSet(groupCopy);
    this.attributes = Collections.unmodifiableSortedMap(attributeCopy);
  }

  /**
   * Creates a principal without groups or attributes.
   *
   * @param type where the name came from: lower-case letters, digits, {@code .}, {@code -} or
   *     {@code _}, such as {@code spiffe}, {@code dns}, {@code cn} or an OID
   * @param value the name itself, not empty
   * @return the principal
   * @throws IllegalArgumentException if the type is malformed or the value empty
   */
  public static MtlsPrincipal of(String type, String value) {
    return new MtlsPrincipal(type, value, Set.of(), Map.of());
  }

  /**
   * Parses a principal name of the form {@code type:value}, as returned by {@link #getName()}.
   * The type ends at the first colon, so {@code spiffe:spiffe://example.org/a} has the type
   * {@code spiffe} and the value {@code spiffe://example.org/a}.
   *
   * @param name a name such as {@code user:alice}
   * @return the principal, without groups or attributes
   * @throws IllegalArgumentException if the name has no type prefix or an empty value
   */
  public static MtlsPrincipal parse(String name) {
    int colon = Objects.requireNonNull(name, "name").indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("Principal name '" + name
          + "' has no type prefix; write it as type:value, such as user:alice or spiffe:spiffe://example.org/a");
    }
    return of(name.substring(0, colon), name.substring(colon + 1));
  }

  /**
   * Returns where the name came from, such as {@code spiffe}, {@code dns} or {@code cn}.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Returns the name without its type, such as {@code api.example.org}.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  /**
   * Returns the type and the value joined by a colon, such as {@code dns:api.example.org} or
   * {@code spiffe:spiffe://example.org/billing}.
   *
   * @return the principal name
   */
  @Override
  public String getName() {
    return name;
  }

  /**
   * Returns the groups the principal belongs to, in sorted order.
   *
   * @return an unmodifiable set, empty unless a mapper added groups
   */
  public Set<String> groups() {
    return groups;
  }

  /**
   * Returns facts about how the principal was derived, such as the SPIFFE trust domain or the
   * SPKI pin that matched, sorted by name.
   *
   * @return an unmodifiable map
   */
  public Map<String, String> attributes() {
    return attributes;
  }

  /**
   * Returns a copy with the given groups instead of the current ones.
   *
   * @param newGroups the groups, none empty
   * @return the copy
   */
  public MtlsPrincipal withGroups(Collection<String> newGroups) {
    return new MtlsPrincipal(type, value, Objects.requireNonNull(newGroups, "groups"), attributes);
  }

  /**
   * Returns a copy with one more attribute, replacing an attribute of the same name.
   *
   * @param name the attribute name
   * @param attributeValue the attribute value
   * @return the copy
   */
  public MtlsPrincipal withAttribute(String name, String attributeValue) {
    Map<String, String> copy = new TreeMap<>(attributes);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(attributeValue, "value"));
    return new MtlsPrincipal(type, value, groups, copy);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MtlsPrincipal that
        && type.equals(that.type)
        && value.equals(that.value)
        && groups.equals(that.groups)
        && attributes.equals(that.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, value, groups, attributes);
  }

  /** Returns the name, then the groups and attributes if there are any. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(getName());
    if (!groups.isEmpty()) {
      text.append(" groups=").append(groups);
    }
    if (!attributes.isEmpty()) {
      text.append(" attributes=").append(attributes);
    }
    return text.toString();
  }
}
