package org.scaleml.comm.codec;

/**
 * Scaled sign, {@code sign:bucket=D} (default D = 512): each bucket of D consecutive elements (the last one may be
 * shorter) is sent as one scale {@code s = (sum |v_i|) / d}, the mean magnitude over its d elements, and one sign
 * bit per element; element i decodes to {@code +s} or {@code -s}. With error feedback, {@code ef:sign}, this is
 * EF-SignSGD [1]; without, scaled signSGD [2].
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The sign is the IEEE sign bit, so {@code -0.0} sends {@code -s}; a zero bucket has s = 0 and decodes to
 *       zeros. The mean magnitude is the scale that minimizes the squared error of {@code s sign(v)}: the error
 *       is {@code ||v||^2 - d s^2} per bucket, relative error {@code sqrt(1 - 2 / pi) = 0.603} on Gaussian
 *       data. Biased; use with error feedback.</li>
 *   <li>Deterministic (no randomness), stateless, no scratch. Input with non-finite values cannot be scaled:
 *       {@code encode} throws {@link IllegalArgumentException} naming the bucket.</li>
 * </ul>
 *
 * <h2>Body</h2>
 * <pre>
 * offset     size          field
 *      0     4 ceil(n/D)   the scales of the buckets in order, float32, finite and &gt;= +0
 *  4 ceil(n/D)  ceil(n/8)  the sign bits of the n elements (1: negative), bit i in byte i / 8 at position i % 8
 *                          (least significant first); padding bits zero
 * </pre>
 * Wire size, exact: {@code 10 + 4 ceil(n / D) + ceil(n / 8)} bytes; {@code bitsPerElement} is that times 8 / n,
 * {@code 1 + 32 / D} plus the header for large n (1.0625 for D = 512).
 */
final class SignCodec extends BucketScaledCodec {
    /*
     * One pass per bucket: the scale, summed in double (no overflow; four partial sums for speed), then the sign
     * bits of the same, cache-hot, elements, eight at a time, appended to a 64-bit accumulator that is stored
     * little-endian each time it fills, so the bits come out in the byte order the format defines. The decoder
     * expands a whole byte of signs at a time by or-ing each bit into the sign bit of the scale.
     *
     * Why the mean magnitude: for a fixed sign pattern, argmin_s ||v - s sign(v)||^2 = (sum |v_i|) / d; [1] scales
     * by ||v||_1 / d for the same reason, and shows that with error feedback the scaled sign compressor converges
     * like SGD.
     *
     * [1] S. P. Karimireddy, Q. Rebjock, S. U. Stich, M. Jaggi, "Error Feedback Fixes SignSGD and other Gradient
     *     Compression Schemes", ICML 2019 (arXiv 1901.09847).
     * [2] J. Bernstein, Y.-X. Wang, K. Azizzadenesheli, A. Anandkumar, "signSGD: Compressed Optimisation for
     *     Non-Convex Problems", ICML 2018.
     */
    SignCodec(int bucket) {
        super(CodecIds.SIGN, "sign", bucket, 1);
    }

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int p) {
        int sp = p;
        int bp = p + (int) (4 * buckets(n));
        long acc = 0;
        int nacc = 0;
        for (int b0 = 0; b0 < n; b0 += bucket) {
            int b1 = (int) Math.min(n, (long) b0 + bucket);
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = off + b0;
            int end = off + b1;
            for (; i + 4 <= end; i += 4) {
                s0 += Math.abs(src[i]);
                s1 += Math.abs(src[i + 1]);
                s2 += Math.abs(src[i + 2]);
                s3 += Math.abs(src[i + 3]);
            }
            for (; i < end; i++) {
                s0 += Math.abs(src[i]);
            }
            float scale = (float) ((s0 + s1 + s2 + s3) / (b1 - b0));
            if (!(scale <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException(spec() + ": bucket [" + b0 + ", " + b1
                        + ") has non-finite values; its scale would be " + scale);
            }
            Wire.putFloat(dst, sp, scale);
            sp += 4;
            i = off + b0;
            for (; i + 8 <= end; i += 8) { // eight sign bits at a time
                long byt = signByte(src, i);
                acc |= byt << nacc;
                nacc += 8;
                if (nacc >= 64) {
                    Wire.putLong(dst, bp, acc);
                    bp += 8;
                    nacc -= 64;
                    acc = nacc == 0 ? 0 : byt >>> (8 - nacc);
                }
            }
            for (; i < end; i++) {
                acc |= (long) (Float.floatToRawIntBits(src[i]) >>> 31) << nacc;
                if (++nacc == 64) {
                    Wire.putLong(dst, bp, acc);
                    bp += 8;
                    acc = 0;
                    nacc = 0;
                }
            }
        }
        for (; nacc > 0; nacc -= 8, acc >>>= 8) {
            dst[bp++] = (byte) acc;
        }
        return bp;
    }

    @Override
    protected void decodeBody(byte[] src, int p, int len, float[] dst, int dstOff, int n, boolean add) {
        long nb = buckets(n);
        Wire.requireBodyLength(spec(), len, 4 * nb + Wire.bitBytes(n, 1));
        for (int b = 0; b < nb; b++) {
            int bits = Wire.getInt(src, p + 4 * b);
            if (bits < 0 || bits >= 0x7F80_0000) {
                throw malformed("scale " + Float.intBitsToFloat(bits) + " of bucket " + b
                        + " is not a finite number >= +0");
            }
        }
        int bp = p + (int) (4 * nb);
        if ((n & 7) != 0 && (src[bp + (n >>> 3)] & 0xFF) >>> (n & 7) != 0) {
            throw malformed("non-zero padding bits after the last sign bit");
        }
        int sp = p;
        for (int b0 = 0; b0 < n; b0 += bucket, sp += 4) {
            int b1 = (int) Math.min(n, (long) b0 + bucket);
            int sbits = Wire.getInt(src, sp);
            int i = b0;
            for (; i < b1 && (i & 7) != 0; i++) {
                int sign = (src[bp + (i >>> 3)] >>> (i & 7)) & 1;
                put(dst, dstOff + i, Float.intBitsToFloat(sbits | sign << 31), add);
            }
            for (; i + 8 <= b1; i += 8) { // a whole byte of sign bits
                int byt = src[bp + (i >>> 3)];
                int d = dstOff + i;
                if (add) {
                    dst[d] += Float.intBitsToFloat(sbits | (byt & 1) << 31);
                    dst[d + 1] += Float.intBitsToFloat(sbits | (byt >>> 1 & 1) << 31);
                    dst[d + 2] += Float.intBitsToFloat(sbits | (byt >>> 2 & 1) << 31);
                    dst[d + 3] += Float.intBitsToFloat(sbits | (byt >>> 3 & 1) << 31);
                    dst[d + 4] += Float.intBitsToFloat(sbits | (byt >>> 4 & 1) << 31);
                    dst[d + 5] += Float.intBitsToFloat(sbits | (byt >>> 5 & 1) << 31);
                    dst[d + 6] += Float.intBitsToFloat(sbits | (byt >>> 6 & 1) << 31);
                    dst[d + 7] += Float.intBitsToFloat(sbits | (byt >>> 7 & 1) << 31);
                } else {
                    dst[d] = Float.intBitsToFloat(sbits | (byt & 1) << 31);
                    dst[d + 1] = Float.intBitsToFloat(sbits | (byt >>> 1 & 1) << 31);
                    dst[d + 2] = Float.intBitsToFloat(sbits | (byt >>> 2 & 1) << 31);
                    dst[d + 3] = Float.intBitsToFloat(sbits | (byt >>> 3 & 1) << 31);
                    dst[d + 4] = Float.intBitsToFloat(sbits | (byt >>> 4 & 1) << 31);
                    dst[d + 5] = Float.intBitsToFloat(sbits | (byt >>> 5 & 1) << 31);
                    dst[d + 6] = Float.intBitsToFloat(sbits | (byt >>> 6 & 1) << 31);
                    dst[d + 7] = Float.intBitsToFloat(sbits | (byt >>> 7 & 1) << 31);
                }
            }
            for (; i < b1; i++) {
                int sign = (src[bp + (i >>> 3)] >>> (i & 7)) & 1;
                put(dst, dstOff + i, Float.intBitsToFloat(sbits | sign << 31), add);
            }
        }
    }

    private static void put(float[] dst, int i, float v, boolean add) {
        if (add) {
            dst[i] += v;
        } else {
            dst[i] = v;
        }
    }

    /** The sign bits of src[i, i + 8) as one byte, element i in the least significant bit. */
    private static long signByte(float[] src, int i) {
        return (Float.floatToRawIntBits(src[i]) >>> 31)
                | (Float.floatToRawIntBits(src[i + 1]) >>> 31) << 1
                | (Float.floatToRawIntBits(src[i + 2]) >>> 31) << 2
                | (Float.floatToRawIntBits(src[i + 3]) >>> 31) << 3
                | (Float.floatToRawIntBits(src[i + 4]) >>> 31) << 4
                | (Float.floatToRawIntBits(src[i + 5]) >>> 31) << 5
                | (Float.floatToRawIntBits(src[i + 6]) >>> 31) << 6
                | (Float.floatToRawIntBits(src[i + 7]) >>> 31) << 7;
    }
}
