package org.scaleml.comm.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The inner loops of the 4-bit quantizers, of their random stream and of TopK's candidate scan, in two
 * implementations that produce identical output: this class (plain Java, the default) and {@code VectorKernels}
 * (the JDK's incubating Vector API), chosen once per JVM by {@link #get()}.
 *
 * <h2>Choosing the implementation</h2>
 * The vector kernels are used only when the system property {@code scaleml.simd} is {@code true}, the JVM was
 * started with {@code --add-modules jdk.incubator.vector}, it is JDK 21 or newer, and its preferred vector size is
 * at least 512 bits; otherwise the plain kernels are used and, when the property asked for vectors, one warning
 * names the reason (through {@link System.Logger}). JDK 17's incubating API has no float-to-int conversion
 * intrinsic: the vector kernels measured slower than the plain ones there.
 *
 * <h2>Contract of every kernel</h2>
 * Element {@code i} of a slice uses the {@code i}-th 24-bit uniform of the random stream from its current
 * position (see {@link LaneRandom}); 4-bit codes are packed eight to a little-endian 32-bit word, element
 * {@code 8m + j} in bits {@code 4j .. 4j + 3} of word {@code m}, words written at {@code dst[p]}, {@code dst[p + 4]},
 * ...; {@code len} is a multiple of 16. The caller has checked the scale fields (finite, and a multiplier that
 * keeps every level in range).
 */
class QuantKernels {
    /*
     * The plain kernels are scalar Java. What made the old 4-bit encoders slow was the random stream: one
     * xoroshiro128+ generator is a chain of dependent operations, four draws per word of eight codes. With eight
     * independent lanes, four of them advance side by side in registers while the codes of their eight elements
     * are computed, so the chain no longer sets the pace. (A form in passes, conversion then rounding then
     * packing through scratch arrays, measured slower on JDK 17: writing the uniforms to memory costs more than it
     * saves.)
     */
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Mask of the 24 fraction bits of QSGD's and NUQSGD's fixed point. */
    static final int M24 = 0xFF_FFFF;
    /** Mask of the 23 fraction bits of max-min's fixed point. */
    static final int M23 = 0x7F_FFFF;
    /** NUQSGD at 4 bits: s = 7 non-zero levels 2^-6 .. 1. */
    static final int NUQ_S = 7;

    QuantKernels() {
    }

    /** The implementation of this JVM (see the class comment). */
    static QuantKernels get() {
        return Holder.INSTANCE;
    }

    /** The plain implementation. */
    static QuantKernels plain() {
        return Holder.PLAIN;
    }

    /**
     * A new instance of the vector kernels whatever the JDK version (tests: their output is the same on every JDK,
     * only their speed differs), or null if the module is absent or the processor's vectors are too short.
     */
    static QuantKernels vectorAnyVersion() {
        return Holder.loadVector(true);
    }

    /** Why the last attempt to load the vector kernels failed, or null if none failed. */
    static String vectorUnavailableReason() {
        return Holder.vectorReason;
    }

    /** "plain" or "vector". */
    String name() {
        return "plain";
    }

    private static final class Holder {
        static final QuantKernels PLAIN = new QuantKernels();
        static volatile String vectorReason;
        static final QuantKernels INSTANCE = choose();

        static QuantKernels loadVector(boolean anyVersion) {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                vectorReason = "the JVM was not started with --add-modules jdk.incubator.vector";
                return null;
            }
            if (!anyVersion && Runtime.version().feature() < 21) {
                vectorReason = "JDK " + Runtime.version().feature() + " is older than 21 (its vector API lacks the"
                        + " float-to-int conversion intrinsic; the plain kernels are faster there)";
                return null;
            }
            try {
                return (QuantKernels) Class.forName("org.scaleml.comm.codec.VectorKernels")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                vectorReason = "the vector kernels could not be loaded: " + cause.getMessage();
                return null;
            }
        }

        private static QuantKernels choose() {
            if (!Boolean.getBoolean("scaleml.simd")) { // the vector kernels are loaded only when asked for
                return PLAIN;
            }
            QuantKernels vector = loadVector(false);
            if (vector == null) {
                System.getLogger(QuantKernels.class.getName()).log(System.Logger.Level.WARNING,
                        "scaleml.simd=true ignored, using the plain codec kernels: " + vectorReason);
                return PLAIN;
            }
            return vector;
        }
    }

    // ------------------------------------------------------------------------------------------ random stream

    /**
     * Advances the eight xoroshiro128+ lanes {@code (s0[j], s1[j])} {@code steps} times and writes the two
     * uniforms of every draw: draw {@code 8t + j} (step t, lane j) gives {@code u[off + 16t + 2j]} = its bits
     * 8..31 and {@code u[off + 16t + 2j + 1]} = its bits 40..63.
     */
    void uniforms(long[] s0, long[] s1, int[] u, int off, int steps) {
        for (int half = 0; half < LaneRandom.LANES; half += 4) { // four lanes at a time, in registers
            long a0 = s0[half];
            long a1 = s0[half + 1];
            long a2 = s0[half + 2];
            long a3 = s0[half + 3];
            long b0 = s1[half];
            long b1 = s1[half + 1];
            long b2 = s1[half + 2];
            long b3 = s1[half + 3];
            for (int t = 0, q = off + 2 * half; t < steps; t++, q += 2 * LaneRandom.LANES) {
                long r0 = a0 + b0;
                long r1 = a1 + b1;
                long r2 = a2 + b2;
                long r3 = a3 + b3;
                u[q] = LaneRandom.lowUniform(r0);
                u[q + 1] = LaneRandom.highUniform(r0);
                u[q + 2] = LaneRandom.lowUniform(r1);
                u[q + 3] = LaneRandom.highUniform(r1);
                u[q + 4] = LaneRandom.lowUniform(r2);
                u[q + 5] = LaneRandom.highUniform(r2);
                u[q + 6] = LaneRandom.lowUniform(r3);
                u[q + 7] = LaneRandom.highUniform(r3);
                b0 ^= a0;
                a0 = Long.rotateLeft(a0, 24) ^ b0 ^ (b0 << 16);
                b0 = Long.rotateLeft(b0, 37);
                b1 ^= a1;
                a1 = Long.rotateLeft(a1, 24) ^ b1 ^ (b1 << 16);
                b1 = Long.rotateLeft(b1, 37);
                b2 ^= a2;
                a2 = Long.rotateLeft(a2, 24) ^ b2 ^ (b2 << 16);
                b2 = Long.rotateLeft(b2, 37);
                b3 ^= a3;
                a3 = Long.rotateLeft(a3, 24) ^ b3 ^ (b3 << 16);
                b3 = Long.rotateLeft(b3, 37);
            }
            s0[half] = a0;
            s0[half + 1] = a1;
            s0[half + 2] = a2;
            s0[half + 3] = a3;
            s1[half] = b0;
            s1[half + 1] = b1;
            s1[half + 2] = b2;
            s1[half + 3] = b3;
        }
    }

    // ------------------------------------------------------------------------------------------ 4-bit codes
    //
    // The word kernels draw their own uniforms: each takes the random stream's lane states, quantizes
    // src[off, off + len) (len a multiple of 16) and advances every lane len / 16 steps, so that element
    // 16t + 2j + e rounds with uniform e of lane j's draw in step t, exactly as if the uniforms had been filled by
    // uniforms() first. The plain kernel makes two passes over the slice, lanes 0..3 (the first word of every
    // step) and lanes 4..7 (the second), each with its four lanes' states in registers; the quantizer is chosen
    // once per word (a switch the branch predictor always gets right).

    /** Quantizer kinds of {@link #words4}. */
    static final int QSGD = 0;
    static final int MAXMIN = 1;
    static final int NUQSGD = 2;

    /**
     * QSGD at 4 bits: {@code w = (int) (|x| * k)} (at most 7 * 2^24), level
     * {@code (w >>> 24) + [u < (w & M24)]}, code = level, with bit 3 the sign of x when the level is not 0.
     * Returns the offset after the last word.
     */
    final int qsgd4(float[] src, int off, int len, float k, long[] s0, long[] s1, byte[] dst, int p) {
        return words4(QSGD, src, off, len, k, 0f, s0, s1, dst, p);
    }

    /**
     * Max-min at 4 bits: {@code w = (int) ((x - min) * k)} (at most 15 * 2^23), level
     * {@code (w >>> 23) + [(u >>> 1) < (w & M23)]}.
     */
    final int maxmin4(float[] src, int off, int len, float min, float k, long[] s0, long[] s1, byte[] dst, int p) {
        return words4(MAXMIN, src, off, len, k, min, s0, s1, dst, p);
    }

    /**
     * NUQSGD at 4 bits (levels 0, 2^-6, ..., 1/2, 1): with {@code v = min(|x| * inv, 1)} and its float bits b, the
     * interval is {@code j = (b >>> 23) - 120} with threshold {@code t = (b & 0x7FFFFF) << 1} when
     * {@code v >= 2^-6}, else {@code j = 0} with {@code t = (int) (v * 2^30)}; level {@code j + [u < t]}, sign as
     * in QSGD. Equal to the level table's interval search and threshold for these levels (the levels are powers
     * of two, so both are exact).
     */
    final int nuqsgd4(float[] src, int off, int len, float inv, long[] s0, long[] s1, byte[] dst, int p) {
        return words4(NUQSGD, src, off, len, inv, 0f, s0, s1, dst, p);
    }

    /**
     * The word kernel of quantizer {@code kind} with scale {@code k} (and {@code min} for max-min). The plain
     * version keeps one loop per quantizer: a shared loop calling a per-quantizer word method measured slower on
     * JDK 17, whose compiler then declines to inline the word methods (too large) and pays a call per word.
     */
    int words4(int kind, float[] src, int off, int len, float k, float min, long[] s0, long[] s1, byte[] dst,
               int p) {
        switch (kind) {
            case QSGD:
                return qsgdWords(src, off, len, k, s0, s1, dst, p);
            case MAXMIN:
                return maxminWords(src, off, len, min, k, s0, s1, dst, p);
            default:
                return nuqsgdWords(src, off, len, k, s0, s1, dst, p);
        }
    }

    private static int qsgdWords(float[] src, int off, int len, float k, long[] s0, long[] s1, byte[] dst, int p) {
        final int steps = len >>> 4;
        for (int h = 0; h < LaneRandom.LANES; h += 4) {
            long a0 = s0[h];
            long a1 = s0[h + 1];
            long a2 = s0[h + 2];
            long a3 = s0[h + 3];
            long b0 = s1[h];
            long b1 = s1[h + 1];
            long b2 = s1[h + 2];
            long b3 = s1[h + 3];
            for (int t = 0, o = off + 2 * h, q = p + h; t < steps; t++, o += 16, q += 8) {
                long r0 = a0 + b0;
                long r1 = a1 + b1;
                long r2 = a2 + b2;
                long r3 = a3 + b3;
                final int w = magnitudeCode(src[o], k, LaneRandom.lowUniform(r0))
                        | magnitudeCode(src[o + 1], k, LaneRandom.highUniform(r0)) << 4
                        | magnitudeCode(src[o + 2], k, LaneRandom.lowUniform(r1)) << 8
                        | magnitudeCode(src[o + 3], k, LaneRandom.highUniform(r1)) << 12
                        | magnitudeCode(src[o + 4], k, LaneRandom.lowUniform(r2)) << 16
                        | magnitudeCode(src[o + 5], k, LaneRandom.highUniform(r2)) << 20
                        | magnitudeCode(src[o + 6], k, LaneRandom.lowUniform(r3)) << 24
                        | magnitudeCode(src[o + 7], k, LaneRandom.highUniform(r3)) << 28;
                INT.set(dst, q, clearZeroSigns(w));
                b0 ^= a0;
                a0 = Long.rotateLeft(a0, 24) ^ b0 ^ (b0 << 16);
                b0 = Long.rotateLeft(b0, 37);
                b1 ^= a1;
                a1 = Long.rotateLeft(a1, 24) ^ b1 ^ (b1 << 16);
                b1 = Long.rotateLeft(b1, 37);
                b2 ^= a2;
                a2 = Long.rotateLeft(a2, 24) ^ b2 ^ (b2 << 16);
                b2 = Long.rotateLeft(b2, 37);
                b3 ^= a3;
                a3 = Long.rotateLeft(a3, 24) ^ b3 ^ (b3 << 16);
                b3 = Long.rotateLeft(b3, 37);
            }
            s0[h] = a0;
            s0[h + 1] = a1;
            s0[h + 2] = a2;
            s0[h + 3] = a3;
            s1[h] = b0;
            s1[h + 1] = b1;
            s1[h + 2] = b2;
            s1[h + 3] = b3;
        }
        return p + (len >>> 1);
    }

    private static int maxminWords(float[] src, int off, int len, float min, float k, long[] s0, long[] s1, byte[] dst,
                                   int p) {
        final int steps = len >>> 4;
        for (int h = 0; h < LaneRandom.LANES; h += 4) {
            long a0 = s0[h];
            long a1 = s0[h + 1];
            long a2 = s0[h + 2];
            long a3 = s0[h + 3];
            long b0 = s1[h];
            long b1 = s1[h + 1];
            long b2 = s1[h + 2];
            long b3 = s1[h + 3];
            for (int t = 0, o = off + 2 * h, q = p + h; t < steps; t++, o += 16, q += 8) {
                long r0 = a0 + b0;
                long r1 = a1 + b1;
                long r2 = a2 + b2;
                long r3 = a3 + b3;
                INT.set(dst, q, rangeCode(src[o], min, k, LaneRandom.lowUniform(r0))
                        | rangeCode(src[o + 1], min, k, LaneRandom.highUniform(r0)) << 4
                        | rangeCode(src[o + 2], min, k, LaneRandom.lowUniform(r1)) << 8
                        | rangeCode(src[o + 3], min, k, LaneRandom.highUniform(r1)) << 12
                        | rangeCode(src[o + 4], min, k, LaneRandom.lowUniform(r2)) << 16
                        | rangeCode(src[o + 5], min, k, LaneRandom.highUniform(r2)) << 20
                        | rangeCode(src[o + 6], min, k, LaneRandom.lowUniform(r3)) << 24
                        | rangeCode(src[o + 7], min, k, LaneRandom.highUniform(r3)) << 28);
                b0 ^= a0;
                a0 = Long.rotateLeft(a0, 24) ^ b0 ^ (b0 << 16);
                b0 = Long.rotateLeft(b0, 37);
                b1 ^= a1;
                a1 = Long.rotateLeft(a1, 24) ^ b1 ^ (b1 << 16);
                b1 = Long.rotateLeft(b1, 37);
                b2 ^= a2;
                a2 = Long.rotateLeft(a2, 24) ^ b2 ^ (b2 << 16);
                b2 = Long.rotateLeft(b2, 37);
                b3 ^= a3;
                a3 = Long.rotateLeft(a3, 24) ^ b3 ^ (b3 << 16);
                b3 = Long.rotateLeft(b3, 37);
            }
            s0[h] = a0;
            s0[h + 1] = a1;
            s0[h + 2] = a2;
            s0[h + 3] = a3;
            s1[h] = b0;
            s1[h + 1] = b1;
            s1[h + 2] = b2;
            s1[h + 3] = b3;
        }
        return p + (len >>> 1);
    }

    private static int nuqsgdWords(float[] src, int off, int len, float inv, long[] s0, long[] s1, byte[] dst,
                                   int p) {
        final int steps = len >>> 4;
        for (int h = 0; h < LaneRandom.LANES; h += 4) {
            long a0 = s0[h];
            long a1 = s0[h + 1];
            long a2 = s0[h + 2];
            long a3 = s0[h + 3];
            long b0 = s1[h];
            long b1 = s1[h + 1];
            long b2 = s1[h + 2];
            long b3 = s1[h + 3];
            for (int t = 0, o = off + 2 * h, q = p + h; t < steps; t++, o += 16, q += 8) {
                long r0 = a0 + b0;
                long r1 = a1 + b1;
                long r2 = a2 + b2;
                long r3 = a3 + b3;
                INT.set(dst, q, clearZeroSigns(exponentCode(src[o], inv, LaneRandom.lowUniform(r0))
                        | exponentCode(src[o + 1], inv, LaneRandom.highUniform(r0)) << 4
                        | exponentCode(src[o + 2], inv, LaneRandom.lowUniform(r1)) << 8
                        | exponentCode(src[o + 3], inv, LaneRandom.highUniform(r1)) << 12
                        | exponentCode(src[o + 4], inv, LaneRandom.lowUniform(r2)) << 16
                        | exponentCode(src[o + 5], inv, LaneRandom.highUniform(r2)) << 20
                        | exponentCode(src[o + 6], inv, LaneRandom.lowUniform(r3)) << 24
                        | exponentCode(src[o + 7], inv, LaneRandom.highUniform(r3)) << 28));
                b0 ^= a0;
                a0 = Long.rotateLeft(a0, 24) ^ b0 ^ (b0 << 16);
                b0 = Long.rotateLeft(b0, 37);
                b1 ^= a1;
                a1 = Long.rotateLeft(a1, 24) ^ b1 ^ (b1 << 16);
                b1 = Long.rotateLeft(b1, 37);
                b2 ^= a2;
                a2 = Long.rotateLeft(a2, 24) ^ b2 ^ (b2 << 16);
                b2 = Long.rotateLeft(b2, 37);
                b3 ^= a3;
                a3 = Long.rotateLeft(a3, 24) ^ b3 ^ (b3 << 16);
                b3 = Long.rotateLeft(b3, 37);
            }
            s0[h] = a0;
            s0[h + 1] = a1;
            s0[h + 2] = a2;
            s0[h + 3] = a3;
            s1[h] = b0;
            s1[h + 1] = b1;
            s1[h + 2] = b2;
            s1[h + 3] = b3;
        }
        return p + (len >>> 1);
    }

    /**
     * The 4-bit QSGD code of {@code x} at fixed-point scale {@code k} with the 24-bit uniform {@code r}, except that
     * the sign bit is kept when the level is 0 ({@link #clearZeroSigns} clears those for a word at once).
     */
    static int magnitudeCode(float x, float k, int r) {
        return level24((int) (Math.abs(x) * k), r) | ((Float.floatToRawIntBits(x) >>> 28) & 8);
    }

    /**
     * Unbiased rounding of a fixed-point value {@code w} with 24 fraction bits: its integer part, plus 1 when the
     * 24-bit uniform {@code r} is below its fraction (so with probability fraction / 2^24). QSGD's level.
     */
    static int level24(int w, int r) {
        return (w >>> 24) + ((r - (w & M24)) >>> 31);
    }

    /** As {@link #level24} with 23 fraction bits and a 23-bit uniform: max-min's level. */
    static int level23(int w, int r) {
        return (w >>> 23) + ((r - (w & M23)) >>> 31);
    }

    /** Clears the sign bit of every 4-bit code of {@code w} whose level (its low three bits) is 0. */
    static int clearZeroSigns(int w) {
        int nonzero = (w | w >>> 1 | w >>> 2) & 0x1111_1111;
        return w & (0x7777_7777 | nonzero << 3);
    }

    /** The max-min level of {@code x} in a bucket from {@code min} at scale {@code k}, 24-bit uniform {@code r}. */
    static int rangeCode(float x, float min, float k, int r) {
        return level23((int) ((x - min) * k), r >>> 1);
    }

    /**
     * The 4-bit NUQSGD code of {@code x} at scale {@code inv = 1 / N} with the 24-bit uniform {@code r}, the sign
     * bit kept when the level is 0 (see {@link #clearZeroSigns}).
     */
    static int exponentCode(float x, float inv, int r) {
        float v = Math.min(Math.abs(x) * inv, 1f);
        int b = Float.floatToRawIntBits(v);
        int j = (b >>> 23) - (127 - NUQ_S);
        int below = (j - 1) >> 31; // all ones when v < 2^-6 (j < 1), branch-free: the case is data-dependent
        int t = ((b & M23) << 1 & ~below) | ((int) (v * 0x1p30f) & below);
        int level = (j & ~below) + ((r - t) >>> 31);
        return level | ((Float.floatToRawIntBits(x) >>> 28) & 8);
    }

    // ------------------------------------------------------------------------------------------ bucket scales

    /**
     * The sum of squares of {@code src[off, off + len)} in double, over eight chains: chain j sums the squares of
     * the elements at offsets {@code 8i + j} of the full groups of eight, chain 0 also those of the tail, and the
     * result is {@code ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))}. Every implementation adds in exactly
     * this order, so the bucket norms (and so the payloads) do not depend on the implementation.
     */
    double sumOfSquares(float[] src, int off, int len) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double a4 = 0;
        double a5 = 0;
        double a6 = 0;
        double a7 = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            final int o = off + i;
            double x0 = src[o];
            double x1 = src[o + 1];
            double x2 = src[o + 2];
            double x3 = src[o + 3];
            double x4 = src[o + 4];
            double x5 = src[o + 5];
            double x6 = src[o + 6];
            double x7 = src[o + 7];
            a0 += x0 * x0;
            a1 += x1 * x1;
            a2 += x2 * x2;
            a3 += x3 * x3;
            a4 += x4 * x4;
            a5 += x5 * x5;
            a6 += x6 * x6;
            a7 += x7 * x7;
        }
        return sumOfSquaresTail(src, off + i, len - i, a0, a1, a2, a3, a4, a5, a6, a7);
    }

    /** Adds the tail's squares to chain 0 and combines the eight chains in the documented order. */
    static double sumOfSquaresTail(float[] src, int off, int len, double a0, double a1, double a2, double a3,
                                   double a4, double a5, double a6, double a7) {
        for (int i = 0; i < len; i++) {
            double x = src[off + i];
            a0 += x * x;
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * The minimum and maximum of {@code src[off, off + len)}, {@code len >= 1}, as
     * {@code Math.min}/{@code Math.max} over all elements (NaN if any element is NaN; -0 below +0): the float bits
     * of the minimum in the high 32 bits, of the maximum in the low 32.
     */
    long range(float[] src, int off, int len) {
        float mn0 = src[off];
        float mx0 = mn0;
        float mn1 = mn0;
        float mx1 = mn0;
        int i = 1;
        for (; i + 2 <= len; i += 2) { // two chains; Math.min/max propagate NaN
            float a = src[off + i];
            float b = src[off + i + 1];
            mn0 = Math.min(mn0, a);
            mx0 = Math.max(mx0, a);
            mn1 = Math.min(mn1, b);
            mx1 = Math.max(mx1, b);
        }
        for (; i < len; i++) {
            mn0 = Math.min(mn0, src[off + i]);
            mx0 = Math.max(mx0, src[off + i]);
        }
        return packRange(Math.min(mn0, mn1), Math.max(mx0, mx1));
    }

    static long packRange(float min, float max) {
        return (long) Float.floatToRawIntBits(min) << 32 | (Float.floatToRawIntBits(max) & 0xFFFF_FFFFL);
    }

    // ------------------------------------------------------------------------------------------ TopK scan

    /**
     * Gathers, in index order, every element of {@code src[off, off + n)} whose magnitude key
     * ({@code bits & 0x7FFFFFFF}) is at least {@code lower}: its index into {@code idx} and its raw float bits into
     * {@code bits}. Returns the number gathered, or -1 as soon as more than {@code cap} were found.
     */
    int collect(float[] src, int off, int n, int lower, int cap, int[] idx, int[] bits) {
        return gather(src, off, 0, n, lower, cap, idx, bits, 0);
    }

    /**
     * The scan of {@link #collect} over indices {@code [from, to)}, appending after the {@code m} candidates already
     * gathered; returns the new count, or -1 as soon as it would pass {@code cap}.
     */
    static int gather(float[] src, int off, int from, int to, int lower, int cap, int[] idx, int[] bits, int m) {
        for (int i = from; i < to; i++) {
            int x = Float.floatToRawIntBits(src[off + i]);
            if ((x & MagnitudeSelector.KEY_MASK) >= lower) { // rarely taken: cheaper than a branch-free append
                if (m == cap) {
                    return -1;
                }
                idx[m] = i;
                bits[m] = x;
                m++;
            }
        }
        return m;
    }
}
