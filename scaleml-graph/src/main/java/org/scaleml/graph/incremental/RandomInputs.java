package org.scaleml.graph.incremental;

import org.scaleml.common.SplitMix64;

/** Seeded inputs for the incremental algorithms: uniform points in the unit square and uniform keys. */
public final class RandomInputs {
    private RandomInputs() {
    }

    /**
     * n points uniform in [0, 1)^2 with 53-bit coordinates ({@code {x, y}}); distinct with overwhelming
     * probability (duplicates, if any, are replaced by fresh draws, so the result is always valid input).
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static double[][] uniformPoints(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be at least 0, got " + n);
        }
        SplitMix64 r = new SplitMix64(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextLong() >>> 11) * 0x1p-53;
            y[i] = (r.nextLong() >>> 11) * 0x1p-53;
        }
        for (;;) {
            try {
                DelaunayTriangulation.checkInput(x, y);
                return new double[][] {x, y};
            } catch (IllegalArgumentException e) {
                int i = Integer.parseInt(e.getMessage().replaceAll("^point (\\d+).*$", "$1"));
                x[i] = (r.nextLong() >>> 11) * 0x1p-53;
            }
        }
    }

    /** n uniform 64-bit keys. */
    public static long[] uniformKeys(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be at least 0, got " + n);
        }
        SplitMix64 r = new SplitMix64(seed);
        long[] k = new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = r.nextLong();
        }
        return k;
    }
}
