package org.scaleml.bp.ldpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.scaleml.bp.io.ModelFormatException;
import org.scaleml.bp.io.ModelText;
import org.scaleml.common.io.TextScanner;

/**
 * Reads a sparse parity-check matrix in MacKay's {@code alist} format [1] into a {@link ParityCheckCode}.
 *
 * <h2>Format</h2>
 * Whitespace-separated integers (line breaks are not significant), after an optional first line starting with
 * {@code #} (a comment, e.g. the code's source URL, which is skipped):
 * <pre>
 * N M                       columns (bits) and rows (checks) of H
 * max_col_weight max_row_weight
 * w_col(1) ... w_col(N)     column weights
 * w_row(1) ... w_row(M)     row weights
 * N column lists            the 1-based rows of each column, w_col(j) of them, optionally padded with 0 to max_col_weight
 * M row lists               the 1-based columns of each row, likewise padded with 0 to max_row_weight
 * </pre>
 * Gunzipped if the file starts with the gzip magic bytes.
 *
 * <h2>Validation</h2>
 * Every weight must be within its declared maximum (and at least 1), indices within range and not repeated in a list,
 * only zeros may pad a list, and the two halves must describe the same matrix: the column lists and the row lists
 * must agree entry for entry (the row of every column entry lists that column, and the totals match). Any violation
 * is a {@link ModelFormatException} naming the file, line, token and reason. N and M are limited to 2^24 and the
 * number of ones to 2^28; arrays grow with the data read, not from the declared counts. Thread-safe (static).
 *
 * <p>[1] D. J. C. MacKay, "Alist format", http://www.inference.org.uk/mackay/codes/alist.html; codes from MacKay's
 * Encyclopedia of Sparse Graph Codes.
 */
public final class AlistReader {
    /** Largest N or M accepted. */
    public static final int MAX_DIMENSION = 1 << 24;
    /** Most ones accepted. */
    public static final long MAX_EDGES = 1L << 28;

    private AlistReader() {
    }

    /** Reads {@code file}. */
    public static ParityCheckCode read(Path file) throws IOException {
        try (TextScanner<RuntimeException> s = ModelText.open(file)) {
            return parse(s);
        }
    }

    /** Reads from {@code in} (not closed), labelling errors with {@code name}. */
    public static ParityCheckCode read(InputStream in, String name) {
        return parse(ModelText.scan(in, name));
    }

    private static ParityCheckCode parse(TextScanner<RuntimeException> s) {
        s.skipLineIfStartsWith('#');
        int n = s.nextIntIn("N (the number of columns)", 1, MAX_DIMENSION);
        int m = s.nextIntIn("M (the number of rows)", 1, MAX_DIMENSION);
        int maxCol = s.nextIntIn("the maximum column weight", 1, m);
        int maxRow = s.nextIntIn("the maximum row weight", 1, n);
        int[] colW = readWeights(s, n, maxCol, "column");
        int[] rowW = readWeights(s, m, maxRow, "row");
        long colTotal = 0;
        for (int w : colW) {
            colTotal += w;
        }
        long rowTotal = 0;
        for (int w : rowW) {
            rowTotal += w;
        }
        if (colTotal != rowTotal) {
            throw s.errorAtToken("the column weights sum to " + colTotal + " but the row weights to " + rowTotal);
        }
        if (colTotal > MAX_EDGES) {
            throw s.errorAtToken("more than " + MAX_EDGES + " ones in H");
        }
        long[] colLine = new long[n];
        long[] rowLine = new long[m];
        int[][] cols = readLists(s, colW, maxCol, m, "column", "row", colLine);
        int[][] rows = readLists(s, rowW, maxRow, n, "row", "column", rowLine);
        s.expectEnd("the row lists");
        // consistency: every (column j, row i) entry must appear in row i's list; totals already agree
        int[] count = new int[m];
        for (int j = 0; j < n; j++) {
            for (int i : cols[j]) {
                if (Arrays.binarySearch(rows[i], j) < 0) {
                    throw s.errorAt(colLine[j], 0, "column " + (j + 1) + " lists row " + (i + 1)
                            + " but row " + (i + 1) + " does not list column " + (j + 1));
                }
                count[i]++;
            }
        }
        for (int i = 0; i < m; i++) {
            if (count[i] != rows[i].length) {
                throw s.errorAt(rowLine[i], 0, "row " + (i + 1) + " lists " + rows[i].length
                        + " columns but only " + count[i] + " columns list row " + (i + 1));
            }
        }
        return new ParityCheckCode(n, rows);
    }

    private static int[] readWeights(TextScanner<RuntimeException> s, int count, int max, String what) {
        int[] w = new int[Math.min(count, 4096)];
        for (int j = 0; j < count; j++) {
            if (j == w.length) {
                w = Arrays.copyOf(w, (int) Math.min(count, 2L * w.length));
            }
            w[j] = s.nextIntIn("the weight of " + what + " " + (j + 1), 1, max);
        }
        return w;
    }

    /** Reads the lists, returning them 0-based and sorted. */
    private static int[][] readLists(TextScanner<RuntimeException> s, int[] weights, int maxW, int range, String what, String of,
                                   long[] lines) {
        int[][] lists = new int[weights.length][];
        int[] mark = new int[range]; // mark[i] == j + 1 while reading list j
        for (int j = 0; j < weights.length; j++) {
            int[] l = new int[weights[j]];
            for (int k = 0; k < l.length; k++) {
                int x = s.nextIntIn(of + " " + (k + 1) + " of " + what + " " + (j + 1), 0, range);
                if (x == 0) {
                    throw s.errorAtToken(what + " " + (j + 1) + " has weight " + l.length + " but its entry " + (k + 1)
                            + " is the padding 0");
                }
                if (mark[x - 1] == j + 1) {
                    throw s.errorAtToken(what + " " + (j + 1) + " lists " + of + " " + x + " twice");
                }
                mark[x - 1] = j + 1;
                l[k] = x - 1;
                if (k == 0) {
                    lines[j] = s.tokenLine();
                }
            }
            // optional zero padding up to the maximum weight; a 0 can only be padding since indices are 1-based
            for (int k = l.length; k < maxW && s.hasNext(); k++) {
                if (peekIsZero(s)) {
                    s.nextToken("padding");
                } else {
                    break;
                }
            }
            Arrays.sort(l);
            lists[j] = l;
        }
        return lists;
    }

    private static boolean peekIsZero(TextScanner<RuntimeException> s) {
        return s.hasNext() && s.peekEquals("0");
    }
}
