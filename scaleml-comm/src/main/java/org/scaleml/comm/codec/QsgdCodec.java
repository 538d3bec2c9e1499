package org.scaleml.comm.codec;

/**
 * QSGD with fixed-width codes: {@code qsgd:bits=B,bucket=D,norm=l2|max} (defaults 4, 512, l2; {@code B} in
 * [2, 8]). Each bucket of {@code D} elements (the last may be shorter) is scaled by its L2 norm (or, with
 * {@code norm=max}, its largest magnitude) and each element becomes a sign and a level {@code l} in
 * {@code {0..s}}, {@code s = 2^(B-1) - 1}, by unbiased stochastic rounding of {@code s |v_i| / scale}; it decodes
 * to {@code sign * scale * l / s}.
 *
 * <h2>Contract</h2>
 * Lossy and unbiased: {@code E[decode(encode(v))] = v} up to float rounding (the rounding probability is resolved
 * to 2^-24). Variance per bucket, with the L2 scale, at most {@code min(d / s^2, sqrt(d) / s) ||v||^2} ([1],
 * Lemma 3.1); with the max scale at most {@code d * max|v|^2 / (4 s^2)}. A zero bucket has scale 0 and decodes to
 * +0. Inputs must be finite ({@link IllegalArgumentException} otherwise). Encoding is not thread-safe (random
 * stream); decoding is. No allocation per element.
 *
 * <h2>Body layout</h2>
 * <pre>
 * scales   4 * ceil(n / D)     float32 LE per bucket, bucket 0 first: the L2 norm (or max |v|), finite, &gt;= 0
 * codes    ceil(n * B / 8)     per element, one B-bit code in a continuous LSB-first bit stream (element i at
 *                              stream bits [iB, iB + B)): bits 0..B-2 hold the level l, bit B-1 the sign
 *                              (1 = negative; always 0 when l = 0)
 * </pre>
 * Wire size, exactly: {@code 10 + 4 ceil(n / D) + ceil(n B / 8)} bytes; bits per element
 * {@code 8 (10 + 4 ceil(n / D) + ceil(n B / 8)) / n}, i.e. {@code B + 32 / D} for large {@code n}. A decoder
 * rejects a body of any other length and a scale that is negative, infinite or NaN; every code value is a valid
 * level (the level field has exactly {@code s + 1} values).
 */
final class QsgdCodec extends FixedWidthQuantizer {
    /*
     * Algorithm ([1] D. Alistarh, D. Grubic, J. Li, R. Tomioka, M. Vojnovic, "QSGD: Communication-Efficient SGD
     * via Gradient Quantization and Encoding", NeurIPS 2017). For a bucket v with scale S (||v||_2 in the paper)
     * and an element x, let u = s|x|/S in [0, s] and l = floor(u): the level is l + 1 with probability u - l,
     * else l, so E[level] = u and E[S * level / s] = |x|. The variance per element is (S/s)^2 (u - l)(1 - u + l)
     * <= (S/s)^2 min(u, 1/4), which sums to the paper's min(d/s^2, sqrt(d)/s) ||v||^2 bound.
     *
     * Implementation. Per bucket: one pass for the scale (four independent double accumulators for the L2 norm,
     * an integer max over the magnitude bits for the max norm), then one pass that rounds, while the bucket is
     * still in L1. The rounding pass makes one float multiply and one conversion per element:
     * W = (int) (|x| * k) with k = s 2^24 / S is u in fixed point with 24 fraction bits, so l = W >>> 24 and
     * t = W & (2^24 - 1) is the rounding threshold: a 24-bit uniform r rounds up iff r < t, an integer compare,
     * so P(up) = (u - l) to within 2^-24. The uniforms come from the encoder's LaneRandom, two per 64-bit draw
     * (bits 8..31 and 40..63; the weak lowest bits are skipped). k is lowered by an ulp or two until
     * S * k <= s 2^24 in float arithmetic; as float multiplication is monotone, no |x| <= S can then give
     * W > s 2^24, i.e. a level above s, without a clamp in the loop. A scale so small that k overflows a float
     * takes a slower path that multiplies in double. With bits = 4, QuantKernels.qsgd4 assembles the codes of
     * eight elements in a register and stores them as one word, drawing the uniforms from four of the stream's
     * lanes at once (or sixteen elements per step in the vector kernels). Speeds: docs/BENCHMARKS.md, "Codec
     * kernels".
     */
    private final boolean maxNorm;
    /** Number of non-zero levels, s = 2^(bits-1) - 1. */
    private final int s;
    /** s * 2^24, the largest fixed-point magnitude. */
    private final float top;

    // state of the current bucket (encoder)
    private float k;
    private double slowK;
    private boolean slow;

    QsgdCodec(int bits, int bucket, boolean maxNorm, long seed) {
        super(CodecIds.QSGD, "qsgd:bits=" + bits + ",bucket=" + bucket + ",norm=" + (maxNorm ? "max" : "l2"), bits,
                bucket, seed);
        this.maxNorm = maxNorm;
        this.s = (1 << (bits - 1)) - 1;
        this.top = s * 0x1p24f;
    }

    @Override
    int headerBytes() {
        return 4;
    }

    @Override
    void beginBucket(float[] src, int off, int len, int index, byte[] dst, int headerOff) {
        final float scale = maxNorm ? maxAbs(src, off, len) : l2Norm(src, off, len, spec());
        Wire.putFloat(dst, headerOff, scale);
        if (scale == 0f) {
            k = 0f;
            slow = false;
            return;
        }
        float f = (float) (top / (double) scale);
        slow = f == Float.POSITIVE_INFINITY;
        if (slow) {
            slowK = top / (double) scale;
            return;
        }
        while (f * scale > top) {
            f = Math.nextDown(f);
        }
        k = f;
    }

    @Override
    void quantize(float[] src, int off, int len, int[] u, int uOff, byte[] codes) {
        final int signShift = bits - 1;
        if (slow) { // a subnormal scale: multiply in double
            final double ks = slowK;
            for (int i = 0; i < len; i++) {
                codes[i] = (byte) code((int) (Math.abs(src[off + i]) * ks), src[off + i], u[uOff + i], signShift);
            }
            return;
        }
        final float k = this.k;
        for (int i = 0; i < len; i++) {
            float x = src[off + i];
            codes[i] = (byte) code((int) (Math.abs(x) * k), x, u[uOff + i], signShift);
        }
    }

    @Override
    int quantizeWords4(float[] src, int off, int len, byte[] dst, int p) {
        if (slow) {
            return 0;
        }
        QuantKernels.get().qsgd4(src, off, len, k, random.s0, random.s1, dst, p);
        return len;
    }

    /**
     * The code of an element {@code x} whose magnitude in fixed point (24 fraction bits, at most s 2^24) is
     * {@code w}, with the 24-bit uniform {@code r}: level l + [r &lt; t], and the sign of x unless the level is 0.
     */
    private static int code(int w, float x, int r, int signShift) {
        int level = QuantKernels.level24(w, r);
        return level | ((Float.floatToRawIntBits(x) >>> 31) & (-level >>> 31)) << signShift;
    }

    /**
     * Largest magnitude as a float, from the magnitude bits (integer maxima over four independent chains: the
     * order of non-negative floats is the order of their bits).
     */
    private float maxAbs(float[] src, int off, int len) {
        int m0 = 0;
        int m1 = 0;
        int m2 = 0;
        int m3 = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            m0 = Math.max(m0, Float.floatToRawIntBits(src[off + i]) & 0x7FFF_FFFF);
            m1 = Math.max(m1, Float.floatToRawIntBits(src[off + i + 1]) & 0x7FFF_FFFF);
            m2 = Math.max(m2, Float.floatToRawIntBits(src[off + i + 2]) & 0x7FFF_FFFF);
            m3 = Math.max(m3, Float.floatToRawIntBits(src[off + i + 3]) & 0x7FFF_FFFF);
        }
        for (; i < len; i++) {
            m0 = Math.max(m0, Float.floatToRawIntBits(src[off + i]) & 0x7FFF_FFFF);
        }
        int m = Math.max(Math.max(m0, m1), Math.max(m2, m3));
        if (m >= 0x7F80_0000) {
            throw nonFinite(src, off, len, spec());
        }
        return Float.intBitsToFloat(m);
    }

    @Override
    void checkHeader(byte[] src, int headerOff, int index) {
        float scale = Wire.getFloat(src, headerOff);
        if (!(scale >= 0f && scale <= Float.MAX_VALUE)) {
            throw malformed("bucket " + index + " has scale " + scale + " (must be finite and >= 0)");
        }
    }

    @Override
    void decodeTable(byte[] src, int headerOff, Object prefix, float[] table) {
        double scale = Wire.getFloat(src, headerOff);
        int sign = 1 << (bits - 1);
        table[0] = 0f;
        table[sign] = 0f;
        for (int l = 1; l <= s; l++) {
            float m = (float) (scale * l / s) + 0f; // + 0f: a -0 scale still decodes to +0
            table[l] = m;
            table[l | sign] = 0f - m;
        }
    }
}
