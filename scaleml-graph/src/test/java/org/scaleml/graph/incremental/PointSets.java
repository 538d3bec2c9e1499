package org.scaleml.graph.incremental;

import org.scaleml.common.SplitMix64;

/** Point sets for the tests: uniform, grid-aligned (collinear and cocircular), clustered. */
final class PointSets {
    private PointSets() {
    }

    /** n uniform points in the unit square. */
    static double[][] uniform(int n, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextLong() >>> 11) * 0x1p-53;
            y[i] = (r.nextLong() >>> 11) * 0x1p-53;
        }
        return new double[][] {x, y};
    }

    /** A side x side integer grid, shuffled (every unit square has four cocircular corners). */
    static double[][] grid(int side, long seed) {
        int n = side * side;
        int[] perm = InsertionOrder.permutation(n, seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = perm[i] % side;
            y[i] = perm[i] / side;
        }
        return new double[][] {x, y};
    }

    /** n points in a few tight clusters (gaussian-like, tiny spread) far apart, on a coarse lattice. */
    static double[][] clustered(int n, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        int i = 0;
        while (i < n) {
            int cluster = r.nextInt(5);
            double cx = 1000.0 * cluster;
            double cy = 777.0 * (cluster % 3);
            double px = cx + Math.round((r.nextInt(2001) - 1000) * 1e-3 * 1e6) / 1e6;
            double py = cy + Math.round((r.nextInt(2001) - 1000) * 1e-3 * 1e6) / 1e6;
            if (seen.add(Double.doubleToLongBits(px) * 31 + Double.doubleToLongBits(py))) {
                x[i] = px;
                y[i] = py;
                i++;
            }
        }
        return new double[][] {x, y};
    }
}
