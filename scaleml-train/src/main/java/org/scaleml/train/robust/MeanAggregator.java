package org.scaleml.train.robust;

/**
 * The coordinate-wise average: what a plain allreduce computes. Not robust: a single worker can move it anywhere.
 * Kept here as the baseline the robust rules are compared with. Stateless.
 */
final class MeanAggregator implements Aggregator {
    /*
     * out[j] = (float) ((sum over ranks in rank order of (double) grads[i][j]) / P). The double sum of at most
     * a few dozen floats is exact or nearly so, and its fixed order makes the result bitwise reproducible.
     */
    private final int world;

    MeanAggregator(int world) {
        this.world = world;
    }

    @Override
    public String spec() {
        return "mean";
    }

    @Override
    public void aggregate(float[][] grads, int off, int len, float[] out) {
        Slices.checkAggregate("mean", world, grads, off, len, out);
        for (int j = off, end = off + len; j < end; j++) {
            double s = 0;
            for (int i = 0; i < world; i++) {
                s += grads[i][j];
            }
            out[j] = (float) (s / world);
        }
    }
}
