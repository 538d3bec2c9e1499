package org.scaleml.bp.ldpc;

import org.scaleml.bp.FactorGraph;

/**
 * A tiny reference sum-product with a flooding schedule, in the probability domain, for tests only (the real engines
 * live elsewhere). Each iteration recomputes every factor-to-variable message from the previous variable-to-factor
 * messages, then every variable-to-factor message; all messages start uniform.
 */
public final class FloodingSumProduct {
    private FloodingSumProduct() {
    }

    /** Beliefs after {@code iterations} flooding iterations. */
    public static double[][] marginals(FactorGraph g, int iterations) {
        int e = g.edges();
        double[][] vf = new double[e][];
        double[][] fv = new double[e][];
        for (int f = 0; f < g.factors(); f++) {
            int[] scope = g.scope(f);
            for (int j = 0; j < scope.length; j++) {
                int c = g.cardinality(scope[j]);
                vf[g.edge(f, j)] = uniform(c);
                fv[g.edge(f, j)] = uniform(c);
            }
        }
        for (int it = 0; it < iterations; it++) {
            for (int f = 0; f < g.factors(); f++) {
                factorUpdate(g, f, vf, fv);
            }
            for (int v = 0; v < g.variables(); v++) {
                int[] fs = g.factorsOf(v);
                int[] ps = g.positionsOf(v);
                for (int k = 0; k < fs.length; k++) {
                    double[] m = new double[g.cardinality(v)];
                    java.util.Arrays.fill(m, 1);
                    for (int k2 = 0; k2 < fs.length; k2++) {
                        if (k2 != k) {
                            double[] in = fv[g.edge(fs[k2], ps[k2])];
                            for (int x = 0; x < m.length; x++) {
                                m[x] *= in[x];
                            }
                        }
                    }
                    vf[g.edge(fs[k], ps[k])] = normalize(m);
                }
            }
        }
        double[][] out = new double[g.variables()][];
        for (int v = 0; v < g.variables(); v++) {
            double[] b = new double[g.cardinality(v)];
            java.util.Arrays.fill(b, 1);
            int[] fs = g.factorsOf(v);
            int[] ps = g.positionsOf(v);
            for (int k = 0; k < fs.length; k++) {
                double[] in = fv[g.edge(fs[k], ps[k])];
                for (int x = 0; x < b.length; x++) {
                    b[x] *= in[x];
                }
            }
            out[v] = normalize(b);
        }
        return out;
    }

    private static void factorUpdate(FactorGraph g, int f, double[][] vf, double[][] fv) {
        int[] scope = g.scope(f);
        double[] t = g.table(f);
        int k = scope.length;
        double[][] acc = new double[k][];
        for (int j = 0; j < k; j++) {
            acc[j] = new double[g.cardinality(scope[j])];
        }
        int[] x = new int[k];
        for (int a = 0; a < t.length; a++) {
            // decode a: last variable fastest
            int rest = a;
            for (int j = k - 1; j >= 0; j--) {
                int c = g.cardinality(scope[j]);
                x[j] = rest % c;
                rest /= c;
            }
            if (t[a] == 0) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                double p = t[a];
                for (int i = 0; i < k; i++) {
                    if (i != j) {
                        p *= vf[g.edge(f, i)][x[i]];
                    }
                }
                acc[j][x[j]] += p;
            }
        }
        for (int j = 0; j < k; j++) {
            fv[g.edge(f, j)] = normalize(acc[j]);
        }
    }

    private static double[] uniform(int c) {
        double[] u = new double[c];
        java.util.Arrays.fill(u, 1.0 / c);
        return u;
    }

    private static double[] normalize(double[] m) {
        double s = 0;
        for (double x : m) {
            s += x;
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= s;
        }
        return m;
    }
}
