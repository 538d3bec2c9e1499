package org.scaleml.comm.codec;

/**
 * TopK sparsification, {@code topk:ratio=R,select=exact|sampled}: sends the {@code k = max(1, ceil(R n))}
 * elements of largest magnitude ({@code k = 0} for {@code n = 0}) with their exact float32 values; the others
 * decode to zero. Biased (it keeps the large entries only), so meant for use with error feedback,
 * {@code ef:topk:ratio=R}, as in [1].
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The kept set is exactly the top k by magnitude: all elements with {@code |v|} above the k-th largest
 *       magnitude, then as many of those equal to it as needed, lowest index first (NaN ranks above infinity).
 *       {@code select=exact} and {@code select=sampled} produce identical payloads; sampled is faster on large
 *       inputs (one pass over the data after a 16384-element sample instead of two; see
 *       {@link MagnitudeSelector}) and, for rare inputs on which its sample misleads it, takes three more passes.
 *       In {@code ceil(R n)}, {@code R n} is rounded down first if within a relative 1e-12 of an integer (so
 *       {@code ratio=0.01} on 300 elements keeps 3, not 4).</li>
 *   <li>Error: {@code ||decode - v||^2 = ||v||^2 - (sum of the k largest v_i^2)}; on Gaussian data with R = 1%
 *       the relative error is about 0.957.</li>
 *   <li>Deterministic per seed (the seed drives only the sample, which does not change the result); not
 *       thread-safe; scratch of about 5k ints plus a 16384-int sample, grown with the input.</li>
 * </ul>
 *
 * <h2>Body</h2>
 * <pre>
 * offset   size        field
 *      0      4        k, int32 (must equal max(1, ceil(R n)) for this codec and n)
 *      4      1        b, the Rice parameter of the index gaps, 0..30
 *      5     4k        the k values, float32, in increasing index order
 *   5+4k      -        bit stream: for each kept index i_j in increasing order, the Rice(b) code of the gap
 *                      i_0 or i_j - i_(j-1) - 1 (see {@link IndexCoding}); zero padding to a whole byte
 * </pre>
 * Body length: {@code 5 + 4k + ceil(G / 8)} with {@code G = sum_j ((g_j >>> b) + 1 + b)}.
 *
 * <h2>Bits per element</h2>
 * {@link #bitsPerElement} reports the size at the operating point of uniformly spread indices (gaps geometric with
 * {@code p = k / n}) and the formula's parameter {@code b0} (see {@link IndexCoding}):
 * {@code 8 (10 + 5 + 4k + ceil(k L / 8)) / n} with {@code L = b0 + 1 + r / (1 - r)}, {@code r = (1 - p)^(2^b0)}.
 * For R = 1% and large n that is {@code 0.01 (32 + 8.11) = 0.401} bits per element; the index part (8.11 bits per
 * kept element) is within 0.03 bits of the entropy of a random k-subset. Clustered indices code shorter.
 */
final class TopKCodec extends AbstractCodec {
    /*
     * The algorithm, per call:
     *   1. select the top k indices (MagnitudeSelector: a sampled or full-histogram lower bound on the k-th
     *      largest magnitude, one pass gathering the candidates above it, radix selection among the candidates;
     *      exact in both modes, ties to the lowest index);
     *   2. choose the Rice parameter among b0 - 1, b0, b0 + 1 (b0 from n / k, Kiely's rule) that codes the
     *      actual gaps shortest;
     *   3. write k, b, the values, the gap codes.
     * The decoder reads k and b, checks them, and walks the gap codes: every index is strictly above the
     * previous one (gaps are >= 0 by construction) and below n (each Rice quotient is bounded by the room left,
     * so a crafted payload cannot make it spin); the stream must end exactly at the body's end.
     *
     * [1] D. Alistarh, T. Hoefler, M. Johansson, S. Khirirat, N. Konstantinov, C. Renggli, "The Convergence of
     *     Sparsified Gradient Methods", NeurIPS 2018 (arXiv 1809.10505).
     * [2] A. Kiely, "Selecting the Golomb Parameter in Rice Coding", IPN Progress Report 42-159, JPL, 2004.
     */
    private final double ratio;
    private final boolean sampled;
    private final MagnitudeSelector selector;
    private final BitWriter writer = new BitWriter();
    private final BitReader reader = new BitReader();

    TopKCodec(double ratio, boolean sampled, long seed) {
        super(CodecIds.TOPK, "topk:ratio=" + ratio + ",select=" + (sampled ? "sampled" : "exact"));
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("topk: ratio must be in (0, 1], got " + ratio);
        }
        this.ratio = ratio;
        this.sampled = sampled;
        this.selector = new MagnitudeSelector(seed);
    }

    /** {@code max(1, ceil(ratio n))} capped at n, 0 for n = 0 (see the class comment for the rounding). */
    static int kFor(double ratio, int n) {
        if (n == 0) {
            return 0;
        }
        double x = ratio * n;
        long k = (long) Math.ceil(x - x * 1e-12);
        return (int) Math.max(1, Math.min(n, k));
    }

    /** The number of elements this codec keeps out of n. */
    int k(int n) {
        return kFor(ratio, n);
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    @Override
    protected long maxBodySize(int n) {
        int k = k(n);
        return 5 + 4L * k + (IndexCoding.maxGapBits(n, k) + 7) / 8;
    }

    @Override
    public double bitsPerElement(int n) {
        if (n == 0) {
            return Double.NaN;
        }
        int k = k(n);
        int b = IndexCoding.riceParameter(n, k);
        double gapBytes = Math.ceil(k * IndexCoding.expectedRiceBits((double) k / n, b) / 8);
        return 8 * (Wire.HEADER_BYTES + 5 + 4.0 * k + gapBytes) / n;
    }

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int p) {
        int k = k(n);
        int[] idx = selector.select(src, off, n, k, sampled);
        int[] bits = selector.selectedBits();
        int b = IndexCoding.chooseRice(idx, k, n);
        Wire.putInt(dst, p, k);
        dst[p + 4] = (byte) b;
        int v = p + 5;
        for (int t = 0; t < k; t++, v += 4) {
            Wire.putInt(dst, v, bits[t]);
        }
        BitWriter w = writer.reset(dst, v);
        IndexCoding.writeGaps(w, idx, k, b);
        return w.finish();
    }

    @Override
    protected void decodeBody(byte[] src, int p, int len, float[] dst, int dstOff, int n, boolean add) {
        Wire.requireAtLeast(spec(), len, 5, "the count and Rice parameter");
        int k = Wire.getInt(src, p);
        int want = k(n);
        if (k != want) {
            throw malformed("holds " + k + " values, this codec sends " + want + " of " + n + " elements");
        }
        int b = src[p + 4] & 0xFF;
        if (b > IndexCoding.MAX_RICE) {
            throw malformed("Rice parameter " + b + " above " + IndexCoding.MAX_RICE);
        }
        Wire.requireAtLeast(spec(), len, 5 + 4L * k, k + " values");
        int v = p + 5;
        BitReader r = reader.reset(src, v + 4 * k, p + len, spec());
        int next = 0;
        for (int t = 0; t < k; t++, v += 4) {
            int i = IndexCoding.readIndex(r, b, next, n, spec());
            float x = Wire.getFloat(src, v);
            if (add) {
                dst[dstOff + i] += x;
            } else {
                java.util.Arrays.fill(dst, dstOff + next, dstOff + i, 0f);
                dst[dstOff + i] = x;
            }
            next = i + 1;
        }
        if (!add) {
            java.util.Arrays.fill(dst, dstOff + next, dstOff + n, 0f);
        }
        r.requireEnd();
    }

    /** The selector (tests read its fallback count). */
    MagnitudeSelector selector() {
        return selector;
    }
}
