package dev.mtls.pki;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over DER: reads one tag-length-value at a time from a range of a byte array, in place,
 * for parsers that must not allocate per element (a CRL of a million entries). It understands
 * what X.509 uses: low tag numbers and definite, minimally encoded lengths. Errors are
 * {@link PkiException}s naming the source, the byte offset, what was found and what was expected.
 */
final class DerCursor {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int CONTEXT_0 = 0xa0;

  private final byte[] der;
  private final String source;
  private int position;
  private int limit;

  /** The tag of the value last read. */
  int tag;
  /** Where the value last read starts (its tag byte). */
  int start;
  /** Where the content of the value last read starts. */
  int contentStart;
  /** Where the value last read ends (exclusive). */
  int end;

  DerCursor(byte[] der, int from, int to, String source) {
    this.der = der;
    this.source = source;
    this.position = from;
    this.limit = to;
  }

  /** A cursor over the content of the value last read. */
  DerCursor inside() {
    return new DerCursor(der, contentStart, end, source);
  }

  /** Moves this cursor to another range. */
  void reset(int from, int to) {
    position = from;
    limit = to;
  }

  boolean hasNext() {
    return position < limit;
  }

  int peekTag() {
    return der[position] & 0xff;
  }

  /** Reads the next value, which must have the given tag. */
  void next(int expectedTag, String what) {
    if (position >= limit) {
      throw error(position, "expected " + what + ", found the end of the enclosing value");
    }
    if ((der[position] & 0xff) != expectedTag) {
      throw error(position, "expected " + what + " (tag 0x" + hex(expectedTag) + "), found tag 0x"
          + hex(der[position] & 0xff));
    }
    next(what);
  }

  /** Reads the next value, whatever its tag. */
  void next(String what) {
    int at = position;
    if (at >= limit) {
      throw error(at, "expected " + what + ", found the end of the enclosing value");
    }
    int first = der[at] & 0xff;
    if ((first & 0x1f) == 0x1f) {
      throw error(at, "expected " + what + ", found a high tag number (0x" + hex(first) + ")");
    }
    if (at + 1 >= limit) {
      throw error(at, what + " is truncated after its tag");
    }
    int lengthByte = der[at + 1] & 0xff;
    int header = 2;
    int length;
    if (lengthByte < 0x80) {
      length = lengthByte;
    } else {
      int octets = lengthByte & 0x7f;
      if (octets == 0) {
        throw error(at, what + " has an indefinite length, which DER does not allow");
      }
      if (octets > 4) {
        throw error(at, what + " has a length of " + octets + " octets, more than an array holds");
      }
      if (at + 2 + octets > limit) {
        throw error(at, what + " is truncated in its length octets");
      }
      long value = 0;
      for (int i = 0; i < octets; i++) {
        value = value << 8 | (der[at + 2 + i] & 0xff);
      }
      if (value < 0x80 || (der[at + 2] == 0)) {
        throw error(at, what + " has a length (" + value + ") that is not minimally encoded");
      }
      if (value > Integer.MAX_VALUE) {
        throw error(at, what + " claims " + value + " bytes, more than an array holds");
      }
      header += octets;
      length = (int) value;
    }
    if (length > limit - at - header) {
      throw error(at, what + " claims " + length + " bytes, but only " + (limit - at - header)
          + " remain in the enclosing value");
    }
    tag = first;
    start = at;
    contentStart = at + header;
    end = contentStart + length;
    position = end;
  }

  /** Refuses anything left in the range after the values read. */
  void finish(String what) {
    if (position < limit) {
      throw error(position, (limit - position) + " unexpected bytes (tag 0x"
          + hex(der[position] & 0xff) + ") after " + what);
    }
  }

  /** Reads an INTEGER and checks that it is minimally encoded, as DER requires. */
  void integer(String what) {
    next(INTEGER, what);
    int length = end - contentStart;
    if (length == 0) {
      throw error(start, what + " is an INTEGER without content");
    }
    if (length > 1) {
      int leading = der[contentStart] << 1 | (der[contentStart + 1] & 0xff) >>> 7;
      if (leading == 0 || leading == -1) {
        throw error(start, what + " is an INTEGER with redundant leading octets");
      }
    }
  }

  /**
   * Reads a time as RFC 5280 section 5.1.2.4 requires it in certificates and CRLs: UTCTime
   * {@code YYMMDDHHMMSSZ} (years 1950 to 2049) or GeneralizedTime {@code YYYYMMDDHHMMSSZ}.
   *
   * @return seconds since the epoch
   */
  long time(String what) {
    next(what);
    boolean utc = tag == UTC_TIME;
    if (!utc && tag != GENERALIZED_TIME) {
      throw error(start, "expected " + what + " (UTCTime or GeneralizedTime), found tag 0x"
          + hex(tag));
    }
    long seconds = epochSecond(der, contentStart, end - contentStart, utc);
    if (seconds == Long.MIN_VALUE) {
      throw error(start, "expected " + what + " as " + (utc ? "UTCTime YYMMDDHHMMSSZ"
          : "GeneralizedTime YYYYMMDDHHMMSSZ") + " (RFC 5280), found '"
          + new String(der, contentStart, end - contentStart, StandardCharsets.ISO_8859_1) + "'");
    }
    return seconds;
  }

  /** Decodes a validated time in place, or {@code Long.MIN_VALUE} if it is not one. */
  static long epochSecond(byte[] der, int at, int length, boolean utc) {
    int digits = utc ? 12 : 14;
    if (length != digits + 1 || der[at + digits] != 'Z') {
      return Long.MIN_VALUE;
    }
    for (int i = at; i < at + digits; i++) {
      if (der[i] < '0' || der[i] > '9') {
        return Long.MIN_VALUE;
      }
    }
    int year;
    int i = at;
    if (utc) {
      year = two(der, i);
      year += year < 50 ? 2000 : 1900;
      i += 2;
    } else {
      year = two(der, i) * 100 + two(der, i + 2);
      i += 4;
    }
    int month = two(der, i);
    int day = two(der, i + 2);
    int hour = two(der, i + 4);
    int minute = two(der, i + 6);
    int second = two(der, i + 8);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23
        || minute > 59 || second > 59) {
      return Long.MIN_VALUE;
    }
    return daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
  }

  private static int two(byte[] der, int at) {
    return (der[at] - '0') * 10 + der[at + 1] - '0';
  }

  private static int daysIn(int year, int month) {
    if (month == 2) {
      boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  private static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = y / 400;
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }

  /** The number of tag and length octets of a value at an offset, already checked. */
  static int headerLength(byte[] der, int at) {
    int lengthByte = der[at + 1] & 0xff;
    return lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  }

  /** The content length of a value at an offset, already checked. */
  static int contentLength(byte[] der, int at) {
    int lengthByte = der[at + 1] & 0xff;
    if (lengthByte < 0x80) {
      return lengthByte;
    }
    int length = 0;
    for (int i = 0; i < (lengthByte & 0x7f); i++) {
      length = length << 8 | (der[at + 2 + i] & 0xff);
    }
    return length;
  }

  PkiException error(int at, String message) {
    return new PkiException(source + ": malformed DER at byte " + at + ": " + message);
  }

  private static String hex(int value) {
    return String.format("%02x", value);
  }
}
