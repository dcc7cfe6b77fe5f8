package dev.mtls.pki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipHashTest {
  /** Key 00..0f, messages 00, 00 01, ...: the first test vectors of the SipHash paper. */
  private static final SipHash PAPER_KEY = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

  private static byte[] counting(int length) {
    byte[] message = new byte[length + 3];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) (i - 3);
    }
    return message;
  }

  @Test
  void hash_matchesThePaperVectors() {
    assertThat(PAPER_KEY.hash(counting(0), 3, 3)).isEqualTo(0x726fdb47dd0e0e31L);
    assertThat(PAPER_KEY.hash(counting(1), 3, 4)).isEqualTo(0x74f839c593dc67fdL);
    assertThat(PAPER_KEY.hash(counting(8), 3, 11)).isEqualTo(0x93f5f5799a932462L);
    assertThat(PAPER_KEY.hash(counting(15), 3, 18)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void hash_dependsOnTheKey() {
    byte[] message = {1, 2, 3};

    assertThat(new SipHash(1, 2).hash(message, 0, 3)).isNotEqualTo(new SipHash(1, 3).hash(message, 0, 3));
  }
}
