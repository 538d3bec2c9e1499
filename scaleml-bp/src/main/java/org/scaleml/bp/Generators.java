package org.scaleml.bp;

import java.util.SplittableRandom;

/**
 * Synthetic factor graphs for tests and benchmarks. Every generator is a pure function of its arguments: the same
 * seed gives the same graph (a {@link SplittableRandom} drawn in a fixed order).
 *
 * <p>Grid variables are numbered row-major ({@code r * cols + c}). Grid factors: first one unary field factor per
 * variable (in variable order), then for each variable its right neighbour's coupling, then its lower
 * neighbour's (row-major), each pairwise scope ordered {@code (smaller id, larger id)}.
 */
public final class Generators {
    private Generators() {
    }

    /**
     * An Ising model on a {@code rows x cols} grid: binary spins {@code s in {-1, +1}} (state 0 is -1), unary
     * factors {@code [exp(-h), exp(h)]} and pairwise factors {@code exp(J s_a s_b)}, with every {@code h} uniform in
     * {@code [hLo, hHi)} and every {@code J} uniform in {@code [jLo, jHi)}.
     *
     * @throws IllegalArgumentException if a dimension is below 1 or a range is empty or not finite
     */
    public static FactorGraph isingGrid(int rows, int cols, double jLo, double jHi, double hLo, double hHi,
                                        long seed) {
        checkGrid(rows, cols);
        checkRange("J", jLo, jHi);
        checkRange("h", hLo, hHi);
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorGraph.Builder b = FactorGraph.builder();
        int n = rows * cols;
        for (int v = 0; v < n; v++) {
            b.addVariable(2);
        }
        for (int v = 0; v < n; v++) {
            double h = uniform(rnd, hLo, hHi);
            b.addFactor(new int[] {v}, new double[] {Math.exp(-h), Math.exp(h)});
        }
        for (int v = 0; v < n; v++) {
            int r = v / cols;
            int c = v % cols;
            if (c + 1 < cols) {
                b.addFactor(new int[] {v, v + 1}, ising(uniform(rnd, jLo, jHi)));
            }
            if (r + 1 < rows) {
                b.addFactor(new int[] {v, v + cols}, ising(uniform(rnd, jLo, jHi)));
            }
        }
        return b.build();
    }

    /**
     * A Potts model on a {@code rows x cols} grid with {@code q} states per variable: unary factors
     * {@code exp(h_x)} with {@code h_x} uniform in {@code [hLo, hHi)} per state, and pairwise factors
     * {@code exp(J [x_a == x_b])} with {@code J} uniform in {@code [jLo, jHi)} per edge.
     *
     * @throws IllegalArgumentException if a dimension or {@code q} is below 1 (q below 2), or a range is bad
     */
    public static FactorGraph pottsGrid(int rows, int cols, int q, double jLo, double jHi, double hLo, double hHi,
                                        long seed) {
        checkGrid(rows, cols);
        if (q < 2) {
            throw new IllegalArgumentException("Potts models need q >= 2 states, got " + q);
        }
        checkRange("J", jLo, jHi);
        checkRange("h", hLo, hHi);
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorGraph.Builder b = FactorGraph.builder();
        int n = rows * cols;
        for (int v = 0; v < n; v++) {
            b.addVariable(q);
        }
        for (int v = 0; v < n; v++) {
            double[] t = new double[q];
            for (int x = 0; x < q; x++) {
                t[x] = Math.exp(uniform(rnd, hLo, hHi));
            }
            b.addFactor(new int[] {v}, t);
        }
        for (int v = 0; v < n; v++) {
            int r = v / cols;
            int c = v % cols;
            if (c + 1 < cols) {
                b.addFactor(new int[] {v, v + 1}, potts(q, uniform(rnd, jLo, jHi)));
            }
            if (r + 1 < rows) {
                b.addFactor(new int[] {v, v + cols}, potts(q, uniform(rnd, jLo, jHi)));
            }
        }
        return b.build();
    }

    /**
     * A random tree-structured model: {@code n} variables with cardinalities uniform in {@code [2, maxCard]},
     * variable {@code i > 0} joined to a uniformly chosen earlier variable by a pairwise factor (scope
     * {@code (parent, i)}), and one unary factor per variable; every table entry is {@code exp(u * strength)} with
     * {@code u} uniform in {@code [-1, 1)}. BP is exact on it.
     *
     * @throws IllegalArgumentException if {@code n < 1}, {@code maxCard < 2} or {@code strength} is negative or not
     *                                  finite
     */
    public static FactorGraph randomTree(int n, int maxCard, double strength, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("a tree needs at least 1 variable, got " + n);
        }
        if (maxCard < 2) {
            throw new IllegalArgumentException("maxCard must be at least 2, got " + maxCard);
        }
        if (!(strength >= 0) || Double.isInfinite(strength)) {
            throw new IllegalArgumentException("strength must be finite and non-negative, got " + strength);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorGraph.Builder b = FactorGraph.builder();
        int[] card = new int[n];
        for (int v = 0; v < n; v++) {
            card[v] = 2 + rnd.nextInt(maxCard - 1);
            b.addVariable(card[v]);
        }
        for (int v = 0; v < n; v++) {
            b.addFactor(new int[] {v}, randomTable(rnd, card[v], strength));
        }
        for (int v = 1; v < n; v++) {
            int p = rnd.nextInt(v);
            b.addFactor(new int[] {p, v}, randomTable(rnd, card[p] * card[v], strength));
        }
        return b.build();
    }

    private static double[] randomTable(SplittableRandom rnd, int size, double strength) {
        double[] t = new double[size];
        for (int i = 0; i < size; i++) {
            t[i] = Math.exp(strength * (2 * rnd.nextDouble() - 1));
        }
        return t;
    }

    private static double[] ising(double j) {
        double a = Math.exp(j);
        double d = Math.exp(-j);
        return new double[] {a, d, d, a};
    }

    private static double[] potts(int q, double j) {
        double[] t = new double[q * q];
        double same = Math.exp(j);
        for (int a = 0; a < q; a++) {
            for (int c = 0; c < q; c++) {
                t[a * q + c] = a == c ? same : 1.0;
            }
        }
        return t;
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rnd.nextDouble();
    }

    private static void checkGrid(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("grid dimensions must be at least 1, got " + rows + "x" + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("grid " + rows + "x" + cols + " is too large");
        }
    }

    private static void checkRange(String what, double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException(what + " range [" + lo + ", " + hi + ") is empty or not finite");
        }
    }
}
