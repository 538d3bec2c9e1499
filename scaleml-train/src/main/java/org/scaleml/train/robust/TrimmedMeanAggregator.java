package org.scaleml.train.robust;

/**
 * The coordinate-wise trimmed mean: per coordinate, drop the {@code trim} largest and {@code trim} smallest of the
 * P values and average the remaining {@code P - 2 * trim}. With {@code f <= trim} Byzantine workers every output
 * coordinate lies between the smallest and the largest honest value. Stateless.
 */
final class TrimmedMeanAggregator extends CheckedAggregator {
    /*
     * The coordinate-wise trimmed mean of Yin et al. [1]. Per coordinate the P values are insertion-sorted (under
     * Float.compare, so NaN and infinities go to the ends and are trimmed first) into a scratch array of length P,
     * and s[trim .. P - trim) is summed in double in ascending order and divided by P - 2 * trim.
     *
     * Bound: a kept value s[k], trim <= k < P - trim, has k values sorted below it and P - 1 - k above it. If it is
     * Byzantine, at most f - 1 of the others are, so at least k - f + 1 >= trim - f + 1 >= 1 honest values lie at or
     * below it and at least P - k - f >= 1 at or above it (when f <= trim): every kept value, hence their average,
     * is inside the honest range.
     *
     * [1] D. Yin, Y. Chen, K. Ramchandran, P. Bartlett, "Byzantine-Robust Distributed Learning: Towards Optimal
     *     Statistical Rates", ICML 2018.
     */
    private final int trim;
    private final float[] sorted;

    TrimmedMeanAggregator(int world, int trim) {
        super(world, "trimmed-mean:trim=" + trim);
        this.trim = trim;
        this.sorted = new float[world];
    }

    @Override
    void combine(float[][] grads, int off, int len, float[] out) {
        float[] s = sorted;
        int hi = world - trim;
        double kept = hi - trim;
        for (int j = off, end = off + len; j < end; j++) {
            for (int i = 0; i < world; i++) {
                Slices.insert(s, i, grads[i][j]);
            }
            double sum = 0;
            for (int k = trim; k < hi; k++) {
                sum += s[k];
            }
            out[j] = (float) (sum / kept);
        }
    }
}
