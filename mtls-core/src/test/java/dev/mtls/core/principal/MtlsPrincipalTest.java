package dev.mtls.core.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MtlsPrincipalTest {

  @Test
  void getName_joinsTypeAndValueWithAColon() {
    MtlsPrincipal principal = MtlsPrincipal.of("spiffe", "spiffe://example.org/billing");

    assertThat(principal.getName()).isEqualTo("spiffe:spiffe://example.org/billing");
  }

  @Test
  void parse_typeEndsAtTheFirstColon() {
    MtlsPrincipal principal = MtlsPrincipal.parse("spiffe:spiffe://example.org/a");

    assertThat(principal.type()).isEqualTo("spiffe");
    assertThat(principal.value()).isEqualTo("spiffe://example.org/a");
  }

  @Test
  void parse_withoutType_fails() {
    assertThatThrownBy(() -> MtlsPrincipal.parse("alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Principal name 'alice' has no type prefix; write it as type:value, such as user:alice"
            + " or spiffe:spiffe://example.org/a");
  }

  @Test
  void of_upperCaseType_fails() {
    assertThatThrownBy(() -> MtlsPrincipal.of("CN", "alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Principal type 'CN' must be lower-case letters, digits, '.', '-' or '_',"
            + " such as 'spiffe', 'cn' or 2.5.4.45");
  }

  @Test
  void of_emptyValue_fails() {
    assertThatThrownBy(() -> MtlsPrincipal.of("cn", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A principal of type 'cn' needs a non-empty value");
  }

  @Test
  void withGroups_replacesGroupsAndKeepsTheOriginal() {
    MtlsPrincipal original = MtlsPrincipal.of("cn", "alice").withGroups(List.of("old"));

    MtlsPrincipal copy = original.withGroups(List.of("b", "a"));

    assertThat(copy.groups()).containsExactly("a", "b");
    assertThat(original.groups()).containsExactly("old");
  }

  @Test
  void equals_comparesGroupsAndAttributesToo() {
    MtlsPrincipal plain = MtlsPrincipal.of("cn", "alice");

    assertThat(plain).isEqualTo(MtlsPrincipal.of("cn", "alice")).hasSameHashCodeAs(MtlsPrincipal.of("cn", "alice"));
    assertThat(plain).isNotEqualTo(plain.withGroups(Set.of("admins")));
    assertThat(plain).isNotEqualTo(plain.withAttribute("dn", "CN=alice"));
  }

  @Test
  void toString_showsNameGroupsAndAttributes() {
    MtlsPrincipal principal = MtlsPrincipal.of("cn", "alice").withGroups(Set.of("ops", "dev"))
        .withAttribute("dn", "CN=alice");

    assertThat(principal).hasToString("cn:alice groups=[dev, ops] attributes={dn=CN=alice}");
  }

  @Test
  void groups_areUnmodifiable() {
    MtlsPrincipal principal = MtlsPrincipal.of("cn", "alice").withGroups(Set.of("ops"));

    assertThatThrownBy(() -> principal.groups().add("admins")).isInstanceOf(UnsupportedOperationException.class);
  }
}
