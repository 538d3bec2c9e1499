package org.scaleml.bp.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scaleml.bp.FactorGraph;
import org.scaleml.common.io.TextScanner;

/**
 * Reads graphical models in the UAI inference-competition model format ({@code .uai}, optionally gzipped as
 * {@code .uai.gz}) into a {@link FactorGraph}.
 *
 * <h2>Format</h2>
 * The UAI 2014 "model format" [1], whitespace-separated tokens that may be spread over lines in any way:
 * <pre>
 * MARKOV | BAYES                 the network type
 * n                              number of variables
 * c_0 c_1 ... c_{n-1}            their cardinalities (each at least 1)
 * F                              number of functions (factors; for BAYES one conditional table per variable)
 * k v_1 ... v_k                  F times: a scope size and that many distinct 0-based variable ids
 * T t_1 ... t_T                  F times, in the same order: an entry count and the entries
 * </pre>
 * Each table lists {@code T = prod c(v_i)} non-negative numbers with the <em>last</em> scope variable varying
 * fastest, which is exactly the {@link FactorGraph} layout. For {@code BAYES} the child of a conditional probability
 * table is the last variable of its scope (so each consecutive run of {@code c(child)} entries is one distribution);
 * the table is read as a factor unchanged (rows are not renormalised or checked to sum to one).
 *
 * <h2>Errors and resource bounds</h2>
 * The file is streamed once. Any malformed input stops with a {@link ModelFormatException} naming the file, line,
 * token position and reason: unknown type, counts out of range, a variable id out of range or repeated in a scope,
 * an entry count that disagrees with the scope, non-numeric, negative or non-finite entries, a table of zeros only
 * (it would give every assignment probability zero), missing data (end of
 * input) and trailing tokens. Declared counts never drive allocation beyond what the file actually delivers: arrays
 * grow as tokens arrive, and hard limits apply ({@value #MAX_VARIABLES} variables, {@value #MAX_FUNCTIONS} functions,
 * cardinality at most {@value #MAX_CARDINALITY}, scope size at most {@value #MAX_ARITY}, at most {@value #MAX_TABLE}
 * (2^28) entries per table).
 *
 * <p>Stateless and thread-safe (all methods are static).
 *
 * <p>[1] UAI 2014 Inference Competition, "Model format",
 * http://www.hlt.utdallas.edu/~vgogate/uai14-competition/modelformat.html (same format as UAI 2008-2012).
 */
public final class UaiReader {
    /** Most variables accepted. */
    public static final int MAX_VARIABLES = 1 << 28;
    /** Most functions accepted. */
    public static final int MAX_FUNCTIONS = 1 << 28;
    /** Largest cardinality accepted. */
    public static final int MAX_CARDINALITY = 1 << 28;
    /** Largest scope accepted. */
    public static final int MAX_ARITY = 1024;
    /** Largest table accepted (2^28 entries). */
    public static final int MAX_TABLE = 1 << 28;

    private static final int INITIAL = 1024;

    /** The network type of a UAI file. */
    public enum Type {
        /** An undirected model: a product of non-negative factors. */
        MARKOV,
        /** A Bayesian network: one conditional probability table per variable, child last in its scope. */
        BAYES
    }

    /**
     * A parsed model.
     *
     * @param type  the declared network type
     * @param graph the factors, in file order (factor {@code f} is the {@code f}-th function of the file)
     */
    public record UaiModel(Type type, FactorGraph graph) {
    }

    private UaiReader() {
    }

    /** Reads {@code file} (gunzipped if it starts with the gzip magic bytes). */
    public static FactorGraph read(Path file) throws IOException {
        return readModel(file).graph();
    }

    /** Reads {@code file} (gunzipped if it starts with the gzip magic bytes), keeping the declared type. */
    public static UaiModel readModel(Path file) throws IOException {
        try (TextScanner<RuntimeException> s = ModelText.open(file)) {
            return parse(s);
        }
    }

    /** Reads a model from {@code in} (not closed), labelling errors with {@code name}. */
    public static UaiModel readModel(InputStream in, String name) {
        return parse(ModelText.scan(in, name));
    }

    private static UaiModel parse(TextScanner<RuntimeException> s) {
        String t = s.nextToken("the network type (MARKOV or BAYES)");
        Type type;
        if (t.equalsIgnoreCase("MARKOV")) {
            type = Type.MARKOV;
        } else if (t.equalsIgnoreCase("BAYES")) {
            type = Type.BAYES;
        } else {
            throw s.errorAtToken("unknown network type '" + t + "' (expected MARKOV or BAYES)");
        }
        int n = s.nextIntIn("the number of variables", 0, MAX_VARIABLES);
        FactorGraph.Builder b = FactorGraph.builder();
        int[] card = new int[Math.min(n, INITIAL)];
        for (int v = 0; v < n; v++) {
            if (v == card.length) {
                card = Arrays.copyOf(card, (int) Math.min(n, 2L * card.length));
            }
            card[v] = s.nextIntIn("the cardinality of variable " + v, 1, MAX_CARDINALITY);
            b.addVariable(card[v]);
        }
        int fCount = s.nextIntIn("the number of functions", 0, MAX_FUNCTIONS);
        List<int[]> scopes = new ArrayList<>(Math.min(fCount, INITIAL));
        List<Long> sizes = new ArrayList<>(Math.min(fCount, INITIAL));
        int[] mark = new int[n]; // mark[v] = f + 1 while reading the scope of f
        for (int f = 0; f < fCount; f++) {
            int k = s.nextIntIn("the scope size of function " + f, 1, Math.min(MAX_ARITY, Math.max(1, n)));
            if (n == 0) {
                throw s.errorAtToken("function " + f + " has a scope but the model has no variables");
            }
            int[] scope = new int[k];
            long size = 1;
            for (int j = 0; j < k; j++) {
                long index = s.nextLongIn("variable index " + j + " of the scope of function " + f, 0, Long.MAX_VALUE);
                if (index >= n) {
                    throw s.errorAtToken("function " + f + ": variable index " + index + " (scope position " + j
                            + ") is out of range 0.." + (n - 1) + " (the model has " + n + " variables)");
                }
                int v = (int) index;
                if (mark[v] == f + 1) {
                    throw s.errorAtToken("variable " + v + " appears twice in the scope of function " + f);
                }
                mark[v] = f + 1;
                scope[j] = v;
                size *= card[v];
                if (size > MAX_TABLE) {
                    throw s.errorAtToken("function " + f + " would have more than " + MAX_TABLE + " table entries");
                }
            }
            scopes.add(scope);
            sizes.add(size);
        }
        for (int f = 0; f < fCount; f++) {
            long want = sizes.get(f);
            long declared = s.nextLongIn("the entry count of function " + f, 0, Long.MAX_VALUE);
            if (declared != want) {
                throw s.errorAtToken("function " + f + " declares " + declared + " table entries, its scope "
                        + Arrays.toString(scopes.get(f)) + " needs " + want);
            }
            int size = (int) want;
            double[] table = new double[Math.min(size, INITIAL)];
            boolean anyPositive = false;
            for (int i = 0; i < size; i++) {
                if (i == table.length) {
                    table = Arrays.copyOf(table, (int) Math.min(size, 2L * table.length));
                }
                double x = s.nextFinite("entry " + i + " of function " + f);
                if (x < 0) {
                    throw s.errorAtToken("entry " + i + " of function " + f + " is negative (" + x + ")");
                }
                table[i] = x;
                anyPositive |= x > 0;
            }
            if (!anyPositive) {
                throw s.errorAtToken("function " + f + ": every entry of its table is 0, which gives every assignment "
                        + "probability zero (at least one entry must be positive)");
            }
            b.addFactor(scopes.get(f), table);
        }
        s.expectEnd(fCount == 0 ? "the preamble" : "the last table (function " + (fCount - 1) + ")");
        return new UaiModel(type, b.build());
    }
}
