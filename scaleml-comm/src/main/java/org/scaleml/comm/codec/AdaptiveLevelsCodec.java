package org.scaleml.comm.codec;

/**
 * ALQ and AMQ, quantization with levels adapted to the data: {@code alq:bits=B,bucket=D,update=K} and
 * {@code amq:bits=B,bucket=D,update=K} (defaults 4, 512, 10; {@code B} in [2, 8], {@code K >= 1}). Like
 * {@link NuqsgdCodec} (L2 norm per bucket, sign and level index per element, unbiased stochastic rounding between
 * adjacent levels), but the {@code s = 2^(B-1) - 1} non-zero levels {@code 0 < l_1 < ... < l_s = 1} are fitted to
 * the distribution of the normalized magnitudes {@code |v_i| / ||bucket||} the encoder sees, to minimize the
 * expected variance of the rounding: ALQ moves each level independently (coordinate descent), AMQ keeps
 * exponential levels {@code l_j = p^(s-j)} and fits the single multiplier {@code p}.
 *
 * <h2>Contract</h2>
 * Lossy and unbiased ({@code E[decode(encode(v))] = v} up to float rounding, for whatever levels are in use).
 * The encoder starts from NUQSGD's levels {@code 2^(j-s)} and refits them on its 1st, (K+1)th, (2K+1)th, ...
 * encode, before quantizing, from a sample of at most 4096 normalized magnitudes of that input (all of them if
 * {@code n <= 4096}, else positions drawn uniformly with replacement from the codec's random stream; a refit that
 * falls on an empty input is skipped); the
 * levels used travel in the body, so decoding needs no encoder state and is thread-safe. Encoding is not
 * thread-safe. Scratch (the sample, its prefix sums, the bucket norms of a refit encode) is kept between calls;
 * nothing is allocated per element. Zero buckets decode to +0; inputs must be finite.
 *
 * <h2>Body layout</h2>
 * <pre>
 * levels   4 * s               float32 LE l_1 .. l_s, strictly increasing, each in (0, 1]
 * norms    4 * ceil(n / D)     float32 LE L2 norm per bucket, bucket 0 first; finite, &gt;= 0
 * codes    ceil(n * B / 8)     per element one B-bit code in a continuous LSB-first bit stream (element i at
 *                              stream bits [iB, iB + B)): bits 0..B-2 the level index j (0 = zero, else l_j),
 *                              bit B-1 the sign (1 = negative; 0 when j = 0)
 * </pre>
 * Wire size, exactly: {@code 10 + 4s + 4 ceil(n / D) + ceil(n B / 8)} bytes; bits per element
 * {@code 8 (10 + 4s + 4 ceil(n / D) + ceil(n B / 8)) / n}. Decoders reject any other body length, levels that are
 * not finite, strictly increasing and in (0, 1], and a negative or non-finite norm. (The encoder always sends
 * {@code l_s = 1}, which unbiasedness needs when a bucket has a single non-zero element; a decoder accepts any
 * valid table, as the payload fully defines the values.)
 */
final class AdaptiveLevelsCodec extends LevelTableCodec {
    /*
     * Algorithm ([1] F. Faghri, I. Tabrizian, I. Markov, D. Alistarh, D. M. Roy, A. Ramezani-Kebrya, "Adaptive
     * Gradient Quantization for Data-Parallel SGD", NeurIPS 2020). The variance of unbiased stochastic rounding of
     * a normalized coordinate u between levels lo <= u <= hi is (hi - u)(u - lo); over a bucket the quantization
     * variance is ||v||^2 times the sum of these terms. [1] models the coordinates' distribution (a truncated
     * normal whose sufficient statistics the workers exchange) and minimizes the expected variance over the levels:
     * ALQ by coordinate descent (each level has a closed-form optimum given its neighbours), AMQ over the
     * multiplier of exponential levels. Here the distribution is the empirical one of a bounded sample of the
     * current input, and the minimizations are LevelFitter's (see there). Re-fitting every K encodes follows [1]'s
     * periodic updates as the gradient statistics drift during training; a refit costs a norm pre-pass over the
     * input, sorting the sample (m log m for m <= 4096) and O(s log m) per level update or variance evaluation.
     *
     * Unbiasedness needs l_s >= every normalized coordinate; with L2 scaling that is l_s = 1, kept fixed. The
     * fitted levels are rounded to float32 (as sent) before they are used, and the encoder quantizes with exactly
     * the table it sends.
     */
    private final boolean multiplier;
    private final int update;
    private long encodes;
    private final LevelFitter fitter = new LevelFitter();
    private final float[] candidate;
    private final float[] scratch;
    private float[] norms = new float[0];
    private boolean haveNorms;

    AdaptiveLevelsCodec(boolean multiplier, int bits, int bucket, int update, long seed) {
        super(multiplier ? CodecIds.AMQ : CodecIds.ALQ,
                (multiplier ? "amq" : "alq") + ":bits=" + bits + ",bucket=" + bucket + ",update=" + update, bits,
                bucket, seed);
        this.multiplier = multiplier;
        this.update = update;
        this.candidate = new float[s + 1];
        this.scratch = new float[s + 1];
        setLevels(exponentialLevels(s));
    }

    @Override
    int prefixBytes() {
        return 4 * s;
    }

    @Override
    void beginEncode(float[] src, int off, int n, byte[] dst, int prefixOff) {
        haveNorms = false;
        if (encodes++ % update == 0 && n > 0) {
            refit(src, off, n);
        }
        for (int j = 1; j <= s; j++) {
            Wire.putFloat(dst, prefixOff + 4 * (j - 1), levels[j]);
        }
    }

    @Override
    float bucketNorm(float[] src, int off, int len, int index) {
        return haveNorms ? norms[index] : super.bucketNorm(src, off, len, index);
    }

    /** Samples the normalized magnitudes of {@code src[off, off + n)} and installs fitted levels. */
    private void refit(float[] src, int off, int n) {
        final int nb = (int) buckets(n);
        if (norms.length < nb) {
            norms = new float[nb];
        }
        for (int k = 0; k < nb; k++) {
            int start = k * bucket;
            norms[k] = l2Norm(src, off + start, Math.min(bucket, n - start), spec());
        }
        haveNorms = true;
        final float[] buf = fitter.buffer();
        final int m = Math.min(n, LevelFitter.CAPACITY);
        for (int i = 0; i < m; i++) {
            int e = n <= LevelFitter.CAPACITY ? i : random.nextInt(n);
            float norm = norms[e / bucket];
            buf[i] = norm == 0f ? 0f : (float) Math.min(Math.abs(src[off + e]) / (double) norm, 1.0);
        }
        fitter.load(m);
        fitter.fitExponential(s, candidate);
        if (!multiplier) { // ALQ: coordinate descent from the best of the current, exponential and uniform levels
            double best = fitter.variance(candidate, s);
            double current = fitter.variance(levels, s);
            if (current <= best) {
                System.arraycopy(levels, 0, candidate, 0, s + 1);
                best = current;
            }
            for (int j = 0; j <= s; j++) {
                scratch[j] = j == s ? 1f : (float) j / s;
            }
            if (fitter.variance(scratch, s) < best) {
                System.arraycopy(scratch, 0, candidate, 0, s + 1);
            }
            fitter.coordinateDescent(candidate, s);
        }
        if (valid(candidate)) {
            setLevels(candidate);
        }
    }

    /** True if {@code l[0] = 0}, {@code l[s] = 1} and l is strictly increasing. */
    private boolean valid(float[] l) {
        if (l[0] != 0f || l[s] != 1f) {
            return false;
        }
        for (int j = 0; j < s; j++) {
            if (!(l[j] < l[j + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    Object readPrefix(byte[] src, int prefixOff) {
        float[] l = new float[s + 1]; // s + 1 floats per call: bounded by the specification, not the payload
        float prev = 0f;
        for (int j = 1; j <= s; j++) {
            float v = Wire.getFloat(src, prefixOff + 4 * (j - 1));
            if (!(v > prev && v <= 1f)) {
                throw malformed("level " + j + " is " + v + " after " + prev
                        + " (levels must be strictly increasing in (0, 1])");
            }
            l[j] = v;
            prev = v;
        }
        return l;
    }

    @Override
    float[] decodeLevels(Object prefix) {
        return (float[]) prefix;
    }
}
