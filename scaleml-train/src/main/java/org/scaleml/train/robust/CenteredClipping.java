package org.scaleml.train.robust;

import java.util.Arrays;
import java.util.Objects;

/**
 * Centered clipping: starting from the previous aggregate {@code v} (zeros on the first call), repeat {@code iters}
 * times {@code v = v + (1/P) * sum_i (g_i - v) * min(1, tau / ||g_i - v||)}, and output {@code v}. Each worker
 * moves {@code v} by at most {@code tau / P} per iteration, so {@code f} attackers shift it by at most
 * {@code f * tau / P} per iteration, however large their vectors.
 *
 * <p><b>Radius.</b> An explicit {@code tau} is used as given. By default ({@code tau} adaptive) it is, at each
 * iteration, the median over the workers of {@code ||g_i - v||}. That choice is scale-free: multiplying every
 * gradient (and the state) by {@code c > 0} multiplies the output by {@code c}, so no radius has to be tuned to the
 * gradient magnitude, which changes during training and from layer to layer. And with {@code 2f < P} the median
 * lies between the smallest and the largest honest distance, so the attackers cannot inflate it.
 *
 * <p><b>State.</b> {@code v} is kept per coordinate, so calls on different slices (layers) have independent
 * centres; {@link #state()} is {@code {v}} covering the largest slice end seen so far (length 0 before the first
 * call). Norms are taken over the slice of each call.
 *
 * <p><b>Non-finite input.</b> A vector whose distance to {@code v} is not finite (it holds NaN or an infinity) gets
 * weight 0: it would otherwise turn {@code v} into NaN.
 */
final class CenteredClipping extends CheckedAggregator {
    /*
     * Centered clipping of Karimireddy, He and Jaggi [1], started from the previous aggregate as they do (the
     * workers' momentum, which their analysis also uses, is left to the optimizer). Per iteration:
     *   1. d_i = ||g_i - v|| over the slice, accumulated in double, in rank order;
     *   2. t = tau, or the median of the d_i (Double.compare order, so NaN distances sort last; even P: the mean
     *      of the two middle values; a non-finite median, possible only when half or more are non-finite, means
     *      no clipping);
     *   3. w_i = 1 if d_i <= t (this also covers 0/0 when t = d_i = 0), t / d_i if larger, 0 if d_i is not finite;
     *   4. per coordinate v_j += (1/P) * sum_i w_i * (g_ij - v_j), summed in double in rank order, rounded to
     *      float (the state is float, like the gradients).
     * Every input is read in step 1 of each iteration and the output written only after the last one, so out may
     * alias a gradient.
     *
     * Why the median is bounded by honest distances: as for the coordinate-wise median (see MedianAggregator), the
     * middle order statistics of P values of which f < P/2 are arbitrary lie between the smallest and the largest
     * of the honest ones.
     *
     * [1] S. P. Karimireddy, L. He, M. Jaggi, "Learning from History for Byzantine Robust Optimization", ICML 2021.
     */
    private final double tau; // NaN: adaptive (median distance)
    private final int iters;
    private final double[] norm;
    private final double[] sorted;
    private final double[] weight;
    private float[] centre = new float[0];

    /**
     * @param tau   clipping radius {@code > 0}, or NaN for the adaptive median radius
     * @param iters clipping iterations per call, {@code >= 1}
     */
    CenteredClipping(int world, double tau, int iters) {
        super(world, Double.isNaN(tau) ? "clip:iters=" + iters
                : "clip:tau=" + Slices.number(tau) + ",iters=" + iters);
        this.tau = tau;
        this.iters = iters;
        this.norm = new double[world];
        this.sorted = new double[world];
        this.weight = new double[world];
    }

    @Override
    void combine(float[][] grads, int off, int len, float[] out) {
        int end = off + len;
        if (centre.length < end) { // grows once per new slice end, i.e. at most once per layer
            centre = Arrays.copyOf(centre, end);
        }
        float[] v = centre;
        for (int it = 0; it < iters; it++) {
            for (int i = 0; i < world; i++) {
                float[] g = grads[i];
                double acc = 0;
                for (int j = off; j < end; j++) {
                    double d = (double) g[j] - v[j];
                    acc += d * d;
                }
                norm[i] = Math.sqrt(acc);
            }
            double t = tau;
            if (Double.isNaN(t)) {
                System.arraycopy(norm, 0, sorted, 0, world);
                Slices.sort(sorted, world);
                int mid = world >>> 1;
                t = (world & 1) == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) * 0.5;
                if (!Double.isFinite(t)) {
                    t = Double.POSITIVE_INFINITY;
                }
            }
            for (int i = 0; i < world; i++) {
                double d = norm[i];
                weight[i] = !Double.isFinite(d) ? 0 : d <= t ? 1 : t / d;
            }
            for (int j = off; j < end; j++) {
                double vj = v[j];
                double acc = 0;
                for (int i = 0; i < world; i++) {
                    double w = weight[i];
                    if (w != 0) {
                        acc += w * ((double) grads[i][j] - vj);
                    }
                }
                v[j] = (float) (vj + acc / world);
            }
        }
        System.arraycopy(v, off, out, off, len);
    }

    /** {@code {v}}: a copy of the centre over {@code [0, largest slice end seen)}. */
    @Override
    public float[][] state() {
        return new float[][] {centre.clone()};
    }

    /**
     * Restores a centre returned by {@link #state()} (of this or another instance with the same spec).
     *
     * @throws IllegalArgumentException unless {@code state} holds exactly one array
     */
    @Override
    public void restore(float[][] state) {
        Objects.requireNonNull(state, "state");
        if (state.length != 1 || state[0] == null) {
            throw new IllegalArgumentException(spec() + " keeps one state array (its centre), got "
                    + (state.length == 1 ? "null" : state.length + " arrays"));
        }
        centre = state[0].clone();
    }
}
