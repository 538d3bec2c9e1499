package org.scaleml.comm.codec;

/**
 * Uniformly random k-subsets of {@code [0, n)}, drawn from a 64-bit seed and returned in increasing order: the
 * encoder and the decoder of {@link RandomKCodec} draw the same subset from the seed in the payload. Not
 * thread-safe; keeps an n-bit scratch bitmap, grown to the largest n seen and all-zero between calls.
 */
final class RandomSubset {
    /*
     * Floyd's algorithm (R. W. Floyd, in J. Bentley, "Programming Pearls: a sample of brilliance", CACM 30(9),
     * 1987): for j = n - k, ..., n - 1 draw t uniform in [0, j]; insert t if it is not yet in the set, else
     * insert j. Every k-subset comes out with probability 1 / C(n, k), after exactly k draws. Membership is a bit
     * in an n-bit map, so a draw costs O(1) and the whole subset O(k + n / 64): the map is swept once, word by
     * word, to list the members in increasing order (the order the codec sends values in) and to clear it again.
     *
     * Uniform integers: multiply-shift on 63 random bits, floor(x * bound / 2^63), biased by at most bound / 2^63
     * (CodecRandom.nextInt uses 32 bits, whose bias bound / 2^32 would reach 0.4% for n = 16M).
     */
    private long[] bitmap = new long[0];

    /** Uniform in {@code [0, bound)}, {@code 1 <= bound <= 2^31 - 1}, from 63 random bits (see above). */
    static int uniform(CodecRandom r, int bound) {
        return (int) Math.multiplyHigh(r.nextLong() >>> 1, (long) bound << 1);
    }

    /**
     * Writes a uniformly random k-subset of {@code [0, n)}, drawn from the stream of {@code seed}, into
     * {@code out[0, k)} in increasing order.
     */
    void draw(long seed, int n, int k, int[] out) {
        if (k == n) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            return;
        }
        int words = (n + 63) >>> 6;
        if (bitmap.length < words) {
            bitmap = new long[words];
        }
        final long[] map = bitmap;
        CodecRandom r = new CodecRandom(seed);
        for (int j = n - k; j < n; j++) {
            int t = uniform(r, j + 1);
            long bit = 1L << t;
            if ((map[t >>> 6] & bit) == 0) {
                map[t >>> 6] |= bit;
            } else {
                map[j >>> 6] |= 1L << j;
            }
        }
        int c = 0;
        for (int w = 0; w < words; w++) {
            long x = map[w];
            if (x != 0) {
                map[w] = 0;
                int base = w << 6;
                do {
                    out[c++] = base + Long.numberOfTrailingZeros(x);
                    x &= x - 1;
                } while (x != 0);
            }
        }
    }
}
