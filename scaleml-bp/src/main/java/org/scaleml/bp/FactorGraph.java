package org.scaleml.bp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable factor graph over discrete variables: variables {@code 0 .. variables()-1} with cardinalities, and
 * factors {@code 0 .. factors()-1}, each a non-negative table over an ordered scope of distinct variables.
 *
 * <h2>Table layout</h2>
 * A factor over scope {@code (v_0, ..., v_{k-1})} has {@code prod card(v_i)} entries in row-major order with the
 * <em>last</em> variable varying fastest (the UAI convention): the entry of assignment {@code (x_0, ..., x_{k-1})}
 * is at {@code sum_i x_i * stride_i} with {@code stride_{k-1} = 1} and {@code stride_i = stride_{i+1} *
 * card(v_{i+1})}. Entries are finite and {@code >= 0} (linear domain); engines that work in the log domain convert.
 * A table whose entries are all zero is refused when it is added: it would give every assignment probability zero.
 *
 * <h2>Zero probability</h2>
 * {@link #withEvidence} refuses evidence the model rules out: after fixing the observed values it removes every
 * value of every variable that some factor gives weight zero together with all still-possible values of the
 * factor's other variables, until nothing changes (generalized arc consistency), and throws a
 * {@link ZeroProbabilityException} naming the variable and factor if a variable is left without a value. This finds
 * every contradiction belief propagation itself could run into (BP's zeros spread exactly this way); the engines
 * still check that no message turns all zero and report it the same way.
 *
 * <h2>Adjacency</h2>
 * {@link #factorsOf(int)} lists the factors whose scope contains a variable, in increasing factor order; together
 * with {@link #scope(int)} this is the bipartite graph messages flow on. Edge ids: the {@code j}-th scope position of
 * factor {@code f} is edge {@link #edge(int, int) edge(f, j)} = {@code edgeOffset(f) + j}, numbered
 * {@code 0 .. edges()-1}; engines keep one factor-to-variable and one variable-to-factor message per edge.
 *
 * <p>Immutable and thread-safe; accessors return internal arrays that callers must not modify (documented per
 * method), so engines read tables without copying.
 */
public final class FactorGraph {
    private final int[] card;
    private final int[][] scopes;
    private final double[][] tables;
    private final int[] edgeOffset;
    private final int[][] factorsOf;
    private final int[][] positionIn; // positionIn[v][k]: v's position in the scope of factorsOf[v][k]

    private FactorGraph(int[] card, int[][] scopes, double[][] tables) {
        this.card = card;
        this.scopes = scopes;
        this.tables = tables;
        this.edgeOffset = new int[scopes.length + 1];
        int[] deg = new int[card.length];
        for (int f = 0; f < scopes.length; f++) {
            edgeOffset[f + 1] = edgeOffset[f] + scopes[f].length;
            for (int v : scopes[f]) {
                deg[v]++;
            }
        }
        this.factorsOf = new int[card.length][];
        this.positionIn = new int[card.length][];
        for (int v = 0; v < card.length; v++) {
            factorsOf[v] = new int[deg[v]];
            positionIn[v] = new int[deg[v]];
        }
        int[] fill = new int[card.length];
        for (int f = 0; f < scopes.length; f++) {
            for (int j = 0; j < scopes[f].length; j++) {
                int v = scopes[f][j];
                factorsOf[v][fill[v]] = f;
                positionIn[v][fill[v]] = j;
                fill[v]++;
            }
        }
    }

    /** A builder of factor graphs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of variables. */
    public int variables() {
        return card.length;
    }

    /** Number of factors. */
    public int factors() {
        return scopes.length;
    }

    /** Number of (factor, scope position) edges. */
    public int edges() {
        return edgeOffset[scopes.length];
    }

    /** Cardinality of variable {@code v}, at least 1. */
    public int cardinality(int v) {
        return card[v];
    }

    /** The scope of factor {@code f} (do not modify). */
    public int[] scope(int f) {
        return scopes[f];
    }

    /** The table of factor {@code f}, layout in the class comment (do not modify). */
    public double[] table(int f) {
        return tables[f];
    }

    /** The factors whose scope contains {@code v}, increasing (do not modify). */
    public int[] factorsOf(int v) {
        return factorsOf[v];
    }

    /** {@code v}'s position in the scope of {@code factorsOf(v)[k]}, aligned with {@link #factorsOf} (do not modify). */
    public int[] positionsOf(int v) {
        return positionIn[v];
    }

    /** The edge id of scope position {@code j} of factor {@code f}. */
    public int edge(int f, int j) {
        return edgeOffset[f] + j;
    }

    /** The first edge id of factor {@code f}. */
    public int edgeOffset(int f) {
        return edgeOffset[f];
    }

    /** Largest cardinality (0 without variables). */
    public int maxCardinality() {
        int m = 0;
        for (int c : card) {
            m = Math.max(m, c);
        }
        return m;
    }

    /**
     * This graph with evidence: variable {@code vars[i]} observed at value {@code values[i]}, expressed as one
     * extra unary indicator factor per observed variable (so message structure and ids of existing factors stay).
     *
     * @throws IllegalArgumentException  if a variable or value is out of range, or a variable is observed twice
     * @throws ZeroProbabilityException if the model gives the evidence probability zero (see the class comment);
     *                                   the message names the variable left without a possible value and the
     *                                   factor that ruled out the last one
     */
    public FactorGraph withEvidence(int[] vars, int[] values) {
        if (vars.length != values.length) {
            throw new IllegalArgumentException(vars.length + " evidence variables but " + values.length + " values");
        }
        Builder b = builder();
        for (int c : card) {
            b.addVariable(c);
        }
        for (int f = 0; f < scopes.length; f++) {
            b.addFactorTrusted(scopes[f], tables[f]);
        }
        boolean[] seen = new boolean[card.length];
        for (int i = 0; i < vars.length; i++) {
            int v = vars[i];
            if (v < 0 || v >= card.length) {
                throw new IllegalArgumentException("evidence on variable " + v + ", the model has " + card.length);
            }
            if (values[i] < 0 || values[i] >= card[v]) {
                throw new IllegalArgumentException("evidence value " + values[i] + " for variable " + v
                        + " of cardinality " + card[v]);
            }
            if (seen[v]) {
                throw new IllegalArgumentException("variable " + v + " observed twice");
            }
            seen[v] = true;
            double[] t = new double[card[v]];
            t[values[i]] = 1;
            b.addFactorTrusted(new int[] {v}, t);
        }
        requirePossible(vars, values);
        return b.build();
    }

    /**
     * Generalized arc consistency over the tables with the evidence fixed: removes unsupported values until a
     * fixpoint; throws if a variable loses all of them. Each factor is rescanned only when a domain in its scope
     * shrank, and domains only shrink, so the work is at most (sum of cardinalities) table scans per factor, and
     * one scan of every table when nothing is ruled out.
     */
    private void requirePossible(int[] vars, int[] values) {
        boolean[][] possible = new boolean[card.length][];
        int[] observed = new int[card.length];
        Arrays.fill(observed, -1);
        for (int v = 0; v < card.length; v++) {
            possible[v] = new boolean[card[v]];
            Arrays.fill(possible[v], true);
        }
        for (int i = 0; i < vars.length; i++) {
            Arrays.fill(possible[vars[i]], false);
            possible[vars[i]][values[i]] = true;
            observed[vars[i]] = values[i];
        }
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        boolean[] queued = new boolean[scopes.length];
        for (int f = 0; f < scopes.length; f++) {
            queue.add(f);
            queued[f] = true;
        }
        boolean[] narrowed = new boolean[card.length]; // a value of v was ruled out by some factor
        while (!queue.isEmpty()) {
            int f = queue.poll();
            queued[f] = false;
            int[] sc = scopes[f];
            double[] t = tables[f];
            int k = sc.length;
            boolean[][] supported = new boolean[k][];
            for (int i = 0; i < k; i++) {
                supported[i] = new boolean[card[sc[i]]];
            }
            int[] x = new int[k];
            for (int idx = 0; idx < t.length; idx++) {
                if (t[idx] != 0) {
                    boolean ok = true;
                    for (int i = 0; i < k && ok; i++) {
                        ok = possible[sc[i]][x[i]];
                    }
                    if (ok) {
                        for (int i = 0; i < k; i++) {
                            supported[i][x[i]] = true;
                        }
                    }
                }
                for (int i = k - 1; i >= 0; i--) { // odometer, last variable fastest
                    if (++x[i] < card[sc[i]]) {
                        break;
                    }
                    x[i] = 0;
                }
            }
            for (int i = 0; i < k; i++) {
                int v = sc[i];
                boolean changed = false;
                boolean left = false;
                for (int a = 0; a < card[v]; a++) {
                    if (possible[v][a] && !supported[i][a]) {
                        possible[v][a] = false;
                        changed = true;
                    }
                    left |= possible[v][a];
                }
                if (!left) {
                    throw impossible(v, f, observed, narrowed, vars.length > 0);
                }
                if (changed) {
                    narrowed[v] = true;
                    for (int h : factorsOf[v]) {
                        if (h != f && !queued[h]) {
                            queue.add(h);
                            queued[h] = true;
                        }
                    }
                }
            }
        }
    }

    private ZeroProbabilityException impossible(int v, int f, int[] observed, boolean[] narrowed, boolean evidence) {
        boolean others = false;
        for (int u : scopes[f]) {
            others |= u != v && (observed[u] >= 0 || narrowed[u]);
        }
        String where = "factor " + f + " (scope " + Arrays.toString(scopes[f]) + ")";
        String message;
        if (observed[v] >= 0) {
            message = "the evidence has probability zero: variable " + v + " is observed as " + observed[v] + ", but "
                    + where + " is 0 for every assignment with that value"
                    + (others ? " and the values still possible for its other variables" : "");
        } else {
            message = (evidence ? "the evidence has probability zero" : "the model gives every assignment probability zero")
                    + ": no value of variable " + v + " remains possible; " + where + " rules out the last of them"
                    + (evidence ? ", given the evidence" : "")
                    + (narrowed[v] ? (evidence ? " and" : ", given") + " what other factors already ruled out" : "");
        }
        return new ZeroProbabilityException(v, f, message);
    }

    @Override
    public String toString() {
        return "FactorGraph(" + variables() + " variables, " + factors() + " factors, " + edges() + " edges)";
    }

    /** Collects variables and factors; validates each factor as it is added. Not thread-safe. */
    public static final class Builder {
        private final IntList card = new IntList();
        private final List<int[]> scopes = new ArrayList<>();
        private final List<double[]> tables = new ArrayList<>();

        private Builder() {
        }

        /** Adds a variable of cardinality {@code c >= 1}; returns its id. */
        public int addVariable(int c) {
            if (c < 1) {
                throw new IllegalArgumentException("variable " + card.size() + ": cardinality must be at least 1, got "
                        + c);
            }
            card.add(c);
            return card.size() - 1;
        }

        /** Number of variables added so far. */
        public int variables() {
            return card.size();
        }

        /**
         * Adds a factor; the arrays are copied.
         *
         * @throws IllegalArgumentException if the scope is empty or repeats or names an unknown variable, or the
         *                                  table has the wrong size or a negative or non-finite entry (the message
         *                                  names the factor, the entry and the value), or all its entries are 0
         */
        public int addFactor(int[] scope, double[] table) {
            int f = scopes.size();
            if (scope.length == 0) {
                throw new IllegalArgumentException("factor " + f + ": empty scope");
            }
            long size = 1;
            for (int i = 0; i < scope.length; i++) {
                int v = scope[i];
                if (v < 0 || v >= card.size()) {
                    throw new IllegalArgumentException("factor " + f + ": variable " + v + " does not exist ("
                            + card.size() + " variables)");
                }
                for (int j = 0; j < i; j++) {
                    if (scope[j] == v) {
                        throw new IllegalArgumentException("factor " + f + ": variable " + v + " appears twice in "
                                + "its scope");
                    }
                }
                size *= card.get(v);
                if (size > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("factor " + f + ": table too large");
                }
            }
            if (table.length != size) {
                throw new IllegalArgumentException("factor " + f + ": table has " + table.length + " entries, its scope "
                        + Arrays.toString(scope) + " needs " + size);
            }
            boolean anyPositive = false;
            for (int i = 0; i < table.length; i++) {
                if (!(table[i] >= 0) || Double.isInfinite(table[i])) {
                    throw new IllegalArgumentException("factor " + f + ": entry " + i + " is " + table[i]
                            + " (entries must be finite and non-negative)");
                }
                anyPositive |= table[i] > 0;
            }
            if (!anyPositive) {
                throw new IllegalArgumentException("factor " + f + ": every entry of its table is 0, which gives every "
                        + "assignment probability zero (at least one entry must be positive)");
            }
            return addFactorTrusted(scope.clone(), table.clone());
        }

        private int addFactorTrusted(int[] scope, double[] table) {
            scopes.add(scope);
            tables.add(table);
            return scopes.size() - 1;
        }

        /** The graph. */
        public FactorGraph build() {
            return new FactorGraph(card.toArray(), scopes.toArray(new int[0][]), tables.toArray(new double[0][]));
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int x) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = x;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
