package org.scaleml.comm.codec;

/**
 * NUQSGD, non-uniform stochastic quantization: {@code nuqsgd:bits=B,bucket=D} (defaults 4 and 512; {@code B} in
 * [2, 8]). Each bucket of {@code D} elements (the last may be shorter) is scaled by its L2 norm {@code N}; each
 * element becomes a sign and an index into the exponentially spaced levels
 * {@code 0, 2^-(s-1), ..., 1/4, 1/2, 1} ({@code s = 2^(B-1) - 1} non-zero levels), chosen by unbiased stochastic
 * rounding of {@code |v_i| / N} between the two adjacent levels, and decodes to {@code sign * N * level}.
 *
 * <h2>Contract</h2>
 * Lossy and unbiased ({@code E[decode(encode(v))] = v} up to float rounding; rounding probabilities resolved to
 * 2^-24). Variance per element {@code N^2 (hi - u)(u - lo)} for {@code u = |v_i| / N} between levels lo and hi:
 * at most {@code v_i^2 / 4} when {@code u >= 2^-(s-1)} (the error is relative to the element's own magnitude,
 * octave by octave) and at most {@code 2^-(s-1) N |v_i|} below, which suits the
 * bell-shaped distribution of normalized gradient coordinates. Zero buckets decode to +0; inputs must be finite
 * ({@link IllegalArgumentException} otherwise). Encoding is not thread-safe (random stream); decoding is.
 *
 * <h2>Body layout</h2>
 * <pre>
 * norms    4 * ceil(n / D)     float32 LE L2 norm per bucket, bucket 0 first; finite, &gt;= 0
 * codes    ceil(n * B / 8)     per element one B-bit code in a continuous LSB-first bit stream (element i at
 *                              stream bits [iB, iB + B)): bits 0..B-2 the level index j (0 = zero, j &gt;= 1 is
 *                              2^(j - s)), bit B-1 the sign (1 = negative; 0 when j = 0)
 * </pre>
 * Wire size, exactly: {@code 10 + 4 ceil(n / D) + ceil(n B / 8)} bytes, the same as {@code qsgd}; bits per element
 * {@code 8 (10 + 4 ceil(n / D) + ceil(n B / 8)) / n}. Decoders reject any other body length and a negative or
 * non-finite norm.
 */
final class NuqsgdCodec extends LevelTableCodec {
    /*
     * Algorithm ([1] A. Ramezani-Kebrya, F. Faghri, I. Markov, V. Aksenov, D. Alistarh, D. M. Roy, "NUQSGD:
     * Provably Communication-efficient Data-parallel SGD via Nonuniform Quantization", JMLR 22, 2021). QSGD's
     * uniform levels waste resolution: normalized coordinates |v_i| / ||v|| of a d-element bucket are mostly
     * O(1/sqrt(d)), far below the first uniform level 1/s once d >> s^2, so most of them round to 0 or 1/s with a
     * variance close to |v_i| / s. Levels 2^-k put the resolution where the mass is: within each octave the
     * rounding error is proportional to the value, and [1] bounds the variance by a quantity that grows only
     * logarithmically with d for a fixed number of levels. Below the smallest non-zero level the rounding is
     * linear between 0 and 2^-(s-1).
     *
     * Note the trade-off at many bits: with s = 2^(B-1) - 1 levels the smallest one, 2^-(s-1), is far below any
     * value that occurs for B >= 6 (2^-30 at B = 6), so the extra levels are spent where there is nothing to
     * resolve while an octave near the typical value still has only one interval; QSGD's uniform grid of step 1/s
     * is then finer there. QuantizerStatisticsTest measures where the cross-over lies on Gaussian data.
     *
     * The interval search and rounding are LevelTableCodec's; the levels fall on its lookup bins' boundaries, so
     * the search is one table load. At 4 bits the word path (QuantKernels.nuqsgd4) needs no table: the levels are
     * powers of two, so the interval is the exponent of |x| / N and the rounding threshold its mantissa bits.
     */

    NuqsgdCodec(int bits, int bucket, long seed) {
        super(CodecIds.NUQSGD, "nuqsgd:bits=" + bits + ",bucket=" + bucket, bits, bucket, seed);
        setLevels(exponentialLevels(s));
    }

    @Override
    int quantizeWords4(float[] src, int off, int len, byte[] dst, int p) {
        if (bits != 4 || !fastScale()) {
            return 0;
        }
        QuantKernels.get().nuqsgd4(src, off, len, inverseNorm(), random.s0, random.s1, dst, p);
        return len;
    }

    @Override
    float[] decodeLevels(Object prefix) {
        return levels;
    }
}
