package org.scaleml.bp.ldpc;

import java.util.Arrays;

/**
 * A binary linear code given by a sparse parity-check matrix {@code H} ({@code M x N} over GF(2)): a word {@code c} of
 * {@code N} bits is a codeword iff {@code H c = 0}, i.e. every check (row) covers an even number of ones.
 *
 * <p>Stored both ways, 0-based: {@link #checkVariables(int)} lists the bits of a check, {@link #variableChecks(int)}
 * the checks of a bit, each increasing. The constructor validates ranges and duplicates and derives the column view
 * from the rows. Immutable and thread-safe; accessors return internal arrays that callers must not modify.
 */
public final class ParityCheckCode {
    private final int n;
    private final int[][] rows;
    private final int[][] cols;

    /**
     * @param n    code length (number of bits), at least 1
     * @param rows for each check, the bits it covers (0-based, distinct, non-empty); copied and sorted
     * @throws IllegalArgumentException on an empty check, an index out of range or a repeated index
     */
    public ParityCheckCode(int n, int[][] rows) {
        if (n < 1) {
            throw new IllegalArgumentException("code length must be at least 1, got " + n);
        }
        this.n = n;
        this.rows = new int[rows.length][];
        int[] deg = new int[n];
        for (int m = 0; m < rows.length; m++) {
            int[] r = rows[m].clone();
            Arrays.sort(r);
            if (r.length == 0) {
                throw new IllegalArgumentException("check " + m + " covers no bits");
            }
            for (int j = 0; j < r.length; j++) {
                if (r[j] < 0 || r[j] >= n) {
                    throw new IllegalArgumentException("check " + m + ": bit " + r[j] + " out of range [0, " + n + ")");
                }
                if (j > 0 && r[j] == r[j - 1]) {
                    throw new IllegalArgumentException("check " + m + ": bit " + r[j] + " appears twice");
                }
                deg[r[j]]++;
            }
            this.rows[m] = r;
        }
        cols = new int[n][];
        for (int v = 0; v < n; v++) {
            cols[v] = new int[deg[v]];
        }
        int[] fill = new int[n];
        for (int m = 0; m < this.rows.length; m++) {
            for (int v : this.rows[m]) {
                cols[v][fill[v]++] = m;
            }
        }
    }

    /** Code length N (bits). */
    public int n() {
        return n;
    }

    /** Number of checks M (rows of H). */
    public int m() {
        return rows.length;
    }

    /** The bits of check {@code m}, increasing (do not modify). */
    public int[] checkVariables(int m) {
        return rows[m];
    }

    /** The checks of bit {@code v}, increasing (do not modify). */
    public int[] variableChecks(int v) {
        return cols[v];
    }

    /** Number of ones in H. */
    public int edges() {
        int e = 0;
        for (int[] r : rows) {
            e += r.length;
        }
        return e;
    }

    /** Largest row weight. */
    public int maxRowWeight() {
        int w = 0;
        for (int[] r : rows) {
            w = Math.max(w, r.length);
        }
        return w;
    }

    /**
     * Design rate {@code (N - M) / N}; equal to the true rate {@code (N - rank H) / N} when H has full row rank (the
     * usual case; codes with redundant checks have a higher true rate).
     */
    public double designRate() {
        return (double) (n - rows.length) / n;
    }

    /** Number of unsatisfied checks of {@code bits} (0/1 per bit); 0 iff {@code bits} is a codeword. */
    public int unsatisfiedChecks(int[] bits) {
        if (bits.length != n) {
            throw new IllegalArgumentException(bits.length + " bits, the code has length " + n);
        }
        int bad = 0;
        for (int[] r : rows) {
            int p = 0;
            for (int v : r) {
                p ^= bits[v];
            }
            bad += p & 1;
        }
        return bad;
    }

    /** True iff {@code H bits = 0}. */
    public boolean isCodeword(int[] bits) {
        return unsatisfiedChecks(bits) == 0;
    }

    @Override
    public String toString() {
        return "ParityCheckCode(N=" + n + ", M=" + rows.length + ", edges=" + edges() + ")";
    }
}
