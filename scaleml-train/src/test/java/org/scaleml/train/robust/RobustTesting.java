package org.scaleml.train.robust;

import java.util.SplittableRandom;

/** Inputs and measures shared by the tests of this package. */
final class RobustTesting {
    private RobustTesting() {
    }

    /** A standard normal deviate (Box-Muller). */
    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** {@code n} values of N(0, 1). */
    static float[] normal(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = (float) gaussian(r);
        }
        return v;
    }

    /**
     * {@code honest} workers' gradients {@code mu + spread * N(0, I)}, followed by {@code attackers} copies of
     * honest-looking gradients (to be replaced by an attack).
     */
    static float[][] workers(SplittableRandom r, float[] mu, double spread, int honest, int attackers) {
        float[][] g = new float[honest + attackers][mu.length];
        for (float[] gi : g) {
            for (int j = 0; j < mu.length; j++) {
                gi[j] = (float) (mu[j] + spread * gaussian(r));
            }
        }
        return g;
    }

    /** The mean of the first {@code honest} vectors. */
    static float[] mean(float[][] g, int honest) {
        int n = g[0].length;
        float[] m = new float[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < honest; i++) {
                s += g[i][j];
            }
            m[j] = (float) (s / honest);
        }
        return m;
    }

    static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = (double) a[j] - b[j];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    static float[][] deepCopy(float[][] g) {
        float[][] c = new float[g.length][];
        for (int i = 0; i < g.length; i++) {
            c[i] = g[i].clone();
        }
        return c;
    }

    /** Applies {@code aggregator} to the whole vectors. */
    static float[] aggregate(Aggregator aggregator, float[][] g) {
        float[] out = new float[g[0].length];
        aggregator.aggregate(g, 0, out.length, out);
        return out;
    }
}
