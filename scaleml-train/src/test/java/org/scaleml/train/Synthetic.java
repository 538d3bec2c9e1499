package org.scaleml.train;

import java.util.SplittableRandom;

import org.scaleml.train.data.Dataset;

/** Generated classification data for trainer tests: Gaussian clusters around random centres. */
final class Synthetic {
    private Synthetic() {
    }

    /** {@code n} examples of {@code d} features in {@code classes} clusters (noise {@code sigma}), seeded. */
    static Dataset clusters(String name, int n, int d, int classes, double sigma, long seed) {
        SplittableRandom centres = new SplittableRandom(12345);
        float[][] c = new float[classes][d];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d; j++) {
                c[k][j] = (float) (centres.nextDouble() * 2 - 1);
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(classes);
            y[i] = k;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (c[k][j] + sigma * gaussian(r));
            }
        }
        return Dataset.dense(name, x, y, d, classes);
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
