package dev.mtls.http.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.principal.MtlsPrincipal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads through the real file watcher, on real files. */
class ReloadingAccessPolicyTest {
  private static final MtlsPrincipal ALICE = MtlsPrincipal.of("cn", "alice");
  private static final String V1 = "allow cn:alice GET /reports/**\n";
  private static final String V2 = "allow cn:alice GET /reports/**\nallow cn:alice * /admin/**\n";

  @TempDir Path dir;

  private Path policyFile(String content) throws IOException {
    Path file = dir.resolve("access.policy");
    Files.writeString(file, content);
    return file;
  }

  /** Writes a temporary file and renames it over the policy, as careful tools do. */
  private void replace(Path file, String content) throws IOException {
    Path temporary = Files.writeString(dir.resolve("access.policy.tmp"), content);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      Thread.sleep(10);
    }
  }

  private static ReloadingAccessPolicy watching(Path file) {
    return ReloadingAccessPolicy.builder(file).debounce(Duration.ofMillis(20)).build();
  }

  @Test
  void change_putsTheNewPolicyInForce() throws Exception {
    Path file = policyFile(V1);
    try (ReloadingAccessPolicy policy = watching(file)) {
      assertThat(policy.decide(ALICE, "POST", "/admin/users").allowed()).isFalse();

      replace(file, V2);

      await("the new policy", () -> policy.current().rules().size() == 2);
      assertThat(policy.decide(ALICE, "POST", "/admin/users").reason()).isEqualTo("allowed by access.policy:2");
      assertThat(policy.lastFailure()).isEmpty();
    }
  }

  @Test
  void inPlaceRewrite_isNoticedToo() throws Exception {
    Path file = policyFile(V1);
    try (ReloadingAccessPolicy policy = watching(file)) {
      Files.writeString(file, V2);

      await("the new policy", () -> policy.current().rules().size() == 2);
    }
  }

  @Test
  void badChange_keepsTheOldPolicyUntilAGoodOne() throws Exception {
    Path file = policyFile(V1);
    try (ReloadingAccessPolicy policy = watching(file)) {
      AccessPolicy first = policy.current();

      replace(file, V2 + "permit cn:mallory * /**\n");

      await("the failure", () -> policy.lastFailure().isPresent());
      assertThat(policy.current()).isSameAs(first);
      assertThat(policy.lastFailure().orElseThrow())
          .hasMessage(file + ": line 3: found 'permit'; expected allow or deny");
      assertThat(policy.decide(MtlsPrincipal.of("cn", "mallory"), "GET", "/x").allowed()).isFalse();

      replace(file, V2);

      await("the fixed policy", () -> policy.current().rules().size() == 2);
      assertThat(policy.lastFailure()).isEmpty();
    }
  }

  @Test
  void deletedFile_keepsTheOldPolicy() throws Exception {
    Path file = policyFile(V1);
    try (ReloadingAccessPolicy policy = watching(file)) {
      AccessPolicy first = policy.current();

      Files.delete(file);

      await("the failure", () -> policy.lastFailure().isPresent());
      assertThat(policy.lastFailure().orElseThrow()).hasMessage(file + ": found no file; expected a policy file");
      assertThat(policy.current()).isSameAs(first);
    }
  }

  @Test
  void emptiedFile_keepsTheOldPolicy() throws Exception {
    Path file = policyFile(V1);
    try (ReloadingAccessPolicy policy = watching(file)) {
      AccessPolicy first = policy.current();

      Files.writeString(file, "");

      await("the failure", () -> policy.lastFailure().isPresent());
      assertThat(policy.current()).isSameAs(first);
    }
  }

  @Test
  void reload_onDemand_saysWhetherAnythingChanged() throws Exception {
    Path file = policyFile(V1);
    ReloadingAccessPolicy policy = ReloadingAccessPolicy.builder(file).threadName("policy-on-demand").build();
    policy.close(); // no watcher: only explicit reloads from here on

    assertThat(policy.reload()).isFalse();
    Files.writeString(file, V2);
    assertThat(policy.reload()).isTrue();
    assertThat(policy.current().rules()).hasSize(2);

    Files.writeString(file, "allow nobody\n");
    assertThatThrownBy(policy::reload)
        .isInstanceOf(PolicyException.class)
        .hasMessage(file + ": line 1: found 2 fields ('allow nobody'); expected 4: allow|deny PRINCIPAL METHODS"
            + " PATH-GLOB");
    assertThat(policy.current().rules()).hasSize(2);
    assertThat(policy.lastFailure()).isPresent();

    Files.writeString(file, V2);
    assertThat(policy.reload()).isFalse();
    assertThat(policy.lastFailure()).isEmpty();
  }

  @Test
  void build_badFile_failsAndLeavesNoThread() throws Exception {
    Path file = policyFile("allow\n");

    assertThatThrownBy(() -> ReloadingAccessPolicy.builder(file).threadName("policy-bad-start").build())
        .isInstanceOf(PolicyException.class)
        .hasMessage(file + ": line 1: found 1 field ('allow'); expected 4: allow|deny PRINCIPAL METHODS PATH-GLOB");
    await("no watcher thread", () -> !threadExists("policy-bad-start"));
  }

  @Test
  void close_stopsTheWatcherThread() throws Exception {
    Path file = policyFile(V1);
    ReloadingAccessPolicy policy = ReloadingAccessPolicy.builder(file).threadName("policy-close-test").build();
    assertThat(threadExists("policy-close-test")).isTrue();

    policy.close();

    assertThat(threadExists("policy-close-test")).isFalse();
    assertThat(policy.decide(ALICE, "GET", "/reports/1").allowed()).isTrue();
  }

  @Test
  void logLines_useTheEventFormat() {
    AccessPolicy policy = AccessPolicy.parse(V2, "access.policy");

    assertThat(ReloadingAccessPolicy.changedLine("/etc/mtls/access.policy", policy))
        .isEqualTo("event=reload material=policy outcome=changed source=/etc/mtls/access.policy rules=2");
    assertThat(ReloadingAccessPolicy.failedLine("/etc/my policies/a.policy",
        new PolicyException("/etc/my policies/a.policy", 3, "found 'permit'; expected allow or deny", null)))
        .isEqualTo("event=reload material=policy outcome=failed source=\"/etc/my policies/a.policy\""
            + " message=\"/etc/my policies/a.policy: line 3: found 'permit'; expected allow or deny\"");
  }

  @Test
  void builder_settersRefuseSecondCallsAndBadValues() {
    ReloadingAccessPolicy.Builder builder = ReloadingAccessPolicy.builder(dir.resolve("x.policy"))
        .debounce(Duration.ofMillis(5));

    assertThatThrownBy(() -> builder.debounce(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("debounce was already set to PT0.005S");
    assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be positive: PT0S");
    assertThatThrownBy(() -> builder.threadName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threadName is blank");
  }

  private static boolean threadExists(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
