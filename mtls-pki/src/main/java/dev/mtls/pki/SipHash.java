package dev.mtls.pki;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed hash for hash tables whose keys come from
 * untrusted input. With a secret random key, whoever writes the input cannot choose keys that
 * collide, so a table stays fast whatever it holds; a fixed or unkeyed hash would let a forged CRL
 * (read before its signature can be checked) turn every look-up into a scan.
 */
final class SipHash {
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long k0;
  private final long k1;

  SipHash(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
  }

  /** The 64-bit SipHash-2-4 of {@code data[from, to)}. */
  long hash(byte[] data, int from, int to) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int blocks = (to - from) / 8;
    long last = (long) (to - from) << 56;
    for (int i = from + blocks * 8, shift = 0; i < to; i++, shift += 8) {
      last |= (data[i] & 0xffL) << shift;
    }
    // Each 8-byte block, then the last (padded, with the length), then finalization.
    for (int block = 0; block <= blocks + 1; block++) {
      boolean finalization = block > blocks;
      long m = block < blocks ? (long) LITTLE_ENDIAN_LONG.get(data, from + block * 8) : last;
      if (finalization) {
        v2 ^= 0xff;
      } else {
        v3 ^= m;
      }
      for (int round = finalization ? 4 : 2; round > 0; round--) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      if (!finalization) {
        v0 ^= m;
      }
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
