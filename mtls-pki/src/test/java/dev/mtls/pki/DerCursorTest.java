package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DerCursorTest {
  private static DerCursor cursor(String hex) {
    byte[] der = CertificateInfoTest.hex(hex);
    return new DerCursor(der, 0, der.length, "x.der");
  }

  private static String nextError(String hex) {
    DerCursor cursor = cursor(hex);
    return catchThrowableOfType(PkiException.class, () -> cursor.next("a value")).getMessage();
  }

  private static String integerError(String hex) {
    DerCursor cursor = cursor(hex);
    return catchThrowableOfType(PkiException.class, () -> cursor.integer("a serial"))
        .getMessage();
  }

  @Test
  void next_readsShortAndLongLengths() {
    DerCursor cursor = cursor("3000" + "048180" + "00".repeat(128) + "0201ff");

    cursor.next("an empty sequence");
    assertThat(cursor.tag).isEqualTo(0x30);
    assertThat(cursor.end).isEqualTo(2);
    cursor.next(0x04, "an octet string");
    assertThat(cursor.contentStart).isEqualTo(5);
    assertThat(cursor.end).isEqualTo(133);
    cursor.integer("an integer");
    assertThat(cursor.hasNext()).isFalse();
  }

  @Test
  void next_refusesMalformedHeaders() {
    String at0 = "x.der: malformed DER at byte 0: ";
    assertThat(nextError("30")).isEqualTo(at0 + "a value is truncated after its tag");
    assertThat(nextError("1f01")).isEqualTo(at0
        + "expected a value, found a high tag number (0x1f)");
    assertThat(nextError("3080")).isEqualTo(at0
        + "a value has an indefinite length, which DER does not allow");
    assertThat(nextError("3085")).isEqualTo(at0
        + "a value has a length of 5 octets, more than an array holds");
    assertThat(nextError("308201")).isEqualTo(at0 + "a value is truncated in its length octets");
    assertThat(nextError("30810500000000")).isEqualTo(at0
        + "a value has a length (5) that is not minimally encoded");
    assertThat(nextError("3082000500000000")).isEqualTo(at0
        + "a value has a length (5) that is not minimally encoded");
    assertThat(nextError("30030101")).isEqualTo(at0
        + "a value claims 3 bytes, but only 2 remain in the enclosing value");
    assertThat(nextError("")).isEqualTo(at0
        + "expected a value, found the end of the enclosing value");
  }

  @Test
  void next_refusesAnotherTag() {
    DerCursor cursor = cursor("0400");

    assertThat(catchThrowableOfType(PkiException.class, () -> cursor.next(0x30, "a sequence")))
        .hasMessage("x.der: malformed DER at byte 0: expected a sequence (tag 0x30), found tag"
            + " 0x04");
  }

  @Test
  void integer_refusesEmptyAndRedundantEncodings() {
    assertThat(integerError("0200")).isEqualTo("x.der: malformed DER at byte 0: a serial is an"
        + " INTEGER without content");
    assertThat(integerError("02020001")).isEqualTo("x.der: malformed DER at byte 0: a serial is"
        + " an INTEGER with redundant leading octets");
    assertThat(integerError("0202ff80")).isEqualTo("x.der: malformed DER at byte 0: a serial is"
        + " an INTEGER with redundant leading octets");
    assertThatCode(() -> cursor("020200ff").integer("255")).doesNotThrowAnyException();
    assertThatCode(() -> cursor("0202ff7f").integer("-129")).doesNotThrowAnyException();
  }

  @Test
  void finish_refusesTrailingBytes() {
    DerCursor cursor = cursor("30000500");
    cursor.next("a sequence");

    assertThat(catchThrowableOfType(PkiException.class, () -> cursor.finish("the sequence")))
        .hasMessage("x.der: malformed DER at byte 2: 2 unexpected bytes (tag 0x05) after the"
            + " sequence");
  }
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
