package org.scaleml.cli;

import java.util.SplittableRandom;

import org.scaleml.train.data.Dataset;

/** Generated stand-in data for the demo when no real data set is installed. */
final class DemoData {
    private DemoData() {
    }

    /** {@code n} examples of {@code d} features in {@code classes} noisy Gaussian clusters, seeded. */
    static Dataset clusters(int n, int d, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] c = new float[classes][d];
        for (float[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextDouble();
            }
        }
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(classes);
            y[i] = k;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) Math.min(1, Math.max(0, c[k][j] + 0.8 * (r.nextDouble() - 0.5)));
            }
        }
        return Dataset.dense("generated clusters", x, y, d, classes);
    }
}
