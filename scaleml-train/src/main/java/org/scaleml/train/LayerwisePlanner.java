package org.scaleml.train;

import java.util.Arrays;
import java.util.Locale;

import org.scaleml.comm.codec.CodecSpec;
import org.scaleml.comm.codec.Codecs;

/**
 * Chooses a bit width per layer for layer-wise adaptive gradient quantization: given each layer's measured
 * quantization error at every candidate bit width, the widths that minimize the total error within a budget of
 * bits per element. Used by {@link GradientExchange} for {@code adaptive:...} codecs.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link Spec#parse} reads {@code adaptive:bits=B[,min=2,max=8,warmup=50,every=0,bucket=512,norm=max,
 *       base=qsgd]}; {@link Spec#codec(int)} is the registry codec a layer at {@code b} bits uses.</li>
 *   <li>{@link #accumulateErrors} adds, per candidate bit width, the <em>expected</em> squared error
 *       {@code E||Q_b(v) - v||^2} of the base quantizer on a slice, in closed form (no random draws).</li>
 *   <li>{@link #choose} returns widths {@code b_L} in {@code [min, max]} with
 *       {@code sum_L n_L b_L <= floor(B sum_L n_L)} always, minimizing {@code sum_L err_L(b_L)} exactly when the
 *       budget grid is exact (see the algorithm) and otherwise up to a rounding of each layer's size to the grid.
 *       Deterministic: the same inputs give the same widths on every JVM (ties go to fewer bits).</li>
 *   <li>Stateless and thread-safe; {@code null} arguments are rejected.</li>
 * </ul>
 */
final class LayerwisePlanner {
    /*
     * What is minimized. CGX [1] compresses layer-wise and adapts the compression per layer; L-GreCo [2] frames the
     * choice as: minimize the total compression error sum_L e_L(c_L) subject to the total compressed size
     * sum_L size_L(c_L) <= budget, and solves it by dynamic programming over a discretized size. We do the same for
     * one family (QSGD with b-bit codes): size_L(b) = n_L b bits (the per-bucket scale costs 32/D bits per element
     * whatever b is, so it does not enter the choice), and e_L(b) the expected squared error of quantizing the
     * layer's gradient, summed over the ranks and the last few warm-up steps (GradientExchange says why the ranks'
     * own gradients and not the averaged one).
     *
     * The error in closed form. QSGD with scale S and s = 2^(b-1) - 1 levels rounds u = s|x|/S to floor(u) or
     * floor(u) + 1, unbiased, so the expected squared error of an element is exactly (S/s)^2 f (1 - f) with
     * f = u - floor(u) ([3], and QsgdCodec's comment), given the data. Summing it over the layer is the quantity an
     * encode + decode would estimate from one random draw, without the sampling noise and without the random
     * stream, at the cost of one pass per candidate over the bucket while it is in L1 (a multiply, a conversion
     * and three adds/multiplies per element, in float; the bucket scale is computed once for all candidates):
     * 7 candidates over all of a 235k-parameter MLP (784-256-128-10) took 4.7 ms (best of 5, on this 2-core
     * machine shared with other jobs), about a third of its 12 ms step on a 1 Gbit/s link (docs/BENCHMARKS.md).
     * So a layer of more than MEASURED_BUCKETS buckets is measured on that many, by systematic sampling from a
     * random start that changes with the call and the rank (an unbiased estimate of the layer's sum, which over
     * 5 calls and P ranks covers 5P different subsets): at most 16 * 512 elements per layer, 17.7k elements and
     * 0.38 ms (best of 5; up to 0.9 ms under load) per measured call for that MLP, about 3% of its step, on 5 of
     * the warm-up steps only. LayerwisePlannerTest checks the closed form against the empirical mean of the real
     * codec, and the sampled estimate against the full sum.
     *
     * Why a DP rather than greedy. Greedy (add one bit to the layer with the largest error drop per added
     * bit-element) is optimal only when every e_L is convex in b and the budget is met exactly; with max-norm
     * scaling and heavy-tailed layers convexity is not guaranteed, and with layers of unequal sizes greedy can stop
     * with budget left that a different combination would have used. The DP is exact and cheap because it runs once
     * per plan: items are layers, choices are the C candidate widths, the weight of choice b is the extra bits
     * n_L (b - min) in units q, the capacity floor(B N) - min N in the same units. q is the gcd of the layer sizes
     * (then the DP is exact), coarsened to a multiple of it only if the capacity would exceed GRID units; each
     * weight is rounded UP to whole units, so a plan the DP admits never exceeds the true budget (at most L q bits
     * of budget can go unused). Cost O(L * GRID * C) time, L * GRID bytes of back-pointers: for 100 layers and 7
     * candidates 3.3 MB and 33 ms once compiled, 0.1 to 0.25 s on a JVM's first plan (measured here), once per
     * plan.
     *
     * [1] I. Markov, H. Ramezani-Kebrya, D. Alistarh, "CGX: Adaptive System Support for Communication-Efficient
     *     Deep Learning", Middleware 2022.
     * [2] I. Markov, K. Alim, E. Frantar, D. Alistarh, "L-GreCo: Layerwise-Adaptive Gradient Compression for
     *     Efficient and Accurate Deep Learning", MLSys 2024.
     * [3] D. Alistarh, D. Grubic, J. Li, R. Tomioka, M. Vojnovic, "QSGD: Communication-Efficient SGD via Gradient
     *     Quantization and Encoding", NeurIPS 2017.
     */

    /** Buckets per layer measured at most per call (see the algorithm). */
    static final int MEASURED_BUCKETS = 16;

    /** Largest capacity of the DP in budget units (see the algorithm). */
    static final int GRID = 1 << 15;

    private LayerwisePlanner() {
    }

    /**
     * A parsed {@code adaptive:} specification.
     *
     * @param budget  B, the average bits per element over the adaptively planned layers, in {@code [min, max]}
     * @param min     the smallest candidate width, in [2, 8]
     * @param max     the largest candidate width, in [min, 8]
     * @param warmup  the number of steps (calls of {@code average}) before the first plan, at least 1
     * @param every   re-plan every this many steps after the first plan; 0 for never
     * @param bucket  the quantizer's bucket size
     * @param maxNorm true for max-norm bucket scales (the default), false for L2
     */
    record Spec(double budget, int min, int max, int warmup, int every, int bucket, boolean maxNorm) {
        /** The codec name that marks an adaptive specification. */
        static final String NAME = "adaptive";
        /** Warm-up steps at whose end the plan is measured (at most). */
        static final int MEASURED_STEPS = 5;

        /** True if {@code spec} names the adaptive codec (whether or not its parameters are valid). */
        static boolean isAdaptive(String spec) {
            if (spec == null) {
                return false;
            }
            String t = spec.strip().toLowerCase(Locale.ROOT);
            return t.equals(NAME) || t.startsWith(NAME + ":");
        }

        /**
         * Parses an adaptive specification.
         *
         * @throws IllegalArgumentException naming the parameter that is missing, unknown or out of range
         */
        static Spec parse(String text) {
            CodecSpec s = CodecSpec.parse(text);
            if (!s.name().equals(NAME)) {
                throw new IllegalArgumentException("'" + text + "' is not an adaptive codec specification");
            }
            if (!s.has("bits")) {
                throw new IllegalArgumentException("'" + text + "': adaptive needs bits=B, the average bits per "
                        + "element of the compressed layers, e.g. adaptive:bits=4");
            }
            int min = s.intParam("min", 2, 2, 8);
            int max = s.intParam("max", 8, 2, 8);
            if (min > max) {
                throw new IllegalArgumentException("'" + text + "': min=" + min + " is above max=" + max);
            }
            double budget = s.doubleParam("bits", 4, min, max);
            int warmup = s.intParam("warmup", 50, 1, Integer.MAX_VALUE);
            int every = s.intParam("every", 0, 0, Integer.MAX_VALUE);
            int bucket = s.intParam("bucket", 512, 1, 1 << 24);
            boolean maxNorm = s.choice("norm", "max", "max", "l2").equals("max");
            s.choice("base", "qsgd", "qsgd");
            s.requireAllUsed();
            Spec spec = new Spec(budget, min, max, warmup, every, bucket, maxNorm);
            spec.codec(min); // the registry validates the bucket size once more
            return spec;
        }

        /**
         * The canonical form, e.g. {@code adaptive:bits=4,min=2,max=8,warmup=50,every=0,bucket=512,norm=max,base=qsgd}.
         */
        String canonical() {
            String b = budget == Math.rint(budget) ? Long.toString((long) budget) : Double.toString(budget);
            return NAME + ":bits=" + b + ",min=" + min + ",max=" + max + ",warmup=" + warmup + ",every=" + every
                    + ",bucket=" + bucket + ",norm=" + (maxNorm ? "max" : "l2") + ",base=qsgd";
        }

        /** The width of the uniform warm-up codec: floor(B), within the budget. */
        int warmupBits() {
            return (int) Math.floor(budget);
        }

        /** Number of candidate widths. */
        int candidates() {
            return max - min + 1;
        }

        /** The canonical registry codec of a layer at {@code bits} bits, e.g. {@code qsgd:bits=3,bucket=512,norm=max}.
         */
        String codec(int bits) {
            return Codecs.create("qsgd:bits=" + bits + ",bucket=" + bucket + ",norm=" + (maxNorm ? "max" : "l2"), 0)
                    .spec();
        }

        /** True if call number {@code call} (1-based) ends with a (re-)plan. */
        boolean plansAt(long call) {
            return call == warmup || (every > 0 && call > warmup && (call - warmup) % every == 0);
        }

        /** True if the gradients of call number {@code call} (1-based) are measured for the next plan. */
        boolean measuresAt(long call) {
            if (call <= warmup) {
                return call > warmup - Math.min(MEASURED_STEPS, warmup);
            }
            if (every == 0) {
                return false;
            }
            long r = (call - warmup) % every;
            long untilPlan = r == 0 ? 0 : every - r;
            return untilPlan < Math.min(MEASURED_STEPS, every);
        }
    }

    /**
     * Adds to {@code acc[accOff + c]}, for each candidate {@code b = min + c} in {@code [min, max]}, the expected
     * squared error {@code E||Q_b(v) - v||^2} of QSGD with buckets of {@code bucket} elements (starting at
     * {@code off}) and the max-norm or L2 scale, on {@code v = src[off, off + len)}: exactly (up to float
     * rounding) if the slice has at most {@code maxBuckets} buckets, else estimated from {@code maxBuckets} of
     * them, chosen by systematic sampling with the random start {@code start} in [0, 1) (each bucket equally
     * likely over the starts) and scaled by buckets / maxBuckets. O(min(len, maxBuckets * bucket) * (max - min + 2)).
     *
     * @throws IllegalArgumentException if a value is not finite
     */
    static void accumulateErrors(float[] src, int off, int len, int bucket, boolean maxNorm, int min, int max,
                                 int maxBuckets, double start, double[] acc, int accOff) {
        final long nb = ((long) len + bucket - 1) / bucket;
        final boolean all = nb <= maxBuckets;
        final int visits = all ? (int) nb : maxBuckets;
        final double weight = all ? 1 : (double) nb / maxBuckets;
        for (int t = 0; t < visits; t++) {
            long j = all ? t : Math.min(nb - 1, (long) ((t + start) * nb / maxBuckets));
            bucketErrors(src, off + (int) (j * bucket), off + (int) Math.min(len, (j + 1) * bucket), maxNorm, min,
                    max, weight, acc, accOff);
        }
    }

    /** {@link #accumulateErrors} of every bucket. */
    static void accumulateErrors(float[] src, int off, int len, int bucket, boolean maxNorm, int min, int max,
                                 double[] acc, int accOff) {
        accumulateErrors(src, off, len, bucket, maxNorm, min, max, Integer.MAX_VALUE, 0, acc, accOff);
    }

    /** Adds {@code weight} times the expected error at each candidate width of one bucket. */
    private static void bucketErrors(float[] src, int from, int to, boolean maxNorm, int min, int max, double weight,
                                     double[] acc, int accOff) {
        double scale = 0;
        for (int i = from; i < to; i++) {
            double a = Math.abs(src[i]);
            if (!(a <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException("non-finite gradient value " + src[i] + " at " + i);
            }
            scale = maxNorm ? Math.max(scale, a) : scale + a * a;
        }
        if (!maxNorm) {
            scale = Math.sqrt(scale);
        }
        if (scale == 0) {
            return;
        }
        for (int c = 0; c <= max - min; c++) {
            final int s = (1 << (min + c - 1)) - 1;
            double step = scale / s;
            acc[accOff + c] += weight * fractionVariance(src, from, to, (float) (s / scale)) * step * step;
        }
    }

    /**
     * {@code sum_i f_i (1 - f_i)} with {@code f_i} the fraction of {@code |src[i]| * k}, over {@code [from, to)}:
     * in float (the fraction to about 2^-17 for the at most 127 levels), four independent double accumulators so
     * that the additions do not form one dependency chain.
     */
    private static double fractionVariance(float[] src, int from, int to, float k) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            float u0 = Math.abs(src[i]) * k;
            float u1 = Math.abs(src[i + 1]) * k;
            float u2 = Math.abs(src[i + 2]) * k;
            float u3 = Math.abs(src[i + 3]) * k;
            float f0 = u0 - (int) u0;
            float f1 = u1 - (int) u1;
            float f2 = u2 - (int) u2;
            float f3 = u3 - (int) u3;
            a0 += f0 - f0 * f0;
            a1 += f1 - f1 * f1;
            a2 += f2 - f2 * f2;
            a3 += f3 - f3 * f3;
        }
        for (; i < to; i++) {
            float u = Math.abs(src[i]) * k;
            float f = u - (int) u;
            a0 += f - f * f;
        }
        return (a0 + a1) + (a2 + a3);
    }

    /**
     * The widths that minimize {@code sum_L err[L][b_L - min]} subject to {@code sum_L n_L b_L <= floor(B N)}
     * (see the class comment).
     *
     * @param sizes  element count per layer, each at least 1
     * @param err    per layer, the error at each candidate width {@code min .. max} (finite, non-negative)
     * @param min    the smallest candidate width
     * @param budget B, at least {@code min}
     * @return one width per layer, in {@code [min, min + err[L].length - 1]}
     * @throws IllegalArgumentException for inconsistent arguments
     */
    static int[] choose(int[] sizes, double[][] err, int min, double budget) {
        final int layers = sizes.length;
        if (err.length != layers) {
            throw new IllegalArgumentException(err.length + " error rows for " + layers + " layers");
        }
        if (layers == 0) {
            return new int[0];
        }
        final int cands = err[0].length;
        long total = 0;
        long g = 0;
        for (int i = 0; i < layers; i++) {
            if (sizes[i] < 1 || err[i].length != cands) {
                throw new IllegalArgumentException("layer " + i + ": size " + sizes[i] + ", " + err[i].length
                        + " candidates (expected " + cands + ")");
            }
            total += sizes[i];
            g = gcd(g, sizes[i]);
        }
        if (!(budget >= min)) {
            throw new IllegalArgumentException("budget " + budget + " below the smallest width " + min);
        }
        // extra bits beyond min everywhere; floor of a product exact for the sizes of any model
        long extra = (long) Math.floor(budget * total) - (long) min * total;
        extra = Math.max(0, Math.min(extra, (long) (cands - 1) * total));
        long q = g * Math.max(1, ceilDiv(extra / g, GRID));
        final int cap = (int) (extra / q);
        final double inf = Double.POSITIVE_INFINITY;
        double[] cur = new double[cap + 1];
        double[] next = new double[cap + 1];
        Arrays.fill(cur, inf);
        cur[0] = 0;
        byte[][] pick = new byte[layers][cap + 1];
        for (int i = 0; i < layers; i++) {
            Arrays.fill(next, inf);
            for (int c = 0; c < cands; c++) {
                long wl = ceilDiv((long) sizes[i] * c, q);
                if (wl > cap) {
                    break;
                }
                int w = (int) wl;
                double e = err[i][c];
                for (int k = w; k <= cap; k++) {
                    double v = cur[k - w] + e;
                    if (v < next[k]) { // strict: among equal errors the fewer bits (smaller c) stay
                        next[k] = v;
                        pick[i][k] = (byte) c;
                    }
                }
            }
            double[] t = cur;
            cur = next;
            next = t;
        }
        int best = 0;
        for (int k = 1; k <= cap; k++) {
            if (cur[k] < cur[best]) {
                best = k;
            }
        }
        int[] bits = new int[layers];
        int k = best;
        for (int i = layers - 1; i >= 0; i--) {
            int c = pick[i][k];
            bits[i] = min + c;
            k -= (int) ceilDiv((long) sizes[i] * c, q);
        }
        return bits;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
