package org.scaleml.comm.codec;

/**
 * Compact coding of a strictly increasing index set {@code i_0 < i_1 < ... < i_{k-1} < n}, shared by the sparse
 * codecs ({@link TopKCodec}, {@link ThresholdCodec}): each index is sent as the gap to its predecessor,
 * {@code g_0 = i_0}, {@code g_j = i_j - i_{j-1} - 1 >= 0}, in a Golomb-Rice code with parameter {@code b}
 * ({@link BitWriter#writeRice}: {@code g >>> b} zero bits, a one bit, the {@code b} low bits of g).
 *
 * <p>Stateless; all methods are static. Reading validates every index (strictly increasing, below n) and bounds
 * every Rice quotient by the room left, so a crafted stream can neither run past n nor make the reader spin.
 */
final class IndexCoding {
    /*
     * Choice of the Rice parameter. If the k indices are a uniformly random k-subset of [0, n) (a fair model for
     * the positions of the largest entries of a gradient), the gaps are close to geometric with success
     * probability p = k/n. For a geometric source the best Rice parameter is (A. Kiely, "Selecting the Golomb
     * parameter in Rice coding", IPN Progress Report 42-159, JPL, 2004)
     *
     *     b* = max(0, 1 + floor(log2( ln(phi - 1) / ln(1 - p) ))),   phi the golden ratio,
     *
     * and its expected code length is b + 1 + r / (1 - r) bits with r = (1 - p)^(2^b), within about 0.03 bits of
     * the entropy of the gap for small p (p = 0.01: 8.11 bits against 8.08). The encoder starts from this b0 and
     * keeps b0 - 1 or b0 + 1 instead if that codes the actual gaps in fewer bits (one pass over the k gaps):
     * clustered index sets, common in real gradients, then cost less. The chosen b travels in the body.
     *
     * Size bound. Since ln(1 - p) <= -p, 2^b0 <= 2 * 0.4813 / p < n / k. The gaps sum to at most n - k, so the
     * quotients sum to at most (n - k) >>> b0, and the code at b0 takes at most ((n - k) >>> b0) + k (1 + b0)
     * bits; the chosen b never takes more. That is at most n + k b0, and with k b0 <= k log2(n / k) <=
     * n log2(e) / e < 0.5308 n it is below 1.5308 n for every k <= n, which bounds the threshold codec whose k
     * depends on the data.
     */

    /** Largest Rice parameter a payload may carry (gaps are below 2^31). */
    static final int MAX_RICE = 30;

    /** ln(phi - 1) negated: -ln((sqrt(5) - 1) / 2). */
    private static final double LN_INV_PHI = 0.48121182505960347;

    private IndexCoding() {
    }

    /** The Rice parameter for k indices spread over [0, n) (see the comment above); 0 if k == 0 or k >= n. */
    static int riceParameter(long n, long k) {
        if (k <= 0 || k >= n) {
            return 0;
        }
        double p = (double) k / n;
        double x = LN_INV_PHI / -StrictMath.log1p(-p);
        if (!(x >= 1)) {
            return 0;
        }
        return Math.min(MAX_RICE, 1 + Math.getExponent(x)); // getExponent(x) = floor(log2 x) for normal x
    }

    /** Expected Rice code length in bits of a geometric gap with success probability p at parameter b. */
    static double expectedRiceBits(double p, int b) {
        if (p >= 1) {
            return b + 1;
        }
        double r = StrictMath.exp(StrictMath.scalb(1.0, b) * StrictMath.log1p(-p));
        return b + 1 + r / (1 - r);
    }

    /** Upper bound on the gap code of any k strictly increasing indices below n (see the comment above). */
    static long maxGapBits(long n, long k) {
        int b = riceParameter(n, k);
        return ((n - k) >>> b) + k * (1L + b);
    }

    /** Upper bound on {@link #maxGapBits} over every {@code 0 <= k <= n}: {@code n + 0.53125 n}. */
    static long maxGapBitsAnyK(long n) {
        return n + (17 * n + 31) / 32;
    }

    /** Length in bits of the gap code of {@code idx[0, k)} at Rice parameter b. */
    static long codeLength(int[] idx, int k, int b) {
        long bits = (long) k * (1 + b);
        int prev = -1;
        for (int t = 0; t < k; t++) {
            int g = idx[t] - prev - 1;
            prev = idx[t];
            bits += g >>> b;
        }
        return bits;
    }

    /**
     * The Rice parameter among {@code b0 - 1, b0, b0 + 1} (b0 = {@link #riceParameter}) that codes the gaps of
     * {@code idx[0, k)} in the fewest bits; b0 on ties, then the smaller.
     */
    static int chooseRice(int[] idx, int k, int n) {
        int b0 = riceParameter(n, k);
        if (k == 0) {
            return b0;
        }
        int lo = Math.max(0, b0 - 1);
        int hi = Math.min(MAX_RICE, b0 + 1);
        long qLo = 0;
        long q0 = 0;
        long qHi = 0;
        int prev = -1;
        for (int t = 0; t < k; t++) {
            int g = idx[t] - prev - 1;
            prev = idx[t];
            qLo += g >>> lo;
            q0 += g >>> b0;
            qHi += g >>> hi;
        }
        long best = q0 + (long) k * b0;
        int bestB = b0;
        if (qLo + (long) k * lo < best) {
            best = qLo + (long) k * lo;
            bestB = lo;
        }
        if (qHi + (long) k * hi < best) {
            bestB = hi;
        }
        return bestB;
    }

    /** Writes the Rice code of {@code x >= 0} with parameter {@code b <= MAX_RICE}, in one write when it fits. */
    static void writeRice(BitWriter w, int x, int b) {
        int q = x >>> b;
        int len = q + 1 + b;
        if (len <= 32) { // q zeros, a one, then the b low bits of x: one field, least significant bit first
            w.write((1L << q) | ((long) (x & ((1 << b) - 1)) << (q + 1)), len);
        } else {
            w.writeRice(x, b);
        }
    }

    /** Writes the gap code of {@code idx[0, k)} at Rice parameter b. */
    static void writeGaps(BitWriter w, int[] idx, int k, int b) {
        int prev = -1;
        for (int t = 0; t < k; t++) {
            writeRice(w, idx[t] - prev - 1, b);
            prev = idx[t];
        }
    }

    /**
     * Reads the next index, which must be at least {@code next} (one past the previous index) and below n.
     *
     * @throws CodecFormatException (naming {@code codec}) if there is no room left, the Rice quotient exceeds the
     *                              room, or the index is out of range
     */
    static int readIndex(BitReader r, int b, int next, int n, String codec) {
        if (next >= n) {
            throw new CodecFormatException(codec + " payload: more indices than the " + n + " elements hold");
        }
        int room = n - 1 - next; // the largest gap that keeps the index below n
        long g = r.readRice(b, room >>> b);
        if (g > room) {
            throw new CodecFormatException(codec + " payload: index " + (next + g) + " out of range [0, " + n + ")");
        }
        return next + (int) g;
    }
}
