package org.scaleml.bp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact marginals of small discrete models, the reference BP engines are tested against.
 *
 * <p><b>Contract.</b> {@link #marginals} runs variable elimination with a greedy min-fill order once per variable
 * (the query variable is kept, all others are summed out), so its cost is {@code n} times that of one elimination:
 * meant for tests and small models (trees of any size whose treewidth is small, grids up to about 12 x 12).
 * {@link #byEnumeration} sums over every joint assignment. Both refuse, with an {@link IllegalArgumentException}
 * saying how large the table would be, when a table would have more than the given limit of entries (default
 * {@link #DEFAULT_LIMIT} = 2^24), and when the model's total mass is 0 (contradictory evidence). Results are
 * normalized per variable. Intermediate tables are rescaled by their maximum, so large models do not overflow.
 *
 * <p><b>Thread safety.</b> Stateless; the graph is only read.
 */
public final class ExactInference {
    /*
     * Variable elimination (Zhang and Poole [1]; min-fill heuristic as in Koller and Friedman [2], ch. 9): to
     * eliminate x, multiply all tables whose scope contains x into one table over the union of their scopes and
     * sum x out; the elimination order is chosen greedily, each step taking the variable whose elimination adds
     * the fewest fill edges to the interaction graph (ties: smaller resulting table, then smaller id). The order
     * and the sizes of all intermediate tables are computed symbolically first, so an over-large model is
     * refused before any table is allocated.
     *
     * [1] N. Zhang, D. Poole, "A Simple Approach to Bayesian Network Computations", Canadian AI 1994.
     * [2] D. Koller, N. Friedman, "Probabilistic Graphical Models", MIT Press, 2009.
     */

    /** Default limit on the entries of any intermediate table: 2^24. */
    public static final long DEFAULT_LIMIT = 1L << 24;

    private ExactInference() {
    }

    /** Exact marginals by variable elimination with the default limit. */
    public static double[][] marginals(FactorGraph g) {
        return marginals(g, DEFAULT_LIMIT);
    }

    /**
     * Exact marginals by variable elimination; per variable, its normalized marginal.
     *
     * @throws IllegalArgumentException if an intermediate table would exceed {@code limit} entries, or the
     *                                  model's total mass is 0
     */
    public static double[][] marginals(FactorGraph g, long limit) {
        int n = g.variables();
        double[][] out = new double[n][];
        for (int q = 0; q < n; q++) {
            out[q] = query(g, q, limit);
        }
        return out;
    }

    /**
     * Exact marginals by enumerating all joint assignments.
     *
     * @throws IllegalArgumentException if there are more than {@code limit} joint assignments, or the model's total
     *                                  mass is 0
     */
    public static double[][] byEnumeration(FactorGraph g, long limit) {
        int n = g.variables();
        long total = 1;
        for (int v = 0; v < n; v++) {
            total *= g.cardinality(v);
            if (total > limit) {
                throw new IllegalArgumentException("enumeration over more than " + limit + " joint assignments ("
                        + n + " variables) refused");
            }
        }
        double[][] m = new double[n][];
        for (int v = 0; v < n; v++) {
            m[v] = new double[g.cardinality(v)];
        }
        int[] x = new int[n];
        for (long a = 0; a < total; a++) {
            double w = 1;
            for (int f = 0; f < g.factors() && w != 0; f++) {
                int[] sc = g.scope(f);
                int idx = 0;
                for (int v : sc) {
                    idx = idx * g.cardinality(v) + x[v];
                }
                w *= g.table(f)[idx];
            }
            for (int v = 0; v < n; v++) {
                m[v][x[v]] += w;
            }
            for (int v = n - 1; v >= 0; v--) {
                if (++x[v] < g.cardinality(v)) {
                    break;
                }
                x[v] = 0;
            }
        }
        for (int v = 0; v < n; v++) {
            normalize(m[v], v);
        }
        return m;
    }

    /** A table over {@code vars} (last fastest). */
    private record Table(int[] vars, double[] vals) {
    }

    private static double[] query(FactorGraph g, int q, long limit) {
        int n = g.variables();
        int[] order = eliminationOrder(g, q, limit);
        List<Table> tables = new ArrayList<>();
        for (int f = 0; f < g.factors(); f++) {
            tables.add(new Table(g.scope(f), g.table(f)));
        }
        for (int x : order) {
            List<Table> with = new ArrayList<>();
            List<Table> rest = new ArrayList<>();
            for (Table t : tables) {
                (contains(t.vars, x) ? with : rest).add(t);
            }
            if (!with.isEmpty()) {
                Table r = multiply(g, with, x);
                if (r.vars.length > 0) {
                    rest.add(r);
                } else if (r.vals[0] == 0) {
                    throw new IllegalArgumentException("the model's total mass is 0 (contradictory factors)");
                }
            }
            tables = rest;
        }
        double[] m = new double[g.cardinality(q)];
        Arrays.fill(m, 1.0);
        for (Table t : tables) { // every remaining table is over {q} only
            for (int i = 0; i < m.length; i++) {
                m[i] *= t.vals[i];
            }
            double max = Arrays.stream(m).max().orElse(1);
            if (max > 0) {
                for (int i = 0; i < m.length; i++) {
                    m[i] /= max;
                }
            }
        }
        assert n > 0;
        normalize(m, q);
        return m;
    }

    /** Multiplies the tables and sums out x (x = -1: no summing); the result is rescaled to max 1. */
    private static Table multiply(FactorGraph g, List<Table> ts, int x) {
        int[] union = ts.stream().flatMapToInt(t -> Arrays.stream(t.vars)).distinct().sorted().toArray();
        int k = union.length;
        int[] outVars = Arrays.stream(union).filter(v -> v != x).toArray();
        int outSize = 1;
        for (int v : outVars) {
            outSize *= g.cardinality(v);
        }
        double[] out = new double[outSize];
        // stride of each union position in each table and in the output
        int[][] strides = new int[ts.size()][k];
        for (int t = 0; t < ts.size(); t++) {
            int[] vars = ts.get(t).vars;
            int s = 1;
            for (int i = vars.length - 1; i >= 0; i--) {
                strides[t][Arrays.binarySearch(union, vars[i])] = s;
                s *= g.cardinality(vars[i]);
            }
        }
        int[] outStride = new int[k];
        int s = 1;
        for (int i = k - 1; i >= 0; i--) {
            if (union[i] != x) {
                outStride[i] = s;
                s *= g.cardinality(union[i]);
            }
        }
        int[] a = new int[k];
        int[] idx = new int[ts.size()];
        int oi = 0;
        long total = 1;
        for (int v : union) {
            total *= g.cardinality(v);
        }
        for (long step = 0; step < total; step++) {
            double p = 1;
            for (int t = 0; t < idx.length && p != 0; t++) {
                p *= ts.get(t).vals[idx[t]];
            }
            out[oi] += p;
            for (int i = k - 1; i >= 0; i--) { // odometer with incremental indices
                int c = g.cardinality(union[i]);
                if (++a[i] < c) {
                    for (int t = 0; t < idx.length; t++) {
                        idx[t] += strides[t][i];
                    }
                    oi += outStride[i];
                    break;
                }
                a[i] = 0;
                for (int t = 0; t < idx.length; t++) {
                    idx[t] -= strides[t][i] * (c - 1);
                }
                oi -= outStride[i] * (c - 1);
            }
        }
        double max = 0;
        for (double v : out) {
            max = Math.max(max, v);
        }
        if (max > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= max;
            }
        }
        return new Table(outVars, out);
    }

    /** Greedy min-fill order of every variable but q; checks every intermediate table against the limit. */
    private static int[] eliminationOrder(FactorGraph g, int q, long limit) {
        int n = g.variables();
        List<java.util.BitSet> adj = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            adj.add(new java.util.BitSet(n));
        }
        for (int f = 0; f < g.factors(); f++) {
            int[] sc = g.scope(f);
            for (int a : sc) {
                for (int b : sc) {
                    if (a != b) {
                        adj.get(a).set(b);
                    }
                }
            }
        }
        boolean[] gone = new boolean[n];
        int[] order = new int[n - 1];
        for (int step = 0; step < n - 1; step++) {
            int best = -1;
            long bestFill = Long.MAX_VALUE;
            double bestSize = Double.MAX_VALUE;
            for (int v = 0; v < n; v++) {
                if (gone[v] || v == q) {
                    continue;
                }
                java.util.BitSet nb = adj.get(v);
                long fill = 0;
                double size = g.cardinality(v);
                for (int a = nb.nextSetBit(0); a >= 0; a = nb.nextSetBit(a + 1)) {
                    size *= g.cardinality(a);
                    java.util.BitSet na = adj.get(a);
                    for (int b = nb.nextSetBit(a + 1); b >= 0; b = nb.nextSetBit(b + 1)) {
                        if (!na.get(b)) {
                            fill++;
                        }
                    }
                }
                if (fill < bestFill || (fill == bestFill && size < bestSize)) {
                    best = v;
                    bestFill = fill;
                    bestSize = size;
                }
            }
            if (bestSize > limit) {
                throw new IllegalArgumentException("exact inference refused: eliminating variable " + best
                        + " needs a table of " + (long) Math.min(bestSize, Long.MAX_VALUE) + " entries, over the limit of "
                        + limit + " (the model's treewidth is too large)");
            }
            java.util.BitSet nb = adj.get(best);
            for (int a = nb.nextSetBit(0); a >= 0; a = nb.nextSetBit(a + 1)) {
                adj.get(a).or(nb);
                adj.get(a).clear(a);
                adj.get(a).clear(best);
            }
            gone[best] = true;
            order[step] = best;
        }
        for (int f = 0; f < g.factors(); f++) { // original factors must fit as well
            if (g.table(f).length > limit) {
                throw new IllegalArgumentException("exact inference refused: factor " + f + " has "
                        + g.table(f).length + " entries, over the limit of " + limit);
            }
        }
        return order;
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    private static void normalize(double[] m, int v) {
        double s = 0;
        for (double x : m) {
            s += x;
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("the model's total mass is 0 (or not finite) at variable " + v);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= s;
        }
    }
}
