package org.scaleml.comm.codec;

/**
 * TernGrad [1], {@code terngrad:bucket=D} (default D = 512): each bucket of D consecutive elements (the last one may
 * be shorter) is sent as its scale {@code s = max |v_i|} and one ternary code per element: element i decodes to
 * {@code s sign(v_i) b_i} with {@code b_i ~ Bernoulli(|v_i| / s)} drawn independently, so
 * {@code E[decode(encode(v))] = v}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Unbiased up to 24-bit resolution: the coin is a 24-bit uniform integer u compared with
 *       {@code t = floor(|v_i| (2^24 / s))} (float product), {@code b_i = [u < t]}, so
 *       {@code P(b_i = 1) = t / 2^24}, below {@code |v_i| / s} by less than {@code 2^-24} plus the rounding of the
 *       product: a bias of at most about {@code 2^-23 s} per element. Variance {@code s |v_i| - v_i^2} per
 *       element; relative error about 1.26 on Gaussian data with D = 512 (s is then about 3.1 standard
 *       deviations).</li>
 *   <li>Deterministic per seed (one 64-bit draw per two elements); not thread-safe; no scratch. Input with
 *       non-finite values cannot be scaled: {@code encode} throws {@link IllegalArgumentException} naming the
 *       bucket.</li>
 * </ul>
 *
 * <h2>Body</h2>
 * <pre>
 * offset      size          field
 *      0      4 ceil(n/D)   the scales of the buckets in order, float32, finite and &gt;= +0
 *  4 ceil(n/D)  ceil(2n/8)  2-bit codes: element i in byte i / 4 at bits 2 (i % 4) and 2 (i % 4) + 1 (least
 *                           significant first); 00 = 0, 01 = +s, 10 = -s, 11 is invalid; padding bits zero
 * </pre>
 * Wire size, exact: {@code 10 + 4 ceil(n / D) + ceil(2n / 8)} bytes; {@code bitsPerElement} is that times 8 / n,
 * {@code 2 + 32 / D} plus the header for large n (2.0625 for D = 512). Two bits instead of log2(3) = 1.58 keep
 * the codes at fixed positions (decodable in parallel, no arithmetic coding).
 */
final class TernGradCodec extends BucketScaledCodec {
    /*
     * [1] ternarizes a whole layer with s = max |v| after clipping the gradient at 2.5 standard deviations; scaling
     * per bucket of D elements instead (as QSGD and CGX do) bounds the damage one outlier does to s, and needs no
     * clipping to keep the variance down, at 32 / D extra bits per element.
     *
     * Per bucket: one pass for s (an int max over the magnitude bits, which vectorizes), then one pass over the
     * same cache-hot elements drawing the coins branch-free ((u - t) >>> 31) and appending 2-bit codes, two
     * elements at a time, to a 64-bit accumulator stored little-endian when full. Each 64-bit draw of the
     * xoroshiro128+ stream supplies two 24-bit uniforms (bits 40..63 and 16..39; its weak low bits are unused);
     * an odd bucket leaves its second uniform to the first element of the next. The decoder checks every code
     * byte for an 11 pair before writing anything, then expands a byte (four codes) at a time, branch-free: the
     * scale's bits if either code bit is set, or-ed with the high code bit as the sign.
     *
     * [1] W. Wen, C. Xu, F. Yan, C. Wu, Y. Wang, Y. Chen, H. Li, "TernGrad: Ternary Gradients to Reduce
     *     Communication in Distributed Deep Learning", NeurIPS 2017 (arXiv 1705.07878).
     */
    private final CodecRandom rnd;

    TernGradCodec(int bucket, long seed) {
        super(CodecIds.TERNGRAD, "terngrad", bucket, 2);
        this.rnd = new CodecRandom(seed);
    }

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int p) {
        final CodecRandom r = rnd;
        int sp = p;
        int cp = p + (int) (4 * buckets(n));
        long acc = 0;
        int nacc = 0; // bits in acc, even
        int spare = -1; // an unused 24-bit uniform, or -1
        for (int b0 = 0; b0 < n; b0 += bucket) {
            int b1 = (int) Math.min(n, (long) b0 + bucket);
            int end = off + b1;
            int maxKey = 0; // the largest magnitude as bits: an int max, which vectorizes
            for (int i = off + b0; i < end; i++) {
                maxKey = Math.max(maxKey, Float.floatToRawIntBits(src[i]) & 0x7FFF_FFFF);
            }
            float s = Float.intBitsToFloat(maxKey);
            if (!(s <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException(spec() + ": bucket [" + b0 + ", " + b1
                        + ") has non-finite values; its scale would be " + s);
            }
            Wire.putFloat(dst, sp, s);
            sp += 4;
            final float m = s > 0 ? 0x1p24f / s : 0f; // |v| * m in [0, 2^24] (up to rounding)
            int i = off + b0;
            if (spare >= 0 && i < end) { // the odd uniform left by the previous bucket
                acc |= code(src[i], m, spare) << nacc;
                nacc += 2;
                spare = -1;
                i++;
                if (nacc == 64) {
                    Wire.putLong(dst, cp, acc);
                    cp += 8;
                    acc = 0;
                    nacc = 0;
                }
            }
            for (; i + 2 <= end; i += 2) { // two elements per 64-bit draw
                long x = r.nextLong();
                long two = code(src[i], m, (int) (x >>> 40))
                        | code(src[i + 1], m, (int) (x >>> 16) & 0xFF_FFFF) << 2;
                acc |= two << nacc;
                nacc += 4;
                if (nacc >= 64) { // full: store it, keep the bits of 'two' that did not fit
                    Wire.putLong(dst, cp, acc);
                    cp += 8;
                    nacc -= 64;
                    acc = nacc == 0 ? 0 : two >>> (4 - nacc);
                }
            }
            if (i < end) {
                long x = r.nextLong();
                acc |= code(src[i], m, (int) (x >>> 40)) << nacc;
                spare = (int) (x >>> 16) & 0xFF_FFFF;
                nacc += 2;
                if (nacc == 64) {
                    Wire.putLong(dst, cp, acc);
                    cp += 8;
                    acc = 0;
                    nacc = 0;
                }
            }
        }
        for (; nacc > 0; nacc -= 8, acc >>>= 8) {
            dst[cp++] = (byte) acc;
        }
        return cp;
    }

    /** The 2-bit code of x: 01 (+s) or 10 (-s) with probability floor(|x| m) / 2^24 for uniform u, else 00. */
    private static long code(float x, float m, int u) {
        int t = (int) (Math.abs(x) * m);
        long keep = (u - t) >>> 31; // u < t, for u, t in [0, 2^24]
        return keep << (Float.floatToRawIntBits(x) >>> 31);
    }

    @Override
    protected void decodeBody(byte[] src, int p, int len, float[] dst, int dstOff, int n, boolean add) {
        long nb = buckets(n);
        long codeBytes = Wire.bitBytes(n, 2);
        Wire.requireBodyLength(spec(), len, 4 * nb + codeBytes);
        for (int b = 0; b < nb; b++) {
            int bits = Wire.getInt(src, p + 4 * b);
            if (bits < 0 || bits >= 0x7F80_0000) {
                throw malformed("scale " + Float.intBitsToFloat(bits) + " of bucket " + b
                        + " is not a finite number >= +0");
            }
        }
        int cp = p + (int) (4 * nb);
        for (int j = 0; j < codeBytes; j++) {
            int c = src[cp + j];
            if ((c & (c >>> 1) & 0x55) != 0) {
                throw malformed("invalid ternary code 11 for element " + (4 * j + Integer.numberOfTrailingZeros(
                        c & (c >>> 1) & 0x55) / 2));
            }
        }
        if ((n & 3) != 0 && (src[cp + (n >>> 2)] & 0xFF) >>> (2 * (n & 3)) != 0) {
            throw malformed("non-zero padding bits after the last code");
        }
        int sp = p;
        for (int b0 = 0; b0 < n; b0 += bucket, sp += 4) {
            int b1 = (int) Math.min(n, (long) b0 + bucket);
            int sbits = Wire.getInt(src, sp);
            int i = b0;
            for (; i < b1 && (i & 3) != 0; i++) {
                put(dst, dstOff + i, value(sbits, src[cp + (i >>> 2)] >>> ((i & 3) << 1)), add);
            }
            for (; i + 4 <= b1; i += 4) { // a whole byte of codes
                int byt = src[cp + (i >>> 2)];
                int d = dstOff + i;
                if (add) {
                    dst[d] += value(sbits, byt);
                    dst[d + 1] += value(sbits, byt >>> 2);
                    dst[d + 2] += value(sbits, byt >>> 4);
                    dst[d + 3] += value(sbits, byt >>> 6);
                } else {
                    dst[d] = value(sbits, byt);
                    dst[d + 1] = value(sbits, byt >>> 2);
                    dst[d + 2] = value(sbits, byt >>> 4);
                    dst[d + 3] = value(sbits, byt >>> 6);
                }
            }
            for (; i < b1; i++) {
                put(dst, dstOff + i, value(sbits, src[cp + (i >>> 2)] >>> ((i & 3) << 1)), add);
            }
        }
    }

    /**
     * The value of the code in the two low bits of {@code code} for the scale with bits {@code sbits}: 00 is +0,
     * 01 the scale, 10 its negation (the magnitude if either bit is set, the sign from the high bit; 11 was
     * rejected before).
     */
    private static float value(int sbits, int code) {
        return Float.intBitsToFloat((sbits & -((code | code >>> 1) & 1)) | (code >>> 1 & 1) << 31);
    }

    private static void put(float[] dst, int i, float v, boolean add) {
        if (add) {
            dst[i] += v;
        } else {
            dst[i] = v;
        }
    }
}
