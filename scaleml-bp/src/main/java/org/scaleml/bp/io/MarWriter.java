package org.scaleml.bp.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes per-variable marginals in the UAI 2014 {@code MAR} result format [1]:
 * <pre>
 * MAR
 * n c_0 p_0(0) ... p_0(c_0 - 1) c_1 p_1(0) ... p_{n-1}(c_{n-1} - 1)
 * </pre>
 * The first line is the word {@code MAR}; the second line holds the number of variables and, for each variable in
 * order, its cardinality followed by its probabilities. Numbers are written with {@link Double#toString(double)}
 * (shortest text that reads back to the same double, possibly in {@code 1.0E-5} notation), so
 * {@link MarReader} round-trips exactly. A path ending in {@code .gz} is gzipped.
 *
 * <p>Stateless and thread-safe (static). Marginals are written as given: the writer checks only that they are finite
 * and non-negative (no renormalisation).
 *
 * <p>[1] UAI 2014 Inference Competition, "Output format",
 * http://www.hlt.utdallas.edu/~vgogate/uai14-competition/resformat.html.
 */
public final class MarWriter {
    private MarWriter() {
    }

    /** Writes {@code marginals} to {@code file} (replacing it). */
    public static void write(Path file, double[][] marginals) throws IOException {
        check(marginals);
        OutputStream os = Files.newOutputStream(file);
        try {
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".gz")) {
                os = new GZIPOutputStream(os);
            }
        } catch (IOException e) {
            os.close();
            throw e;
        }
        try (Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.US_ASCII), 1 << 16)) {
            writeUnchecked(w, marginals);
        }
    }

    /** Writes {@code marginals} to {@code w} (not closed, flushed). */
    public static void write(Writer w, double[][] marginals) throws IOException {
        check(marginals);
        writeUnchecked(w, marginals);
        w.flush();
    }

    private static void check(double[][] marginals) {
        for (int v = 0; v < marginals.length; v++) {
            double[] p = marginals[v];
            if (p == null || p.length == 0) {
                throw new IllegalArgumentException("variable " + v + ": no marginal");
            }
            for (int x = 0; x < p.length; x++) {
                if (!(p[x] >= 0) || Double.isInfinite(p[x])) {
                    throw new IllegalArgumentException("variable " + v + ", value " + x + ": probability " + p[x]
                            + " is not finite and non-negative");
                }
            }
        }
    }

    private static void writeUnchecked(Writer w, double[][] marginals) throws IOException {
        w.write("MAR\n");
        w.write(Integer.toString(marginals.length));
        for (double[] p : marginals) {
            w.write(' ');
            w.write(Integer.toString(p.length));
            for (double x : p) {
                w.write(' ');
                w.write(Double.toString(x));
            }
        }
        w.write('\n');
    }
}
