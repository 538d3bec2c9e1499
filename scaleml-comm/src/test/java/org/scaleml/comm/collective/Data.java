package org.scaleml.comm.collective;

import java.util.Random;

/** Reproducible test inputs and sequential references. */
final class Data {
    /** Rounding unit of float32. */
    static final double U = 0x1p-24;

    private Data() {
    }

    /** Uniform floats in [-1, 1), fixed by (seed, rank). */
    static float[] uniform(long seed, int rank, int n) {
        Random rnd = new Random(seed * 1_000_003L + rank);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** Integers in [-1000, 1000] as floats, fixed by (seed, rank): their sums over few ranks are exact in float. */
    static float[] integers(long seed, int rank, int n) {
        Random rnd = new Random(seed * 1_000_003L + rank);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(2001) - 1000;
        }
        return x;
    }

    /** The element-wise sum of {@code inputs} in double. */
    static double[] sum(float[][] inputs, int n) {
        double[] s = new double[n];
        for (float[] x : inputs) {
            for (int i = 0; i < n; i++) {
                s[i] += x[i];
            }
        }
        return s;
    }

    /** The element-wise sum of |inputs| in double (for rounding bounds). */
    static double[] absSum(float[][] inputs, int n) {
        double[] s = new double[n];
        for (float[] x : inputs) {
            for (int i = 0; i < n; i++) {
                s[i] += Math.abs(x[i]);
            }
        }
        return s;
    }

    /**
     * Fails unless {@code got} is within the float-summation bound {@code (P - 1) u sum|x| } (plus a tiny absolute
     * slack) of the exact sum, element by element over {@code [from, from + len)}.
     */
    static void assertNearSum(float[] got, int gotOff, float[][] inputs, int from, int len, String what) {
        int p = inputs.length;
        for (int i = from; i < from + len; i++) {
            double exact = 0;
            double abs = 0;
            for (float[] x : inputs) {
                exact += x[i];
                abs += Math.abs(x[i]);
            }
            double tol = Math.max(1, p - 1) * U * abs * 1.0001 + 1e-30;
            double err = Math.abs(got[gotOff + i - from] - exact);
            if (!(err <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + got[gotOff + i - from] + ", exact sum "
                        + exact + ", error " + err + " above the bound " + tol);
            }
        }
    }

    /** The raw bits of a float array (to compare arrays bit for bit with readable failures). */
    static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }
}
