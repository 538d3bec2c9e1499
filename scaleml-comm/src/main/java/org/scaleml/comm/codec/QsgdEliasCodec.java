package org.scaleml.comm.codec;

import java.util.Arrays;

/**
 * QSGD with the paper's variable-length code: {@code qsgd-elias:levels=S,bucket=D} (defaults 1 and 512; {@code S}
 * in [1, 65535]). Quantization as in {@link QsgdCodec} with L2 scaling and {@code S} non-zero levels: each element
 * of a bucket with norm {@code N} becomes a sign and a level {@code l} in {@code {0..S}} by unbiased stochastic
 * rounding of {@code S |v_i| / N}, decoding to {@code sign * N * l / S}. Only the non-zero levels are sent, each
 * with the Elias gamma code of its distance to the previous one. With few levels most elements round to 0 (for
 * {@code S = 1} and Gaussian buckets of 512, about 3.5% are non-zero), and this code spends well under a bit per
 * element.
 *
 * <h2>Contract</h2>
 * Lossy and unbiased ({@code E[decode(encode(v))] = v} up to float rounding; rounding probabilities resolved to
 * 2^-24); variance per bucket at most {@code min(d / S^2, sqrt(d) / S) ||v||^2} (QSGD's bound). Zero buckets decode
 * to +0; inputs must be finite ({@link IllegalArgumentException} otherwise). Encoding is not thread-safe (random
 * stream, one bucket of scratch); decoding is.
 *
 * <h2>Body layout</h2>
 * <pre>
 * norms    4 * ceil(n / D)     float32 LE L2 norm per bucket, bucket 0 first; finite, &gt;= 0
 * stream   the rest            one LSB-first bit stream (see {@link BitWriter}), zero-padded to a whole byte,
 *                              holding for each bucket in order:
 *                                gamma(c + 1)           c = number of non-zero levels in the bucket (0 if N = 0)
 *                                c times, in increasing position:
 *                                  gamma(gap)           gap = position - previous position (the previous
 *                                                       position is -1 at the start of the bucket), so gap - 1
 *                                                       zero levels are skipped
 *                                  1 bit sign           1 = negative
 *                                  gamma(l)             the level, 1 &lt;= l &lt;= S
 * </pre>
 * gamma(x) is the Elias gamma code of {@code x >= 1}, {@code 2 floor(log2 x) + 1} bits ({@link BitWriter}). Wire
 * size: {@code 10 + 4 ceil(n / D) + ceil(b / 8)} bytes where {@code b} is the sum of the code lengths above;
 * decoders require exactly that length (no trailing bytes, zero padding), positions inside the bucket, levels in
 * [1, S], {@code c <= bucket length} and {@code c = 0} for a zero norm.
 *
 * <p>{@link #bitsPerElement(int)} is data-dependent; it returns the expected size for i.i.d. Gaussian input, each
 * bucket's norm taken at its typical value {@code sigma sqrt(d)}: with {@code u = S |g| / sqrt(d)},
 * {@code p = E[min(u, 1)]} is the probability that a level is non-zero, gaps are taken geometric with parameter
 * {@code p} ({@code E[gamma length] = 1 + 2 sum_k>=1 (1 - p)^(2^k - 1)}), and the level code length is averaged over
 * the distribution of {@code u} by numerical integration; header, norms and the final byte rounding are included.
 * On Gaussian data this estimate is within a few percent of the measured size (see QsgdCodecTest).
 */
final class QsgdEliasCodec extends AbstractCodec {
    /*
     * Algorithm ([1] D. Alistarh, D. Grubic, J. Li, R. Tomioka, M. Vojnovic, "QSGD: Communication-Efficient SGD
     * via Gradient Quantization and Encoding", NeurIPS 2017, Section 3.2, "Elias coding"): the paper sends per
     * bucket the norm in 32 bits and then, for each non-zero level, the Elias code of the run of zeros before it,
     * its sign and the Elias code of its value; with s = sqrt(d) levels it bounds the expected length by
     * 2.8 d + 32 bits, and with s = 1 by O(sqrt(d) log d) bits. We use Elias gamma for both integers (gaps and levels
     * are >= 1 here) and precede the entries of each bucket by gamma(count + 1), so a bucket's end is known without
     * scanning past it and an all-zero bucket costs one bit.
     *
     * Encoding per bucket: the norm (QsgdCodec's one-pass norm), then rounding in double fixed point
     * (W = (long) (|x| S 2^24 / N); level = W >>> 24 plus one if a 24-bit uniform is below the 24 fraction bits;
     * one 64-bit draw per pair of elements) into a scratch array of signed levels, then the count and the entries
     * through BitWriter. This codec is built for small S (the sparse regime); its speed is bounded by the bit
     * writer, not tuned like the fixed-width codecs.
     */
    private final int levels;
    private final int bucket;
    private final CodecRandom random;
    private final BitWriter writer = new BitWriter();
    private int[] signed = new int[0];

    QsgdEliasCodec(int levels, int bucket, long seed) {
        super(CodecIds.QSGD_ELIAS, "qsgd-elias:levels=" + levels + ",bucket=" + bucket);
        this.levels = levels;
        this.bucket = bucket;
        this.random = new CodecRandom(seed);
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    private long buckets(long n) {
        return (n + bucket - 1) / bucket;
    }

    /**
     * Largest body: norms, plus per bucket of length L: gamma(L + 1), and per element at most one entry whose gap
     * code is at most {@code 2 gap - 1} bits (so all gaps of a bucket take at most 2L bits), one sign bit and
     * gamma(S) bits.
     */
    @Override
    protected long maxBodySize(int n) {
        long nb = buckets(n);
        long bits = nb * BitWriter.gammaLength(bucket + 1L) + (long) n * (2 + 1 + BitWriter.gammaLength(levels));
        return 4 * nb + (bits + 7) / 8;
    }

    @Override
    public double bitsPerElement(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative element count " + n);
        }
        if (n == 0) {
            return Double.NaN;
        }
        long full = n / bucket;
        int last = n % bucket;
        double streamBits = full * expectedBucketBits(bucket) + (last > 0 ? expectedBucketBits(last) : 0);
        return 8.0 * (Wire.HEADER_BYTES + 4 * buckets(n) + Math.ceil(streamBits / 8)) / n;
    }

    /** Expected stream bits of a bucket of {@code d} i.i.d. Gaussian elements (see the class comment). */
    double expectedBucketBits(int d) {
        final double scale = levels / Math.sqrt(d); // u = scale * |g|
        final int steps = 8000;
        final double h = 8.0 / steps; // |g| in [0, 8]: the mass beyond is below 1e-15
        double pNonZero = 0;
        double levelBits = 0;
        for (int i = 0; i < steps; i++) {
            double g = (i + 0.5) * h;
            double w = h * Math.sqrt(2 / Math.PI) * Math.exp(-g * g / 2); // half-normal density
            double u = Math.min(scale * g, levels);
            long l = (long) Math.floor(u);
            double f = u - l;
            pNonZero += w * Math.min(u, 1);
            double bits = f * BitWriter.gammaLength(l + 1) + (l > 0 ? (1 - f) * BitWriter.gammaLength(l) : 0);
            levelBits += w * bits;
        }
        pNonZero = Math.min(pNonZero, 1);
        double gapBits = 1;
        if (pNonZero > 0) {
            for (int k = 1; k < 63; k++) {
                double t = Math.pow(1 - pNonZero, Math.pow(2, k) - 1);
                gapBits += 2 * t;
                if (t < 1e-12) {
                    break;
                }
            }
        }
        double count = d * pNonZero;
        return BitWriter.gammaLength(Math.round(count) + 1) + count * (gapBits + 1) + d * levelBits;
    }

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int bodyOff) {
        final int nb = (int) buckets(n);
        if (signed.length < Math.min(bucket, n)) {
            signed = new int[Math.min(bucket, n)];
        }
        final int[] lv = signed;
        final BitWriter w = writer.reset(dst, bodyOff + 4 * nb);
        final CodecRandom rnd = random;
        final long top = (long) levels << 24;
        for (int b = 0; b < nb; b++) {
            final int start = b * bucket;
            final int o = off + start;
            final int len = Math.min(bucket, n - start);
            final float norm = FixedWidthQuantizer.l2Norm(src, o, len, spec());
            Wire.putFloat(dst, bodyOff + 4 * b, norm);
            int count = 0;
            if (norm > 0f) {
                final double k = top / (double) norm;
                for (int i = 0; i < len; i += 2) {
                    long r = rnd.nextLong();
                    int l0 = level(src[o + i], k, top, (int) (r >>> 40));
                    lv[i] = l0;
                    count += l0 != 0 ? 1 : 0;
                    if (i + 1 < len) {
                        int l1 = level(src[o + i + 1], k, top, (int) (r >>> 8) & 0xFF_FFFF);
                        lv[i + 1] = l1;
                        count += l1 != 0 ? 1 : 0;
                    }
                }
            }
            w.writeGamma(count + 1L);
            int prev = -1;
            for (int i = 0; count > 0; i++) {
                int l = lv[i];
                if (l != 0) {
                    w.writeGamma(i - prev);
                    w.write(l >>> 31, 1);
                    w.writeGamma(Math.abs(l));
                    prev = i;
                    count--;
                }
            }
        }
        return w.finish();
    }

    /** The signed level of x (negative for a negative x), with 24-bit uniform r. */
    private static int level(float x, double k, long top, int r) {
        long wfix = Math.min((long) (Math.abs(x) * k), top);
        int l = (int) (wfix >>> 24) + ((r - (int) (wfix & 0xFF_FFFF)) >>> 31);
        return x < 0 ? -l : l;
    }

    @Override
    protected void decodeBody(byte[] src, int bodyOff, int bodyLen, float[] dst, int dstOff, int n, boolean add) {
        final int nb = (int) buckets(n);
        Wire.requireAtLeast(spec(), bodyLen, 4L * nb + (nb > 0 ? 1 : 0), "the norms and bucket counts");
        for (int b = 0; b < nb; b++) {
            float norm = Wire.getFloat(src, bodyOff + 4 * b);
            if (!(norm >= 0f && norm <= Float.MAX_VALUE)) {
                throw malformed("bucket " + b + " has norm " + norm + " (must be finite and >= 0)");
            }
        }
        final BitReader r = new BitReader().reset(src, bodyOff + 4 * nb, bodyOff + bodyLen, spec());
        final double inv = 1.0 / levels;
        for (int b = 0; b < nb; b++) {
            final int start = b * bucket;
            final int o = dstOff + start;
            final int len = Math.min(bucket, n - start);
            final double norm = Wire.getFloat(src, bodyOff + 4 * b);
            long count = r.readGamma() - 1;
            if (count > len) {
                throw malformed("bucket " + b + " claims " + count + " non-zero levels in " + len + " elements");
            }
            if (count > 0 && norm == 0) {
                throw malformed("bucket " + b + " has norm 0 and " + count + " non-zero levels");
            }
            if (!add) {
                Arrays.fill(dst, o, o + len, 0f);
            }
            long pos = -1;
            for (long c = 0; c < count; c++) {
                long gap = r.readGamma();
                if (gap > len || (pos += gap) >= len) {
                    throw malformed("bucket " + b + ": entry " + c + " lies beyond the bucket's " + len
                            + " elements");
                }
                boolean negative = r.readBit();
                long l = r.readGamma();
                if (l > levels) {
                    throw malformed("bucket " + b + ": level " + l + " above " + levels);
                }
                float v = (float) (norm * (l * inv));
                dst[o + (int) pos] += negative ? -v : v; // dst was zeroed unless adding
            }
        }
        r.requireEnd();
    }
}
