package org.scaleml.bp.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.scaleml.bp.FactorGraph;
import org.scaleml.common.io.TextScanner;

/**
 * Reads marginals in the UAI 2014 {@code MAR} result format, the format {@link MarWriter} writes: the word
 * {@code MAR}, the number of variables {@code n}, then for each variable its cardinality followed by that many
 * probabilities; whitespace-separated, lines irrelevant; gzip if it starts with the gzip magic bytes. For comparing results
 * with other solvers and in tests.
 *
 * <p>Errors ({@link ModelFormatException}, naming file, line, token and reason): a missing {@code MAR} header, bad
 * counts, non-numeric, negative or non-finite probabilities, a cardinality that disagrees with the model (when one
 * is given), missing data and trailing tokens. Probabilities are not required to sum to one (solvers round).
 * Arrays grow as numbers arrive; declared counts alone never allocate. Thread-safe (static).
 *
 * <p>[1] UAI 2014 Inference Competition, "Output format",
 * http://www.hlt.utdallas.edu/~vgogate/uai14-competition/resformat.html.
 */
public final class MarReader {
    private MarReader() {
    }

    /** Reads {@code file}; if {@code model} is not null, the variable count and cardinalities must match it. */
    public static double[][] read(Path file, FactorGraph model) throws IOException {
        try (TextScanner<RuntimeException> s = ModelText.open(file)) {
            return parse(s, model);
        }
    }

    /** Reads marginals from {@code in} (not closed), labelling errors with {@code name}. */
    public static double[][] read(InputStream in, String name, FactorGraph model) {
        return parse(ModelText.scan(in, name), model);
    }

    private static double[][] parse(TextScanner<RuntimeException> s, FactorGraph model) {
        String h = s.nextToken("the header MAR");
        if (!h.equals("MAR")) {
            throw s.errorAtToken("expected the header MAR, got '" + h + "'");
        }
        int n = s.nextIntIn("the number of variables", 0, UaiReader.MAX_VARIABLES);
        if (model != null && n != model.variables()) {
            throw s.errorAtToken(n + " variables, the model has " + model.variables());
        }
        double[][] out = new double[Math.min(n, 1024)][];
        for (int v = 0; v < n; v++) {
            if (v == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(n, 2L * out.length));
            }
            int c = s.nextIntIn("the cardinality of variable " + v, 1, UaiReader.MAX_CARDINALITY);
            if (model != null && c != model.cardinality(v)) {
                throw s.errorAtToken("variable " + v + " has cardinality " + c + ", in the model " + model.cardinality(v));
            }
            double[] p = new double[Math.min(c, 1024)];
            for (int x = 0; x < c; x++) {
                if (x == p.length) {
                    p = Arrays.copyOf(p, (int) Math.min(c, 2L * p.length));
                }
                p[x] = s.nextFinite("probability " + x + " of variable " + v);
                if (p[x] < 0) {
                    throw s.errorAtToken("probability " + x + " of variable " + v + " is negative (" + p[x] + ")");
                }
            }
            out[v] = p;
        }
        s.expectEnd("the marginals of " + n + " variables");
        return out.length == n ? out : Arrays.copyOf(out, n);
    }
}
