package org.scaleml.comm.codec;

import java.util.Arrays;

/**
 * Fits quantization levels {@code 0 = l_0 < l_1 < ... < l_s = 1} to a sample of normalized magnitudes in [0, 1]
 * by minimizing the sample's stochastic-rounding variance {@code V = sum over x of (hi(x) - x)(x - lo(x))}, where
 * {@code lo(x) <= x <= hi(x)} are the adjacent levels: by coordinate descent on each level (ALQ) or over the single
 * multiplier {@code p} of exponential levels {@code p^(s-j)} (AMQ). Used by {@link AdaptiveLevelsCodec}.
 *
 * <p>Scratch for at most {@link #CAPACITY} values is allocated once; {@link #load} sorts the sample (in place, no
 * allocation at this size) and builds prefix sums, after which V of a level table costs {@code O(s log m)} and one
 * ALQ level update {@code O(log m)}. Not thread-safe.
 */
final class LevelFitter {
    /*
     * With the sample sorted and prefix sums P1[k] = sum of x_i, P2[k] = sum of x_i^2 over i < k, the variance of
     * the samples in [lo, hi) is -sum x^2 + (lo + hi) sum x - lo hi count: O(1) after two binary searches.
     *
     * ALQ step ([1] F. Faghri, I. Tabrizian, I. Markov, D. Alistarh, D. M. Roy, A. Ramezani-Kebrya, "Adaptive
     * Gradient Quantization for Data-Parallel SGD", NeurIPS 2020, Section 3): with its neighbours a < c fixed,
     * level b only affects the samples in (a, c), and V(b) = sum_{x <= b} (b - x)(x - a) + sum_{x > b} (c - x)(x - b)
     * is continuous and piecewise linear in b with slope F(b) = sum_{a < x <= b} (x - a) - sum_{b < x < c} (c - x),
     * non-decreasing in b. Its minimum is at the sample x_k where F first turns non-negative, found by binary
     * search over k. ([1] derives the same optimality condition, F = 0, for a parametric (truncated normal) model
     * of the coordinates, sum x becoming an integral over its CDF; we use the empirical sample directly.) The new
     * level is a sample value strictly inside (a, c), so the levels stay strictly increasing; a level with no
     * sample between its neighbours keeps its place. Each update can only lower V, so sweeps over j = 1..s-1
     * converge; they stop when no level moves or after MAX_SWEEPS.
     *
     * Coordinate descent finds a local minimum near its start. Starting from NUQSGD's levels at many bits, most
     * levels sit far below every sample and can never move (no sample between their neighbours), so ALQ starts
     * from the best of: the current levels, the AMQ fit and the uniform levels j/s (by V on the sample).
     *
     * AMQ ([1], Section 3): levels p^(s-j), j = 1..s. With p = 2^-q, V(q) is evaluated on a log-spaced grid of q in
     * [Q_MIN, q_max] (q_max keeps the smallest level p^(s-1) >= 2^-120, a normal float) and at q = 1 (NUQSGD); the
     * best of these is refined by golden-section search within one grid step either side.
     */
    static final int CAPACITY = 4096;
    private static final int MAX_SWEEPS = 64;
    private static final int GRID = 48;
    private static final double Q_MIN = 1e-3;

    private final float[] x = new float[CAPACITY];
    private final double[] p1 = new double[CAPACITY + 1];
    private final double[] p2 = new double[CAPACITY + 1];
    private int m;

    /** The number of values loaded. */
    int size() {
        return m;
    }

    /** Room to write up to {@link #CAPACITY} values before {@link #load}. */
    float[] buffer() {
        return x;
    }

    /** Takes {@code buffer()[0, count)} (values in [0, 1]) as the sample: sorts it and builds the prefix sums. */
    void load(int count) {
        if (count < 0 || count > CAPACITY) {
            throw new IllegalArgumentException("sample of " + count + " values, capacity " + CAPACITY);
        }
        m = count;
        Arrays.sort(x, 0, count); // at most 4096 values: dual-pivot quicksort, no allocation
        double s1 = 0;
        double s2 = 0;
        p1[0] = 0;
        p2[0] = 0;
        for (int i = 0; i < count; i++) {
            double v = x[i];
            s1 += v;
            s2 += v * v;
            p1[i + 1] = s1;
            p2[i + 1] = s2;
        }
    }

    /** First index whose value is {@code >= v}. */
    private int lowerBound(double v) {
        int lo = 0;
        int hi = m;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose value is {@code > v}. */
    private int upperBound(double v) {
        int lo = 0;
        int hi = m;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sum of (hi - x)(x - lo) over the samples with index in [from, to). */
    private double intervalVariance(int from, int to, double lo, double hi) {
        if (from >= to) {
            return 0;
        }
        double sx = p1[to] - p1[from];
        double sxx = p2[to] - p2[from];
        return Math.max(0, -sxx + (lo + hi) * sx - lo * hi * (to - from));
    }

    /** The sample variance V of the level table {@code l[0..s]} (l[0] = 0, l[s] = 1). */
    double variance(float[] l, int s) {
        double v = 0;
        int from = lowerBound(l[0]);
        for (int j = 0; j < s; j++) {
            int to = lowerBound(l[j + 1]);
            v += intervalVariance(from, to, l[j], l[j + 1]);
            from = to;
        }
        return v;
    }

    /** The variance of exponential levels with multiplier 2^-q, computed on the fly (no table). */
    private double exponentialVariance(double q, int s) {
        double v = 0;
        double lo = 0;
        int from = 0;
        for (int j = 1; j <= s; j++) {
            double hi = j == s ? 1.0 : (float) Math.pow(2, -q * (s - j)); // as the float table will hold it
            int to = lowerBound(hi);
            v += intervalVariance(from, to, lo, hi);
            from = to;
            lo = hi;
        }
        return v;
    }

    /**
     * AMQ: the exponential levels {@code p^(s-j)} minimizing the sample variance, written to {@code out[0..s]}.
     *
     * @return the multiplier p
     */
    double fitExponential(int s, float[] out) {
        double best = 1; // NUQSGD
        if (s >= 2 && m > 0) {
            final double logMin = Math.log(Q_MIN);
            final double logMax = Math.log(Math.min(20, 120.0 / (s - 1)));
            final double step = (logMax - logMin) / (GRID - 1);
            double bestV = exponentialVariance(best, s);
            for (int i = 0; i < GRID; i++) {
                double q = Math.exp(logMin + step * i);
                double v = exponentialVariance(q, s);
                if (v < bestV) {
                    bestV = v;
                    best = q;
                }
            }
            // golden-section refinement in log q, one grid step either side of the best candidate
            double a = Math.max(logMin, Math.log(best) - step);
            double b = Math.min(logMax, Math.log(best) + step);
            final double g = (Math.sqrt(5) - 1) / 2;
            double c = b - g * (b - a);
            double d = a + g * (b - a);
            double vc = exponentialVariance(Math.exp(c), s);
            double vd = exponentialVariance(Math.exp(d), s);
            for (int it = 0; it < 40; it++) {
                if (vc < vd) {
                    b = d;
                    d = c;
                    vd = vc;
                    c = b - g * (b - a);
                    vc = exponentialVariance(Math.exp(c), s);
                } else {
                    a = c;
                    c = d;
                    vc = vd;
                    d = a + g * (b - a);
                    vd = exponentialVariance(Math.exp(d), s);
                }
            }
            double q = Math.exp((a + b) / 2);
            if (exponentialVariance(q, s) < bestV) {
                best = q;
            }
        }
        out[0] = 0f;
        for (int j = 1; j <= s; j++) {
            out[j] = j == s ? 1f : (float) Math.pow(2, -best * (s - j));
        }
        return Math.pow(2, -best);
    }

    /**
     * ALQ: coordinate descent on {@code l[1..s-1]} in place (l[0] = 0 and l[s] = 1 stay), from the given levels.
     *
     * @return the number of sweeps made
     */
    int coordinateDescent(float[] l, int s) {
        int sweeps = 0;
        boolean moved = true;
        while (moved && sweeps < MAX_SWEEPS) {
            moved = false;
            sweeps++;
            for (int j = 1; j < s; j++) {
                float b = bestLevel(l[j - 1], l[j + 1]);
                if (!Float.isNaN(b) && b != l[j]) { // NaN: no sample in (a, c)
                    l[j] = b;
                    moved = true;
                }
            }
        }
        return sweeps;
    }

    /**
     * The sample value in (a, c) minimizing the variance of the samples between a and c when a middle level is
     * placed there, or NaN if no sample lies strictly between a and c.
     */
    float bestLevel(float a, float c) {
        final int ia = upperBound(a);
        final int ic = lowerBound(c);
        if (ia >= ic) {
            return Float.NaN;
        }
        // smallest k in [ia, ic) with F(k) >= 0; F(ic - 1) = sum (x - a) > 0, so it exists
        int lo = ia;
        int hi = ic - 1;
        while (lo < hi) {
            int k = (lo + hi) >>> 1;
            if (slope(k, ia, ic, a, c) >= 0) {
                hi = k;
            } else {
                lo = k + 1;
            }
        }
        return x[lo];
    }

    /** F at b = x_k: sum over i in [ia, k] of (x_i - a) minus sum over i in (k, ic) of (c - x_i). */
    private double slope(int k, int ia, int ic, double a, double c) {
        double left = (p1[k + 1] - p1[ia]) - (double) (k + 1 - ia) * a;
        double right = (double) (ic - k - 1) * c - (p1[ic] - p1[k + 1]);
        return left - right;
    }
}
