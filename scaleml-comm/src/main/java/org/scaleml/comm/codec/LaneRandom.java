package org.scaleml.comm.codec;

import org.scaleml.common.SplitMix64;

/**
 * The random stream of the fixed-width quantizers: eight interleaved xoroshiro128+ generators ("lanes"), seeded
 * through splitmix64, read as one stream of 64-bit draws: lane 0's first output, lane 1's first, ..., lane 7's
 * first, then every lane's second, and so on. Stochastic rounding takes two 24-bit uniforms from each draw
 * ({@link #fillUniforms}); other uses read whole draws ({@link #nextLong}, {@link #nextInt}). Both read the same
 * stream, so a sequence of calls gives the same values however it is split. Not thread-safe; not for cryptography.
 */
final class LaneRandom {
    /*
     * Why lanes. One xoroshiro128+ generator is a chain of dependent operations (about four cycles per draw), and
     * at two uniforms per draw it took about 0.4 ns per element, a fifth of the 4-bit encoders' time. Eight
     * independent generators advanced side by side overlap in the processor (and fill one 512-bit vector in
     * VectorKernels), so a bucket's uniforms are produced in bulk, ahead of the rounding loop, at a fraction of the
     * cost; the statistical quality is that of each lane (xoroshiro128+, Blackman and Vigna 2018), whose weak low
     * bits are not used by the uniforms (bits 8..31 and 40..63 of each draw).
     *
     * Layout of the uniforms: draw d gives uniform 2d = bits 8..31 and uniform 2d + 1 = bits 40..63, i.e. the low
     * and the high 32-bit half of the draw, each shifted right by 8: on a little-endian vector of longs this is
     * the int view shifted right by 8, lane for lane.
     */
    /** Number of interleaved generators. */
    static final int LANES = 8;

    /** Lane states: s0[j], s1[j] of lane j. */
    final long[] s0 = new long[LANES];
    final long[] s1 = new long[LANES];
    /** Draws of the current step not yet read: buffered[pos .. LANES). */
    private final long[] buffered = new long[LANES];
    private int pos = LANES;

    LaneRandom(long seed) {
        SplitMix64 init = new SplitMix64(seed);
        for (int j = 0; j < LANES; j++) {
            s0[j] = init.nextLong();
            s1[j] = init.nextLong();
            if ((s0[j] | s1[j]) == 0) {
                s1[j] = 1;
            }
        }
    }

    /**
     * True when no draw of the current step was read: the word kernels of {@link QuantKernels}, which advance the
     * lanes' states directly, then continue the stream exactly.
     */
    boolean atStep() {
        return pos == LANES;
    }

    /** The next 64-bit draw of the stream. */
    long nextLong() {
        if (pos == LANES) {
            step();
            pos = 0;
        }
        return buffered[pos++];
    }

    /** The first uniform of draw {@code r}: its bits 8..31. */
    static int lowUniform(long r) {
        return (int) r >>> 8;
    }

    /** The second uniform of draw {@code r}: its bits 40..63. */
    static int highUniform(long r) {
        return (int) (r >>> 40);
    }

    /** Uniform in [0, bound), bound >= 1 (multiply-shift on the high 32 bits of one draw). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /**
     * Writes {@code 2 * draws} 24-bit uniforms to {@code u[off, off + 2 * draws)} from the next {@code draws} draws
     * (see the class comment for which bits).
     */
    void fillUniforms(int[] u, int off, int draws) {
        int d = 0;
        while (pos < LANES && d < draws) { // the rest of a step that nextLong started
            long r = buffered[pos++];
            u[off++] = lowUniform(r);
            u[off++] = highUniform(r);
            d++;
        }
        int steps = (draws - d) / LANES;
        if (steps > 0) {
            QuantKernels.get().uniforms(s0, s1, u, off, steps);
            off += 2 * LANES * steps;
            d += LANES * steps;
        }
        while (d < draws) {
            long r = nextLong();
            u[off++] = lowUniform(r);
            u[off++] = highUniform(r);
            d++;
        }
    }

    /** Advances every lane once, keeping the step's draws in {@code buffered}. */
    private void step() {
        for (int j = 0; j < LANES; j++) {
            final long a = s0[j];
            long b = s1[j];
            buffered[j] = a + b;
            b ^= a;
            s0[j] = Long.rotateLeft(a, 24) ^ b ^ (b << 16);
            s1[j] = Long.rotateLeft(b, 37);
        }
    }
}
