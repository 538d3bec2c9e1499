package org.scaleml.comm.codec;

import org.scaleml.common.SplitMix64;

/**
 * The random stream of an encoder: xoroshiro128+ (Blackman and Vigna, 2018), seeded through splitmix64, so that a
 * codec's payloads depend only on its seed and the sequence of its inputs. Fast enough for one draw per element
 * (stochastic rounding); not for cryptography. Not thread-safe.
 */
public final class CodecRandom {
    private long s0;
    private long s1;

    public CodecRandom(long seed) {
        SplitMix64 init = new SplitMix64(seed);
        s0 = init.nextLong();
        s1 = init.nextLong();
        if ((s0 | s1) == 0) {
            s1 = 1;
        }
    }

    /** 64 random bits (the low bits are weaker; use the high ones for small ranges). */
    public long nextLong() {
        final long a = s0;
        long b = s1;
        final long r = a + b;
        b ^= a;
        s0 = Long.rotateLeft(a, 24) ^ b ^ (b << 16);
        s1 = Long.rotateLeft(b, 37);
        return r;
    }

    /** Uniform in [0, 1) with 24 random bits (a float's precision). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1p-53;
    }

    /** Uniform in [0, bound), bound >= 1 (multiply-shift on 32 random bits; bias below 2^-32 * bound). */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }
}
