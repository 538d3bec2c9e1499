package org.scaleml.bp.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.scaleml.bp.FactorGraph;
import org.scaleml.common.io.TextScanner;

/**
 * Reads UAI evidence files ({@code .evid}, optionally gzipped): which variables are observed at which values.
 *
 * <h2>Format</h2>
 * Whitespace-separated integers, lines irrelevant. Two layouts are in use and both are accepted [1]:
 * <pre>
 * n v_1 x_1 ... v_n x_n          UAI 2014: the number of observed variables, then (variable, value) pairs
 * 1 n v_1 x_1 ... v_n x_n        UAI 2008-2012: a sample count (must be 1), then one sample as above
 * </pre>
 * They are told apart by the token count: the first has {@code 1 + 2n} tokens (odd), the second {@code 2 + 2n}
 * (even). So a file starting with {@code 1} is the 2014 layout exactly when it has three tokens. Files with more
 * than one sample are rejected. Variables are 0-based.
 *
 * <h2>Validation</h2>
 * With a model, each variable must exist, each value must be below its cardinality and no variable may be observed
 * twice; without one, ids and values must be non-negative. Errors are {@link ModelFormatException}s naming the file,
 * line, token and reason. Arrays grow as pairs arrive, never from the declared count alone. Thread-safe (static).
 *
 * <p>[1] UAI 2014 Inference Competition, "Evidence format",
 * http://www.hlt.utdallas.edu/~vgogate/uai14-competition/evidformat.html; UAI 2010 evaluation, evidence format.
 */
public final class EvidenceReader {
    /**
     * Observed variables and their values, aligned; pass to {@link FactorGraph#withEvidence(int[], int[])}.
     *
     * @param vars   observed variables, in file order
     * @param values their values
     */
    public record Evidence(int[] vars, int[] values) {
        /** Number of observed variables. */
        public int size() {
            return vars.length;
        }
    }

    private EvidenceReader() {
    }

    /** Reads {@code file} and validates it against {@code model} (may be null: then only non-negativity). */
    public static Evidence read(Path file, FactorGraph model) throws IOException {
        try (TextScanner<RuntimeException> s = ModelText.open(file)) {
            return parse(s, model);
        }
    }

    /** Reads evidence from {@code in} (not closed), labelling errors with {@code name}. */
    public static Evidence read(InputStream in, String name, FactorGraph model) {
        return parse(ModelText.scan(in, name), model);
    }

    private static Evidence parse(TextScanner<RuntimeException> s, FactorGraph model) {
        int maxVar = model == null ? UaiReader.MAX_VARIABLES : model.variables();
        int first = s.nextIntIn("the number of observed variables (or the sample count 1)", 0, maxVar);
        Pairs p = new Pairs(s, model);
        if (first != 1) {
            p.readPairs(first, 0);
        } else {
            // Either "1 v x" (2014) or "1 n v1 x1 ..." (older). Peek at the next two tokens.
            if (!s.hasNext()) {
                throw s.errorAtEnd("the file ends after the count 1: expected an observed variable and its value"
                        + " ('1 variable value'), or '1 0' for one sample with nothing observed");
            }
            long a = s.nextLongIn("a variable or the number of observed variables", 0, Integer.MAX_VALUE);
            long aLine = s.tokenLine();
            int aPos = s.tokenPosition();
            if (!s.hasNext()) {
                if (a == 0) {
                    return new Evidence(new int[0], new int[0]); // "1 0": one sample, nothing observed
                }
                throw s.errorAtEnd("the file ends after '1 " + a + "': expected the value of variable " + a
                        + " (the layout 'count variable value ...'), or, if 1 is the sample count of the older layout"
                        + " '1 count variable value ...', " + a + " 'variable value' pairs");
            }
            long b = s.nextLongIn("a value or a variable", 0, Integer.MAX_VALUE);
            long bLine = s.tokenLine();
            int bPos = s.tokenPosition();
            if (!s.hasNext()) {
                p.add(a, aLine, aPos, b, bLine, bPos); // 2014 layout, one pair
            } else {
                if (a > maxVar) {
                    throw s.errorAt(aLine, aPos, "number of observed variables " + a
                            + " exceeds the " + maxVar + " variables of the model");
                }
                // older layout: sample count 1, then n = a, and b is the first variable
                if (a == 0) {
                    throw s.errorAt(bLine, bPos, "one sample with 0 observed variables, but"
                            + " more tokens follow ('" + b + "'); more than one evidence sample is not supported");
                }
                long x = s.nextLongIn("the value of variable " + b, 0, Integer.MAX_VALUE);
                p.add(b, bLine, bPos, x, s.tokenLine(), s.tokenPosition());
                p.readPairs((int) a, 1);
            }
        }
        s.expectEnd("the evidence (" + p.n + " observed variables)");
        return new Evidence(Arrays.copyOf(p.vars, p.n), Arrays.copyOf(p.vals, p.n));
    }

    private static final class Pairs {
        final TextScanner<RuntimeException> s;
        final FactorGraph model;
        int[] vars = new int[16];
        int[] vals = new int[16];
        int n;
        final boolean[] seen;

        Pairs(TextScanner<RuntimeException> s, FactorGraph model) {
            this.s = s;
            this.model = model;
            this.seen = model == null ? null : new boolean[model.variables()];
        }

        void readPairs(int count, int from) {
            for (int i = from; i < count; i++) {
                if (!s.hasNext()) {
                    throw s.errorAtEnd("the file ends after " + i + " of the " + count + " 'variable value' pairs"
                            + " its count announces: expected observed variable " + (i + 1) + " of " + count);
                }
                long v = s.nextLongIn("observed variable " + (i + 1) + " of " + count, 0, Integer.MAX_VALUE);
                long vl = s.tokenLine();
                int vp = s.tokenPosition();
                if (!s.hasNext()) {
                    throw s.errorAtEnd("the file ends after variable " + v + " without its value: expected the value "
                            + "of variable " + v + " (pair " + (i + 1) + " of " + count + ", each pair is 'variable value')");
                }
                long x = s.nextLongIn("the value of variable " + v, 0, Integer.MAX_VALUE);
                add(v, vl, vp, x, s.tokenLine(), s.tokenPosition());
            }
        }

        void add(long v, long vLine, int vPos, long x, long xLine, int xPos) {
            if (model != null) {
                if (v >= model.variables()) {
                    throw s.errorAt(vLine, vPos, "variable " + v + " does not exist (the model has "
                            + model.variables() + " variables)");
                }
                if (seen[(int) v]) {
                    throw s.errorAt(vLine, vPos, "variable " + v + " is observed twice");
                }
                seen[(int) v] = true;
                if (x >= model.cardinality((int) v)) {
                    throw s.errorAt(xLine, xPos, "value " + x + " of variable " + v
                            + " is out of range (cardinality " + model.cardinality((int) v) + ")");
                }
            }
            if (n == vars.length) {
                vars = Arrays.copyOf(vars, 2 * n);
                vals = Arrays.copyOf(vals, 2 * n);
            }
            vars[n] = (int) v;
            vals[n] = (int) x;
            n++;
        }
    }
}
