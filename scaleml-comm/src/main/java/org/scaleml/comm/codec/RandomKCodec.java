package org.scaleml.comm.codec;

/**
 * RandomK sparsification, {@code randomk:ratio=R,unbiased=true|false}: sends {@code k = max(1, ceil(R n))}
 * elements ({@code k = 0} for {@code n = 0}, same rounding as {@link TopKCodec}) chosen uniformly at random without
 * replacement. The indices are not sent: the body carries the 64-bit seed they were drawn from, and the decoder
 * draws the same subset.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@code unbiased=true} (default) scales the kept values by {@code n / k}: {@code E[decode(encode(v))] = v}
 *       over the random subset, with variance {@code (n / k - 1) v_i^2} per element and expected relative error
 *       {@code sqrt(n / k - 1)} (about 3 for R = 10%). {@code unbiased=false} sends the raw values (relative
 *       error about {@code sqrt(1 - k / n)}), the right choice under error feedback, {@code ef:randomk}.</li>
 *   <li>Deterministic per codec seed: each call draws the next 64-bit subset seed from the codec's stream. Not
 *       thread-safe; scratch of k ints and an n-bit map, grown with the input. Decoding needs scratch bounded by
 *       the receiver's n, never by a payload field.</li>
 * </ul>
 *
 * <h2>Body</h2>
 * <pre>
 * offset  size  field
 *      0     8  seed of the index subset, int64
 *      8    4k  the k values, float32 (scaled by n / k if unbiased), in increasing index order of the subset
 * </pre>
 * The subset is the output of {@link RandomSubset#draw} for this seed: Floyd's algorithm over a
 * {@link CodecRandom} seeded with it, multiply-shift uniform integers. Wire size, exact:
 * {@code 10 + 8 + 4k} bytes, {@code bitsPerElement = 8 (18 + 4k) / n}.
 */
final class RandomKCodec extends AbstractCodec {
    /*
     * RandomK is the sparsifier of the analyses of sparsified SGD with memory ([1], [2]): the kept set does not
     * depend on the data, so the index set costs 64 bits instead of about k log2(n / k). Unbiased scaling turns it
     * into an unbiased estimator with variance (n / k - 1) ||v||^2, the price of not looking at the data; with
     * error feedback the unscaled version is used, since the residual carries what was not sent.
     *
     * [1] S. U. Stich, J.-B. Cordonnier, M. Jaggi, "Sparsified SGD with Memory", NeurIPS 2018.
     * [2] J. Wangni, J. Wang, J. Liu, T. Zhang, "Gradient Sparsification for Communication-Efficient Distributed
     *     Optimization", NeurIPS 2018.
     */
    private final double ratio;
    private final boolean unbiased;
    private final CodecRandom rnd;
    private final RandomSubset subset = new RandomSubset();
    private int[] idx = new int[0];

    RandomKCodec(double ratio, boolean unbiased, long seed) {
        super(CodecIds.RANDOMK, "randomk:ratio=" + ratio + ",unbiased=" + unbiased);
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("randomk: ratio must be in (0, 1], got " + ratio);
        }
        this.ratio = ratio;
        this.unbiased = unbiased;
        this.rnd = new CodecRandom(seed);
    }

    int k(int n) {
        return TopKCodec.kFor(ratio, n);
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    @Override
    protected long maxBodySize(int n) {
        return 8 + 4L * k(n);
    }

    @Override
    public double bitsPerElement(int n) {
        return wireBitsPerElement(n, maxBodySize(n));
    }

    private int[] indices(long seed, int n, int k) {
        if (idx.length < k) {
            idx = new int[k];
        }
        subset.draw(seed, n, k, idx);
        return idx;
    }

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int p) {
        int k = k(n);
        long seed = rnd.nextLong();
        Wire.putLong(dst, p, seed);
        p += 8;
        if (k == 0) {
            return p;
        }
        int[] ix = indices(seed, n, k);
        float scale = unbiased ? (float) ((double) n / k) : 1f;
        for (int t = 0; t < k; t++, p += 4) {
            Wire.putFloat(dst, p, src[off + ix[t]] * scale);
        }
        return p;
    }

    @Override
    protected void decodeBody(byte[] src, int p, int len, float[] dst, int dstOff, int n, boolean add) {
        int k = k(n);
        Wire.requireBodyLength(spec(), len, 8 + 4L * k);
        if (!add) {
            java.util.Arrays.fill(dst, dstOff, dstOff + n, 0f);
        }
        if (k == 0) {
            return;
        }
        int[] ix = indices(Wire.getLong(src, p), n, k);
        int v = p + 8;
        if (add) {
            for (int t = 0; t < k; t++, v += 4) {
                dst[dstOff + ix[t]] += Wire.getFloat(src, v);
            }
        } else {
            for (int t = 0; t < k; t++, v += 4) {
                dst[dstOff + ix[t]] = Wire.getFloat(src, v);
            }
        }
    }
}
