package org.scaleml.comm.codec;

/**
 * A bucketed, L2-normalized, unbiased stochastic quantizer onto an arbitrary table of levels
 * {@code 0 = l_0 < l_1 < ... < l_s = 1}, {@code s = 2^(bits-1) - 1}: the common part of {@code nuqsgd}
 * ({@link NuqsgdCodec}, fixed exponential levels) and {@code alq} / {@code amq} ({@link AdaptiveLevelsCodec},
 * levels fitted to the data and sent in the body).
 *
 * <p>Per bucket: the float32 L2 norm {@code N} as the header; per element a {@code bits}-bit code, the level index
 * in bits {@code 0..bits-2} and the sign in bit {@code bits-1} (0 when the index is 0), in the continuous bit stream
 * of {@link FixedWidthQuantizer}. An element {@code x} with {@code u = |x| / N} in {@code [l_j, l_(j+1)]} gets index
 * {@code j + 1} with probability {@code (u - l_j) / (l_(j+1) - l_j)}, else {@code j}, and decodes to
 * {@code sign * N * l_index}: unbiased, with variance {@code N^2 (l_(j+1) - u)(u - l_j)} per element.
 */
abstract class LevelTableCodec extends FixedWidthQuantizer {
    /*
     * Finding the interval of u fast, for any table. u is in [0, 1], so its float bits are at most 0x3F800000 and
     * bits >>> 17 (exponent and the top 6 mantissa bits: 64 bins per octave) is an index below 8129. bin[b] holds
     * the largest j <= s - 1 with l_j <= the smallest float of bin b, so l_bin[u] <= u; a short walk
     * (while u > l_(j+1): j++) then finds the interval. For exponential levels (NUQSGD) the walk never moves,
     * as the levels sit on bin boundaries; for fitted levels it moves rarely (64 bins per octave against at most
     * 127 levels over the few octaves where the data lie). The rounding threshold is
     * t = (u - l_j) * 2^24 / (l_(j+1) - l_j) in fixed point, compared with a 24-bit uniform, as in QsgdCodec;
     * the uniforms come from the encoder's LaneRandom, two per 64-bit draw. This element-by-element path serves
     * ALQ and AMQ at every width and NUQSGD at widths other than 4; 4-bit NUQSGD has a word path without the
     * table (NuqsgdCodec). Speeds: docs/BENCHMARKS.md, "Codec kernels".
     */
    /** Number of non-zero levels. */
    final int s;
    /** The levels l_0 .. l_s (l_0 = 0, l_s = 1) of the encoder. */
    final float[] levels;
    /** 2^24 / (l_(j+1) - l_j), j < s. */
    private final double[] invWidth;
    /** Interval lookup by the float bits of u >>> 17. */
    private final byte[] bin = new byte[(0x3F80_0000 >>> 17) + 1];

    // state of the current bucket (encoder)
    private float inv;
    private double slowInv;
    private boolean slow;

    LevelTableCodec(int id, String spec, int bits, int bucket, long seed) {
        super(id, spec, bits, bucket, seed);
        this.s = (1 << (bits - 1)) - 1;
        this.levels = new float[s + 1];
        this.invWidth = new double[s];
    }

    /** The exponential levels of NUQSGD: 0, 2^-(s-1), ..., 1/2, 1. */
    static float[] exponentialLevels(int s) {
        float[] l = new float[s + 1];
        for (int j = 1; j <= s; j++) {
            l[j] = Math.scalb(1f, j - s);
        }
        return l;
    }

    /** Installs the encoder's levels {@code l[0..s]} (strictly increasing, l[0] = 0, l[s] = 1). */
    final void setLevels(float[] l) {
        System.arraycopy(l, 0, levels, 0, s + 1);
        for (int j = 0; j < s; j++) {
            invWidth[j] = 0x1p24 / ((double) levels[j + 1] - levels[j]);
        }
        int j = 0;
        for (int b = 0; b < bin.length; b++) {
            float start = Float.intBitsToFloat(b << 17);
            while (j + 1 < s && levels[j + 1] <= start) {
                j++;
            }
            bin[b] = (byte) j;
        }
    }

    /** A copy of the encoder's current levels l_0 .. l_s. */
    final float[] levels() {
        return levels.clone();
    }

    @Override
    final int headerBytes() {
        return 4;
    }

    /** The norm of bucket {@code index}; by default computed here, adaptive codecs may have it already. */
    float bucketNorm(float[] src, int off, int len, int index) {
        return l2Norm(src, off, len, spec());
    }

    @Override
    final void beginBucket(float[] src, int off, int len, int index, byte[] dst, int headerOff) {
        final float norm = bucketNorm(src, off, len, index);
        Wire.putFloat(dst, headerOff, norm);
        if (norm == 0f) {
            inv = 0f;
            slow = false;
            return;
        }
        inv = 1f / norm;
        slow = inv == Float.POSITIVE_INFINITY;
        slowInv = 1.0 / norm;
    }

    @Override
    final void quantize(float[] src, int off, int len, int[] u, int uOff, byte[] codes) {
        final int signShift = bits - 1;
        final float inv = this.inv;
        final double slowInv = this.slowInv;
        final boolean slow = this.slow;
        for (int i = 0; i < len; i++) {
            float x = src[off + i];
            float v = slow ? (float) (Math.abs(x) * slowInv) : Math.abs(x) * inv;
            codes[i] = (byte) code(v, x, u[uOff + i], signShift);
        }
    }

    /** Whether the 4-bit word path may run for the current bucket (a normal, non-zero scale). */
    final boolean fastScale() {
        return !slow;
    }

    /** The scale multiplier 1 / N of the current bucket. */
    final float inverseNorm() {
        return inv;
    }

    /** The code of element {@code x} with normalized magnitude {@code u} and 24-bit uniform {@code r}. */
    private int code(float u, float x, int r, int signShift) {
        u = Math.min(u, 1f); // float rounding of |x| / N may pass 1 by an ulp
        final float[] l = levels;
        int j = bin[Float.floatToRawIntBits(u) >>> 17];
        while (u > l[j + 1]) {
            j++;
        }
        int t = (int) ((u - l[j]) * invWidth[j]);
        int level = j + ((r - t) >>> 31); // r < t: round up
        return level | ((Float.floatToRawIntBits(x) >>> 31) & (-level >>> 31)) << signShift;
    }

    @Override
    final void checkHeader(byte[] src, int headerOff, int index) {
        float norm = Wire.getFloat(src, headerOff);
        if (!(norm >= 0f && norm <= Float.MAX_VALUE)) {
            throw malformed("bucket " + index + " has norm " + norm + " (must be finite and >= 0)");
        }
    }

    /** The levels l_0 .. l_s a payload decodes with: {@code prefix} (from readPrefix) or the codec's own. */
    abstract float[] decodeLevels(Object prefix);

    @Override
    final void decodeTable(byte[] src, int headerOff, Object prefix, float[] table) {
        double norm = Wire.getFloat(src, headerOff);
        float[] l = decodeLevels(prefix);
        int sign = 1 << (bits - 1);
        table[0] = 0f;
        table[sign] = 0f;
        for (int j = 1; j <= s; j++) {
            float m = (float) (norm * l[j]) + 0f; // + 0f: a -0 norm still decodes to +0
            table[j] = m;
            table[j | sign] = 0f - m;
        }
    }
}
