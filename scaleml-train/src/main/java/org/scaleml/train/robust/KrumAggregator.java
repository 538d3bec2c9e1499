package org.scaleml.train.robust;

/**
 * Krum and Multi-Krum: choose the vector(s) closest to their nearest neighbours. With {@code f} Byzantine workers
 * among {@code P > 2f + 2}, {@code score(i)} is the sum of the squared L2 distances from vector {@code i} to its
 * {@code P - f - 2} nearest other vectors (over the slice {@code [off, off + len)}); the output is the vector with
 * the lowest score (ties: the lowest rank), or with {@code m > 1} the average of the {@code m} lowest-scoring
 * vectors. With {@code m = 1} the output is bitwise one of the inputs. Stateless.
 *
 * <p>Cost per call: {@code O(P^2 * len)} for the distances, {@code O(P^3)} for the scores, {@code O(m * len)} for
 * the output.
 */
final class KrumAggregator extends CheckedAggregator {
    /*
     * Krum [1]: an honest vector's nearest P - f - 2 neighbours can be chosen among the other honest vectors (there
     * are P - f - 1 of them), so its score stays of the order of the honest spread, whereas a vector far from the
     * honest cluster pays its distance to at least P - 2f - 2 >= 1 honest vectors. Multi-Krum [1, Sec. 5] averages
     * the m best, trading some robustness for lower variance; m <= P - f.
     *
     * Implementation: squared distances for each unordered pair, accumulated in double over the slice (the
     * difference of two floats is exact in double, its square nearly so), kept in a P x P scratch matrix. For each
     * i the P - 1 distances to the others are insertion-sorted (Double.compare: a NaN distance, e.g. from an
     * attacker sending NaN, is the largest) and the P - f - 2 smallest summed in ascending order. The m winners are
     * picked by repeated argmin under Double.compare with the lowest rank winning ties (a NaN score is never picked
     * before a number), then averaged in double in rank order.
     *
     * [1] P. Blanchard, E. M. El Mhamdi, R. Guerraoui, J. Stainer, "Machine Learning with Adversaries: Byzantine
     *     Tolerant Gradient Descent", NeurIPS 2017.
     */
    private final int neighbours;
    private final int m;
    private final double[] dist;
    private final double[] row;
    private final double[] score;
    private final boolean[] chosen;

    KrumAggregator(int world, int byzantine, int m) {
        super(world, "krum:m=" + m);
        this.neighbours = world - byzantine - 2;
        this.m = m;
        this.dist = new double[world * world];
        this.row = new double[world];
        this.score = new double[world];
        this.chosen = new boolean[world];
    }

    @Override
    void combine(float[][] grads, int off, int len, float[] out) {
        int end = off + len;
        for (int i = 0; i < world; i++) {
            float[] a = grads[i];
            for (int k = i + 1; k < world; k++) {
                float[] b = grads[k];
                double acc = 0;
                for (int j = off; j < end; j++) {
                    double d = (double) a[j] - b[j];
                    acc += d * d;
                }
                dist[i * world + k] = acc;
                dist[k * world + i] = acc;
            }
        }
        for (int i = 0; i < world; i++) {
            int n = 0;
            for (int k = 0; k < world; k++) {
                if (k != i) {
                    row[n++] = dist[i * world + k];
                }
            }
            Slices.sort(row, n);
            double s = 0;
            for (int k = 0; k < neighbours; k++) {
                s += row[k];
            }
            score[i] = s;
            chosen[i] = false;
        }
        for (int r = 0; r < m; r++) {
            int best = -1;
            for (int i = 0; i < world; i++) {
                if (!chosen[i] && (best < 0 || Double.compare(score[i], score[best]) < 0)) {
                    best = i;
                }
            }
            chosen[best] = true;
        }
        for (int j = off; j < end; j++) {
            double s = 0;
            for (int i = 0; i < world; i++) {
                if (chosen[i]) {
                    s += grads[i][j];
                }
            }
            out[j] = (float) (s / m);
        }
    }
}
