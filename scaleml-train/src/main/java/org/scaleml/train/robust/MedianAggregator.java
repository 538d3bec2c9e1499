package org.scaleml.train.robust;

/**
 * The coordinate-wise median (for an even number of workers, the mean of the two middle values). With {@code f}
 * Byzantine workers and {@code 2f < P}, every output coordinate lies between the smallest and the largest honest
 * value of that coordinate, however the attackers choose theirs. Stateless.
 */
final class MedianAggregator extends CheckedAggregator {
    /*
     * Coordinate-wise median, the rule analysed by Yin et al. [1] (statistical rates for median and trimmed mean
     * under f < P/2 Byzantine workers).
     *
     * Per coordinate the P values are insertion-sorted into a scratch array of length P (P is small, at most a
     * few dozen, where insertion sort beats anything with more overhead), under Float.compare's total order so that
     * NaN and infinities sent by an attacker sort to the ends. Odd P: the middle value, bitwise one of the inputs.
     * Even P: ((double) lo + hi) / 2 rounded to float.
     *
     * Why it bounds the attackers: the k-th order statistic for f < k <= P - f is at least the (k - f)-th honest
     * value and at most the k-th honest one; both middle indices satisfy this when 2f < P.
     *
     * [1] D. Yin, Y. Chen, K. Ramchandran, P. Bartlett, "Byzantine-Robust Distributed Learning: Towards Optimal
     *     Statistical Rates", ICML 2018.
     */
    private final float[] sorted;

    MedianAggregator(int world) {
        super(world, "median");
        this.sorted = new float[world];
    }

    @Override
    void combine(float[][] grads, int off, int len, float[] out) {
        float[] s = sorted;
        int mid = world >>> 1;
        boolean odd = (world & 1) == 1;
        for (int j = off, end = off + len; j < end; j++) {
            for (int i = 0; i < world; i++) {
                Slices.insert(s, i, grads[i][j]);
            }
            out[j] = odd ? s[mid] : (float) (((double) s[mid - 1] + s[mid]) * 0.5);
        }
    }
}
