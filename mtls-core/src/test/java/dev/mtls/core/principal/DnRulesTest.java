package dev.mtls.core.principal;

import static dev.mtls.core.principal.TestChains.CA;
import static dev.mtls.core.principal.TestChains.chain;
import static dev.mtls.core.principal.TestChains.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DnRulesTest {
  private static final String SYNTAX = "; a rule reads RULE:pattern/replacement/ with an optional L or U after the"
      + " last '/', or DEFAULT, and rules are separated by ',' or newlines";

  @Test
  void map_ruleWithGroup_mapsToNameWithDnAndRule() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=([^,]+),OU=clients,O=Example$/$1/")
        .map(client("CN=Alice,OU=clients,O=Example"));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("name", "Alice")
        .withAttribute("dn", "CN=Alice,OU=clients,O=Example")
        .withAttribute("rule", "RULE:^CN=([^,]+),OU=clients,O=Example$/$1/")));
  }

  @Test
  void map_lowerCaseFlag_lowersTheResult() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=([^,]+),.*$/$1/L").map(client("CN=Alice,O=Example"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("name:alice");
  }

  @Test
  void map_upperCaseFlag_raisesTheResult() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=([^,]+),.*$/$1/U").map(client("CN=Alice,O=Example"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("name:ALICE");
  }

  @Test
  void map_escapedSlashInPattern_matchesASlash() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=([^,\\/]+)\\/([^,]+),.*$/$2-$1/")
        .map(client("CN=team/alice,O=Example"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("name:alice-team");
  }

  @Test
  void map_escapedSlashAndDollarInReplacement_areLiteral() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=([^,]+),.*$/users\\/$1\\$/")
        .map(client("CN=alice,O=Example"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("name:users/alice$");
  }

  @Test
  void map_escapedCommaInDn_isMatchedInRfc2253Form() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=(.*?)\\\\,(.*?)\\+UID=([^,]+),.*$/$3/")
        .map(client("CN=a\\,b+UID=c,OU=x,O=y"));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("name:c");
  }

  @Test
  void map_firstMatchingRuleWins_andDefaultMapsTheWholeDn() {
    PrincipalMapper mapper = PrincipalMappers.dnRules("RULE:^CN=([^,]+),OU=admins,.*$/$1/,\n  DEFAULT");

    MappingResult result = mapper.map(client("CN=bob,OU=users,O=Example"));

    assertThat(result).isEqualTo(MappingResult.mapped(MtlsPrincipal.of("dn", "CN=bob,OU=users,O=Example")
        .withAttribute("dn", "CN=bob,OU=users,O=Example").withAttribute("rule", "DEFAULT")));
  }

  @Test
  void map_patternMatchingTheWholeDn_maps() {
    MappingResult result = PrincipalMappers.dnRules("RULE:CN=([^,]+)/$1/").map(chain(CA.client("alice")));

    assertThat(result.mappedPrincipal()).map(MtlsPrincipal::getName).contains("name:alice");
  }

  @Test
  void map_patternMatchingOnlyPartOfTheDn_isNoMatch() {
    MappingResult result = PrincipalMappers.dnRules("RULE:CN=([^,]+)/$1/").map(client("CN=alice,O=Example"));

    assertThat(result).isEqualTo(MappingResult.noMatch("certificate 'CN=alice,O=Example' matches none of the DN"
        + " rules [RULE:CN=([^,]+)/$1/]"));
  }

  @Test
  void map_emptyResult_rejects() {
    MappingResult result = PrincipalMappers.dnRules("RULE:^CN=([^,]*),.*$/$1/").map(client("CN=,O=Example"));

    assertThat(result).isEqualTo(MappingResult.rejected("certificate 'CN=,O=Example' maps to an empty name by DN"
        + " rule 'RULE:^CN=([^,]*),.*$/$1/'; expected a name"));
  }

  @Test
  void dnRules_groupReferenceOutOfRange_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=([^,]+),.*$/$1-$2/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=([^,]+),.*$/$1-$2/' at position 25: the replacement"
            + " refers to $2 but the pattern has 1 group" + SYNTAX);
  }

  @Test
  void dnRules_unknownFlag_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=(.*)$/$1/X"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=(.*)$/$1/X' at position 19: unknown flag 'X';"
            + " the flag is L (lower case), U (upper case) or nothing" + SYNTAX);
  }

  @Test
  void dnRules_missingTrailingSlashBeforeNewline_failsWithoutSwallowingTheNextLine() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=(.*)$/$1\nDEFAULT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=(.*)$/$1' at position 18: missing '/' after the replacement"
            + SYNTAX);
  }

  @Test
  void dnRules_defaultInTheMiddle_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=a,.*$/a/, DEFAULT, RULE:^CN=b,.*$/b/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=b,.*$/b/' at position 29:"
            + " it follows DEFAULT, which matches every DN, so it can never apply" + SYNTAX);
  }

  @Test
  void dnRules_badRegex_failsAtTheRegexError() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=(.*$/$1/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=(.*$/$1/' at position 14: the pattern is not a valid"
            + " regular expression: Unclosed group" + SYNTAX);
  }

  @Test
  void dnRules_dollarWithoutGroupNumber_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=(.*)$/${name}/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=(.*)$/${name}/' at position 16: '$' must be followed by a"
            + " group number; write '\\$' for a literal '$'" + SYNTAX);
  }

  @Test
  void dnRules_textAfterRule_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULE:^CN=(.*)$/$1/L junk"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULE:^CN=(.*)$/$1/L junk' at position 21: unexpected 'j' after the"
            + " rule ended at position 19" + SYNTAX);
  }

  @Test
  void dnRules_trailingComma_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("DEFAULT,"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DN mapping rules end with ',' at position 8; expected another rule after it" + SYNTAX);
  }

  @Test
  void dnRules_empty_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules(" \n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DN mapping rules are empty" + SYNTAX);
  }

  @Test
  void dnRules_unknownKeyword_fails() {
    assertThatThrownBy(() -> PrincipalMappers.dnRules("RULES:^CN=(.*)$/$1/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid DN mapping rule 'RULES:^CN=(.*)$/$1/' at position 1: expected RULE: or DEFAULT"
            + SYNTAX);
  }
}
