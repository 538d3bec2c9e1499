package org.scaleml.comm.codec;

/**
 * Max-min quantization as in CGX: {@code maxmin:bits=B,bucket=D} (defaults 4 and 512; {@code B} in [1, 8]). Each
 * bucket of {@code D} elements (the last may be shorter) is described by its minimum and maximum, and each element
 * is rounded stochastically, without bias, to one of the {@code 2^B} levels
 * {@code min + q (max - min) / (2^B - 1)}, {@code q = 0 .. 2^B - 1}, evenly spaced in {@code [min, max]}.
 *
 * <h2>Contract</h2>
 * Lossy and unbiased ({@code E[decode(encode(v))] = v} up to float rounding; rounding probabilities resolved to
 * 2^-23). Variance per element at most {@code ((max - min) / (2^B - 1))^2 / 4}. A constant bucket (including an
 * all-zero one) decodes exactly; the bucket's minimum and maximum elements decode exactly. Inputs must be finite
 * ({@link IllegalArgumentException} otherwise). Encoding is not thread-safe (random stream); decoding is.
 *
 * <h2>Body layout</h2>
 * <pre>
 * ranges   8 * ceil(n / D)     per bucket, bucket 0 first: float32 LE min, then float32 LE max; finite,
 *                              min &lt;= max
 * codes    ceil(n * B / 8)     per element one B-bit level q in a continuous LSB-first bit stream (element i
 *                              at stream bits [iB, iB + B))
 * </pre>
 * Wire size, exactly: {@code 10 + 8 ceil(n / D) + ceil(n B / 8)} bytes; bits per element
 * {@code 8 (10 + 8 ceil(n / D) + ceil(n B / 8)) / n}, i.e. {@code B + 64 / D} for large {@code n}. Decoders reject
 * any other body length and a range with a non-finite bound or {@code min > max}; every B-bit value is a level.
 */
final class MaxMinCodec extends FixedWidthQuantizer {
    /*
     * Algorithm ([1] I. Markov, H. Ramezanikebrya, D. Alistarh, "CGX: Adaptive System Support for
     * Communication-Efficient Deep Learning", Middleware 2022; the per-bucket max-min quantizer that CGX runs inside
     * its collectives). With Q = 2^B - 1 intervals of width w = (max - min) / Q, an element x has
     * u = (x - min) / w in [0, Q]; it gets level floor(u) + 1 with probability u - floor(u), else floor(u), so
     * E[min + level w] = x. Unlike the norm-scaled quantizers there is no sign: the grid covers the bucket's actual
     * range, which suits skewed buckets, at the price of a second float per bucket.
     *
     * Implementation as in QsgdCodec: u in fixed point with 23 fraction bits, W = (int) ((x - min) * k),
     * k = Q 2^23 / (max - min) (255 * 2^23 < 2^31), lowered by ulps until (max - min) * k <= Q 2^23 in float so no
     * element exceeds level Q; a 23-bit uniform (the top 23 of the element's 24 random bits) against the
     * fraction decides the rounding.
     * Ranges whose width or k overflow a float take a slower path in double. With bits = 4, QuantKernels.maxmin4
     * stores eight codes per word, and the bucket's range comes from QuantKernels.range. Speeds:
     * docs/BENCHMARKS.md, "Codec kernels".
     */
    private static final int FRACTION_BITS = 23;

    /** Q = 2^bits - 1, the largest level. */
    private final int q;
    /** Q * 2^23. */
    private final float top;

    // state of the current bucket (encoder)
    private float min;
    private float k;
    private boolean slow;
    private double slowMin;
    private double slowK;

    MaxMinCodec(int bits, int bucket, long seed) {
        super(CodecIds.MAXMIN, "maxmin:bits=" + bits + ",bucket=" + bucket, bits, bucket, seed);
        this.q = (1 << bits) - 1;
        this.top = q * (float) (1 << FRACTION_BITS);
    }

    @Override
    int headerBytes() {
        return 8;
    }

    @Override
    void beginBucket(float[] src, int off, int len, int index, byte[] dst, int headerOff) {
        final long range = QuantKernels.get().range(src, off, len);
        final float mn = Float.intBitsToFloat((int) (range >>> 32));
        final float mx = Float.intBitsToFloat((int) range);
        if (!(Float.isFinite(mn) && Float.isFinite(mx))) {
            throw nonFinite(src, off, len, spec());
        }
        Wire.putFloat(dst, headerOff, mn);
        Wire.putFloat(dst, headerOff + 4, mx);
        min = mn;
        float width = mx - mn;
        if (width == 0f) {
            k = 0f;
            slow = false;
            return;
        }
        float f = top / width;
        slow = width == Float.POSITIVE_INFINITY || f == Float.POSITIVE_INFINITY;
        if (slow) {
            slowMin = mn;
            slowK = top / ((double) mx - mn);
            return;
        }
        while (width * f > top) {
            f = Math.nextDown(f);
        }
        k = f;
    }

    @Override
    void quantize(float[] src, int off, int len, int[] u, int uOff, byte[] codes) {
        if (slow) {
            for (int i = 0; i < len; i++) {
                codes[i] = (byte) QuantKernels.level23(slowFixed(src[off + i]), u[uOff + i] >>> 1);
            }
            return;
        }
        final float mn = min;
        final float k = this.k;
        for (int i = 0; i < len; i++) {
            codes[i] = (byte) QuantKernels.rangeCode(src[off + i], mn, k, u[uOff + i]);
        }
    }

    @Override
    int quantizeWords4(float[] src, int off, int len, byte[] dst, int p) {
        if (slow) {
            return 0;
        }
        QuantKernels.get().maxmin4(src, off, len, min, k, random.s0, random.s1, dst, p);
        return len;
    }

    private int slowFixed(float x) {
        return (int) Math.min((x - slowMin) * slowK, top);
    }

    @Override
    void checkHeader(byte[] src, int headerOff, int index) {
        float mn = Wire.getFloat(src, headerOff);
        float mx = Wire.getFloat(src, headerOff + 4);
        if (!(Float.isFinite(mn) && Float.isFinite(mx) && mn <= mx)) {
            throw malformed("bucket " + index + " has range [" + mn + ", " + mx
                    + "] (bounds must be finite, min <= max)");
        }
    }

    @Override
    void decodeTable(byte[] src, int headerOff, Object prefix, float[] table) {
        double mn = Wire.getFloat(src, headerOff);
        float mx = Wire.getFloat(src, headerOff + 4);
        double width = (double) mx - mn;
        for (int l = 0; l < q; l++) {
            table[l] = (float) (mn + width * l / q);
        }
        table[q] = mx;
    }
}
