package org.scaleml.graph;

import java.io.IOException;
import java.util.Locale;
import org.scaleml.common.io.TextScanner;

/**
 * Matrix Market coordinate files: banner {@code %%MatrixMarket matrix coordinate FIELD SYMMETRY}, {@code %}
 * comments, the size line {@code rows cols nnz}, then {@code nnz} entries {@code i j [value]} (1-based).
 * Entry {@code (i, j)} is the arc {@code i->j}; {@code general} gives a directed graph on {@code max(rows,
 * cols)} nodes, {@code symmetric} an undirected graph (each stored entry is one edge, a diagonal entry a self
 * loop). {@code pattern} gives an unweighted graph; {@code integer} values are the weights; {@code real}
 * values become {@code Math.round(value * realWeightScale)}. Values must fit in an {@code int} and, unless
 * {@link ReadOptions#allowNegativeWeights()}, be non-negative. {@code array}, {@code complex}, {@code
 * skew-symmetric} and {@code hermitian} matrices are refused.
 */
final class MatrixMarketReader {
    private MatrixMarketReader() {
    }

    static CsrGraph read(TextScanner<IOException> sc, ReadOptions o) throws IOException {
        if (!sc.nextLine() || sc.line() != 1 || sc.peek() != '%') {
            throw sc.error("missing '%%MatrixMarket matrix coordinate ...' banner on line 1");
        }
        String banner = sc.nextWord("banner");
        if (!banner.equalsIgnoreCase("%%MatrixMarket")) {
            throw sc.error("missing '%%MatrixMarket matrix coordinate ...' banner on line 1");
        }
        String object = sc.nextWord("object ('matrix')").toLowerCase(Locale.ROOT);
        String format = sc.nextWord("format ('coordinate')").toLowerCase(Locale.ROOT);
        String field = sc.nextWord("field (pattern, integer or real)").toLowerCase(Locale.ROOT);
        String symmetry = sc.nextWord("symmetry (general or symmetric)").toLowerCase(Locale.ROOT);
        sc.endLine();
        if (!object.equals("matrix")) {
            throw sc.error("object '" + object + "' is not supported; expected 'matrix'");
        }
        if (!format.equals("coordinate")) {
            throw sc.error("format '" + format + "' is not supported; expected 'coordinate' (a sparse matrix)");
        }
        boolean pattern = field.equals("pattern");
        boolean integer = field.equals("integer");
        boolean real = field.equals("real") || field.equals("double");
        if (!pattern && !integer && !real) {
            throw sc.error("field '" + field + "' is not supported; expected pattern, integer or real");
        }
        boolean symmetric = symmetry.equals("symmetric");
        if (!symmetric && !symmetry.equals("general")) {
            throw sc.error("symmetry '" + symmetry + "' is not supported; expected general or symmetric");
        }
        // Size line, after comments.
        long rows = -1;
        long cols = -1;
        long nnz = -1;
        long sizeLine = 0;
        while (sc.nextLine()) {
            if (sc.peek() == '%') {
                sc.skipLine();
                continue;
            }
            rows = sc.nextInt("row count", 0, Integer.MAX_VALUE - 1);
            cols = sc.nextInt("column count", 0, Integer.MAX_VALUE - 1);
            nnz = sc.nextLong("entry count");
            if (nnz < 0) {
                throw sc.error("negative entry count " + nnz);
            }
            sc.endLine();
            sizeLine = sc.line();
            break;
        }
        if (sizeLine == 0) {
            throw sc.error("missing size line 'rows cols entries'");
        }
        if (symmetric && rows != cols) {
            throw sc.error("symmetric matrix must be square, is " + rows + " x " + cols);
        }
        int n = (int) Math.max(rows, cols);
        boolean directed = !symmetric && !o.symmetrize();
        GraphBuilder b = new GraphBuilder(n, directed).weighted(!pattern).expectedEdges(nnz)
                .dropSelfLoops(o.dropSelfLoops())
                .deduplicate(symmetric ? o.deduplicate() : o.mergeParallel()).idOffset(1);
        long minWeight = o.allowNegativeWeights() ? Integer.MIN_VALUE : 0;
        double scale = o.realWeightScale();
        long entries = 0;
        while (sc.nextLine()) {
            if (sc.peek() == '%') {
                sc.skipLine();
                continue;
            }
            int i = sc.nextInt("row index", 1, rows);
            int j = sc.nextInt("column index", 1, cols);
            long w = 1;
            if (integer) {
                w = sc.nextLong("value");
            } else if (real) {
                double v = sc.nextDouble("value");
                double scaled = Math.rint(v * scale);
                if (!Double.isFinite(scaled) || scaled > Integer.MAX_VALUE || scaled < Integer.MIN_VALUE) {
                    throw sc.error("value " + v + " (times scale " + scale + ") does not fit in an int weight");
                }
                w = Math.round(v * scale);
            }
            if (w < minWeight) {
                throw sc.error("negative value " + w + " (allowNegativeWeights is off)");
            }
            if (w > Integer.MAX_VALUE || w < Integer.MIN_VALUE) {
                throw sc.error("value " + w + " does not fit in an int weight");
            }
            sc.endLine();
            if (entries == nnz) {
                throw sc.error("more entries than the " + nnz + " declared on line " + sizeLine);
            }
            entries++;
            b.addUnchecked(i - 1, j - 1, (int) w);
        }
        if (entries < nnz) {
            throw sc.error("found " + entries + " entries, fewer than the " + nnz + " declared on line " + sizeLine);
        }
        String shortfall = b.heapShortfall();
        if (shortfall != null) {
            throw sc.errorAt(sizeLine, 0, shortfall);
        }
        return b.build();
    }
}
