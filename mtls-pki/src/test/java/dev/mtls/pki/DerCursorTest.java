package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DerCursorTest {
  private static long utc(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return DerCursor.epochSecond(bytes, 0, bytes.length, true);
  }

  private static long generalized(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return DerCursor.epochSecond(bytes, 0, bytes.length, false);
  }

  private static long epoch(String instant) {
    return Instant.parse(instant).getEpochSecond();
  }

  @Test
  void epochSecond_utcTimeCoversTheYears1950To2049() {
    assertThat(utc("500101000000Z")).isEqualTo(epoch("1950-01-01T00:00:00Z"));
    assertThat(utc("491231235959Z")).isEqualTo(epoch("2049-12-31T23:59:59Z"));
    assertThat(utc("700101000000Z")).isZero();
  }

  @Test
  void epochSecond_generalizedTime() {
    assertThat(generalized("20260301120000Z")).isEqualTo(epoch("2026-03-01T12:00:00Z"));
    assertThat(generalized("99991231235959Z")).isEqualTo(epoch("9999-12-31T23:59:59Z"));
    assertThat(generalized("00010101000000Z")).isEqualTo(epoch("0001-01-01T00:00:00Z"));
  }

  @Test
  void epochSecond_knowsLeapYears() {
    assertThat(generalized("20240229000000Z")).isEqualTo(epoch("2024-02-29T00:00:00Z"));
    assertThat(generalized("20000229000000Z")).isEqualTo(epoch("2000-02-29T00:00:00Z"));
    assertThat(generalized("21000229000000Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("230229000000Z")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void epochSecond_refusesWhatRfc5280DoesNotWrite() {
    assertThat(utc("2603011200Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("260301120000+0100")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("260301120060Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("261301120000Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("260431120000Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("260301240000Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(utc("26030112000 Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(generalized("20260301120000.5Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(generalized("20260301120000")).isEqualTo(Long.MIN_VALUE);
  }
}
