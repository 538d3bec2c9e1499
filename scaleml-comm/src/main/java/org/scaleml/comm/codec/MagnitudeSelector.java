package org.scaleml.comm.codec;

import java.util.Arrays;

/**
 * Selection by magnitude for the sparse codecs: the k largest {@code |v|} of a float slice, returned as indices in
 * increasing order, ties at the k-th largest magnitude going to the lowest indices. Two strategies give the same
 * answer (the true top k) and differ only in speed: {@code exact} (two passes over the data) and {@code sampled}
 * (one pass after a sample; the default of {@link TopKCodec}). Also: sample quantiles of |v| (the initial
 * threshold of {@link ThresholdCodec}).
 *
 * <p>Not thread-safe. Scratch arrays are kept and grown: the result ({@code k} ints), the candidates (at most a
 * bounded multiple of k plus 4096, else the selection falls back to scratch-free passes) and a 16384-key sample.
 */
final class MagnitudeSelector {
    /*
     * Keys. key(x) = the bits of x with the sign cleared: a non-negative int ordered like |x| (IEEE 754 magnitudes
     * are ordered like their bit patterns), NaN above infinity. Selecting on keys is exact and needs no float
     * comparisons; equal keys are equal magnitudes, so "ties" are exact ties.
     *
     * Radix selection (kthLargest). The k-th largest key is found most significant digit first over 11 + 10 + 10
     * bits: a 2048-bin histogram of the top digit locates the bin holding the k-th largest and its rank within the
     * bin; a second histogram, of the next digit among the keys of that bin, narrows it; a third fixes the key.
     * Linear time whatever the data (no pivots, no worst case), three passes, no scratch beyond the histogram. It
     * also yields how many keys equal to the k-th largest belong to the top k (the rank within its bin), so the
     * result is the keys strictly above it plus that many of the equal ones, lowest index first.
     *
     * Candidates. A full radix selection reads the data three times and then once more to emit. Both strategies
     * below instead find a lower bound L on the k-th largest key, gather in one pass every (index, key) with
     * key >= L (a rarely taken, well predicted branch: twice as fast as a branch-free append, near memory speed),
     * and run the radix selection on the candidates only. If at least k keys are >= L, every element of the true
     * top k is a candidate (the k-th largest key is >= L), so selecting the top k among the candidates, in index
     * order, is exactly the top k of the whole slice with the same tie rule: both strategies are exact, always.
     *   exact:   L = the lowest key of the top-digit bin holding the k-th largest, from a full histogram pass; the
     *            candidate count is known in advance (k plus part of one bin). Two passes over the data.
     *   sampled: (n >= 2^17) L = the j-th largest of 16384 keys sampled uniformly with replacement (seeded), with
     *            j = ceil(q s + 4 sqrt(q s) + 1), q = k / n, s = 16384: about 4 standard deviations more sample
     *            points above L than the top k would put there. One pass over the data; about n j / s
     *            candidates (1.32 k for q = 1%), and fewer than k with probability below 1e-4 (a 4-sigma
     *            binomial tail).
     * If the candidates are fewer than k (the sample put L too high) or more than the candidate buffer holds
     * (max(4k, n/8), or for sampled about 1.5 times the expected count; heavy ties at L, e.g. a mostly-zero
     * vector, overflow it), the selection falls back to the full radix selection, which needs no buffer: the
     * result is still exact, only slower. fallbacks() counts these.
     */
    static final int KEY_MASK = 0x7FFF_FFFF;
    /** Sample size of the sampled strategy and of {@link #quantileKey}. */
    static final int SAMPLE = 16384;
    /** Smallest n for which the sampled strategy samples (below it, exact is as fast). */
    static final int SAMPLED_MIN_N = 1 << 17;

    private final int[] hist = new int[2048];
    private final CodecRandom rnd;
    private int[] sel = new int[0];
    private int[] selBits = new int[0];
    private int[] cand = new int[0];
    private int[] candBits = new int[0];
    private int[] candKey = new int[0];
    private int[] sample = new int[0];
    private int ties;
    private long fallbacks;

    MagnitudeSelector(long seed) {
        this.rnd = new CodecRandom(seed);
    }

    static int key(float x) {
        return Float.floatToRawIntBits(x) & KEY_MASK;
    }

    /** Selections that fell back to the full radix selection (diagnostics and tests). */
    long fallbacks() {
        return fallbacks;
    }

    /**
     * The indices of the k largest magnitudes of {@code src[off, off + n)}, {@code 0 <= k <= n}, in increasing
     * order in {@code result[0, k)} (the returned array is scratch, valid until the next call).
     */
    int[] select(float[] src, int off, int n, int k, boolean sampled) {
        if (sel.length < k) {
            sel = new int[k];
            selBits = new int[k];
        }
        if (k == 0) {
            return sel;
        }
        if (k == n) {
            for (int i = 0; i < n; i++) {
                sel[i] = i;
                selBits[i] = Float.floatToRawIntBits(src[off + i]);
            }
            return sel;
        }
        int lower;
        int cap;
        if (sampled && n >= SAMPLED_MIN_N) {
            int s = SAMPLE;
            if (sample.length < s) {
                sample = new int[s];
            }
            for (int t = 0; t < s; t++) {
                sample[t] = key(src[off + RandomSubset.uniform(rnd, n)]);
            }
            double mean = (double) k / n * s;
            int j = (int) Math.min(s, Math.ceil(mean + 4 * Math.sqrt(mean) + 1));
            lower = kthLargest(sample, s, j);
            double expected = (double) n * j / s;
            cap = (int) Math.min(Math.min(n, candidateLimit(n, k)), expected * (1 + 8 / Math.sqrt(j)) + 4096);
        } else {
            int[] h = hist;
            Arrays.fill(h, 0);
            for (int i = off, end = off + n; i < end; i++) {
                h[key(src[i]) >>> 20]++;
            }
            int d1 = descend(2048, k);
            long count = (long) k - ties + h[d1];
            if (count > candidateLimit(n, k)) {
                fallbacks++;
                return fullSelect(src, off, n, k);
            }
            lower = d1 << 20;
            cap = (int) count;
        }
        int m = collect(src, off, n, lower, cap);
        if (m < k) {
            fallbacks++;
            return fullSelect(src, off, n, k);
        }
        final int[] ci = cand;
        final int[] cb = candBits;
        final int[] ck = candKey;
        for (int c = 0; c < m; c++) {
            ck[c] = cb[c] & KEY_MASK;
        }
        int t = kthLargest(ck, m, k);
        int take = ties;
        final int[] out = sel;
        final int[] outBits = selBits;
        int s = 0;
        for (int c = 0; c < m; c++) {
            int x = ck[c];
            if (x > t || (x == t && take-- > 0)) {
                out[s] = ci[c];
                outBits[s++] = cb[c];
            }
        }
        return out;
    }

    /**
     * The raw float bits of the elements the last {@link #select} returned, in the same order (valid until the next
     * call): the values without another read of the input, whose selected elements are scattered over it.
     */
    int[] selectedBits() {
        return selBits;
    }

    /** Most candidates kept in memory: four times k or an eighth of n, whichever is more. */
    private static long candidateLimit(int n, int k) {
        return Math.max(4L * k, n >>> 3);
    }

    /**
     * Gathers (index, raw bits) of every element whose key is >= lower into the candidate buffers; returns their
     * number, or -1 (an overflow) as soon as more than {@code cap} were found.
     */
    private int collect(float[] src, int off, int n, int lower, int cap) {
        if (cand.length < cap) {
            cand = new int[cap];
            candBits = new int[cap];
            candKey = new int[cap];
        }
        return QuantKernels.get().collect(src, off, n, lower, cap, cand, candBits);
    }

    /** The top k by three radix passes over the whole slice, then one emitting pass. */
    private int[] fullSelect(float[] src, int off, int n, int k) {
        int t = kthLargestKey(src, off, n, k);
        int take = ties;
        final int[] out = sel;
        final int[] outBits = selBits;
        int s = 0;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(src[off + i]);
            int x = bits & KEY_MASK;
            if (x > t || (x == t && take-- > 0)) {
                out[s] = i;
                outBits[s++] = bits;
            }
        }
        return out;
    }

    /**
     * The key of the {@code ceil(fraction * s)}-th largest magnitude (at least the first) among s elements of
     * {@code src[off, off + n)}, {@code n >= 1}: all of them if {@code n <= SAMPLE} (s = n), else {@code SAMPLE}
     * sampled uniformly with replacement.
     */
    int quantileKey(float[] src, int off, int n, double fraction) {
        int s = Math.min(n, SAMPLE);
        if (sample.length < s) {
            sample = new int[SAMPLE];
        }
        if (n <= SAMPLE) {
            for (int t = 0; t < n; t++) {
                sample[t] = key(src[off + t]);
            }
        } else {
            for (int t = 0; t < s; t++) {
                sample[t] = key(src[off + RandomSubset.uniform(rnd, n)]);
            }
        }
        int j = (int) Math.max(1, Math.min(s, Math.ceil(fraction * s)));
        return kthLargest(sample, s, j);
    }

    /** The largest key among the last sample of {@link #quantileKey} (which sampled s elements). */
    int sampleMaxKey(int s) {
        int max = 0;
        for (int t = 0; t < s; t++) {
            max = Math.max(max, sample[t]);
        }
        return max;
    }

    // ------------------------------------------------------------------------------------ radix selection

    /**
     * From the top of {@code hist[0, bins)}, the bin that holds the rank-th largest; leaves the rank within that
     * bin (counted from its largest) in {@code ties}.
     */
    private int descend(int bins, int rank) {
        final int[] h = hist;
        int d = bins - 1;
        while (h[d] < rank) {
            rank -= h[d];
            d--;
        }
        ties = rank;
        return d;
    }

    /** The k-th largest key of {@code keys[0, m)}, {@code 1 <= k <= m}; sets {@code ties}. */
    int kthLargest(int[] keys, int m, int k) {
        final int[] h = hist;
        Arrays.fill(h, 0);
        for (int i = 0; i < m; i++) {
            h[keys[i] >>> 20]++;
        }
        int d1 = descend(2048, k);
        Arrays.fill(h, 0, 1024, 0);
        for (int i = 0; i < m; i++) {
            int x = keys[i];
            if ((x >>> 20) == d1) {
                h[(x >>> 10) & 1023]++;
            }
        }
        int prefix = (d1 << 10) | descend(1024, ties);
        Arrays.fill(h, 0, 1024, 0);
        for (int i = 0; i < m; i++) {
            int x = keys[i];
            if ((x >>> 10) == prefix) {
                h[x & 1023]++;
            }
        }
        return (prefix << 10) | descend(1024, ties);
    }

    /** The k-th largest key of {@code src[off, off + n)}, {@code 1 <= k <= n}; sets {@code ties}. */
    private int kthLargestKey(float[] src, int off, int n, int k) {
        final int[] h = hist;
        final int end = off + n;
        Arrays.fill(h, 0);
        for (int i = off; i < end; i++) {
            h[key(src[i]) >>> 20]++;
        }
        int d1 = descend(2048, k);
        Arrays.fill(h, 0, 1024, 0);
        for (int i = off; i < end; i++) {
            int x = key(src[i]);
            if ((x >>> 20) == d1) {
                h[(x >>> 10) & 1023]++;
            }
        }
        int prefix = (d1 << 10) | descend(1024, ties);
        Arrays.fill(h, 0, 1024, 0);
        for (int i = off; i < end; i++) {
            int x = key(src[i]);
            if ((x >>> 10) == prefix) {
                h[x & 1023]++;
            }
        }
        return (prefix << 10) | descend(1024, ties);
    }
}
