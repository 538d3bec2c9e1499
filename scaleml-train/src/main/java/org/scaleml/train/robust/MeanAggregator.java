package org.scaleml.train.robust;

/**
 * The coordinate-wise average: what a plain allreduce computes. Not robust: a single worker can move it anywhere.
 * Kept here as the baseline the robust rules are compared with. Stateless.
 */
final class MeanAggregator extends CheckedAggregator {
    /*
     * out[j] = (float) ((sum over ranks in rank order of (double) grads[i][j]) / P). The double sum of at most
     * a few dozen floats is exact or nearly so, and its fixed order makes the result bitwise reproducible.
     */

    MeanAggregator(int world) {
        super(world, "mean");
    }

    @Override
    void combine(float[][] grads, int off, int len, float[] out) {
        for (int j = off, end = off + len; j < end; j++) {
            double s = 0;
            for (int i = 0; i < world; i++) {
                s += grads[i][j];
            }
            out[j] = (float) (s / world);
        }
    }
}
