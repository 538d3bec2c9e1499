package org.scaleml.train.pca;

import org.scaleml.train.data.Dataset;

/**
 * One rank's share of the covariance operator: {@code A_i V = X_i^T X_i V - n_i mu mu^T V} for the rows
 * {@code X_i} the rank holds, the global mean {@code mu} (or 0 for uncentered second moments) and a block
 * {@code V} of {@code m} columns; summed over the ranks, {@code sum_i A_i = sum_r (x_r - mu)(x_r - mu)^T}, the
 * scatter matrix ({@code n} times the covariance).
 *
 * <p>Not thread-safe (scratch buffers); one instance per rank.
 */
final class LocalCovariance {
    /*
     * Two ways to apply the operator, chosen by dimension:
     *
     * - d <= GRAM_MAX_DIM: the local d x d matrix G_i = X_i^T X_i - n_i mu mu^T is formed once (n_i nnz d / 2
     *   multiply-adds, upper triangle, blocks of BLOCK rows so that each row of G stays in L1 while the block is
     *   swept, and the inner loop is an axpy over bare indices of two distinct arrays, which C2 vectorizes); each
     *   iteration is then a d x d times d x m product. For Fashion-MNIST (d = 784) this costs about as much as 40
     *   matrix-free iterations at m = 10 and makes every later iteration cheap.
     * - larger d: matrix-free, per row r: z = x_r^T V (m values), then Y += x_r z^T; 4 nnz(X_i) m flops per
     *   iteration; zeros of dense rows are skipped. The rank-one mean correction is applied afterwards.
     *
     * Everything is accumulated in double; the data are floats.
     */

    /** Largest dimension for which the local matrix is formed. */
    static final int GRAM_MAX_DIM = 2048;
    private static final int BLOCK = 64;

    private final Dataset data;
    private final int[] rows;
    private final int d;
    private final double[] mean;
    private final double count;
    /** The centered local matrix, row-major d x d, or null when matrix-free. */
    private final double[] gram;

    LocalCovariance(Dataset data, int[] rows, double[] mean) {
        this(data, rows, mean, data.features() <= GRAM_MAX_DIM);
    }

    /** As above, forming the local matrix or not as told (the tests check that both ways agree). */
    LocalCovariance(Dataset data, int[] rows, double[] mean, boolean formGram) {
        this.data = data;
        this.rows = rows;
        this.d = data.features();
        this.mean = mean;
        this.count = rows.length;
        if (formGram) {
            double[] g = gram(data, rows);
            if (mean != null) {
                for (int i = 0; i < d; i++) {
                    double a = count * mean[i];
                    for (int j = 0; j < d; j++) {
                        g[i * d + j] -= a * mean[j];
                    }
                }
            }
            this.gram = g;
        } else {
            this.gram = null;
        }
    }

    /** Column sums of the given rows (in double). */
    static double[] columnSums(Dataset data, int[] rows) {
        int d = data.features();
        double[] s = new double[d];
        if (data.isSparse()) {
            long[] rs = data.rowStart();
            int[] col = data.columns();
            float[] val = data.values();
            for (int r : rows) {
                for (long p = rs[r]; p < rs[r + 1]; p++) {
                    s[col[(int) p]] += val[(int) p];
                }
            }
        } else {
            float[] x = data.dense();
            for (int r : rows) {
                int off = r * d;
                for (int c = 0; c < d; c++) {
                    s[c] += x[off + c];
                }
            }
        }
        return s;
    }

    /** The uncentered second-moment matrix {@code sum_r x_r x_r^T} of the given rows, row-major d x d. */
    static double[] gram(Dataset data, int[] rows) {
        int d = data.features();
        double[] g = new double[d * d];
        double[][] blk = new double[BLOCK][d];
        float[] tmp = new float[d];
        double[] acc = new double[d];
        boolean[] nonzero = new boolean[d];
        for (int r0 = 0; r0 < rows.length; r0 += BLOCK) {
            int b = Math.min(BLOCK, rows.length - r0);
            java.util.Arrays.fill(nonzero, false);
            for (int i = 0; i < b; i++) {
                data.copyRow(rows[r0 + i], tmp, 0);
                double[] row = blk[i];
                for (int c = 0; c < d; c++) {
                    row[c] = tmp[c];
                    nonzero[c] |= tmp[c] != 0f;
                }
            }
            for (int c = 0; c < d; c++) {
                if (!nonzero[c]) {
                    continue;
                }
                int rowOff = c * d;
                System.arraycopy(g, rowOff + c, acc, c, d - c);
                for (int i = 0; i < b; i++) {
                    double[] row = blk[i];
                    double x = row[c];
                    if (x != 0) {
                        for (int j = c; j < d; j++) {
                            acc[j] += x * row[j];
                        }
                    }
                }
                System.arraycopy(acc, c, g, rowOff + c, d - c);
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                g[j * d + i] = g[i * d + j];
            }
        }
        return g;
    }

    /** {@code out = A_i v} for the column-major {@code d x m} block {@code v}; {@code out} is overwritten. */
    void apply(double[] v, int m, double[] out) {
        if (gram != null) {
            applyGram(v, m, out);
        } else {
            applyMatrixFree(v, m, out);
        }
    }

    private void applyGram(double[] v, int m, double[] out) {
        for (int j = 0; j < m; j++) {
            int vo = j * d;
            for (int i = 0; i < d; i++) {
                out[vo + i] = Subspace.dot(gram, i * d, v, vo, d);
            }
        }
    }

    private void applyMatrixFree(double[] v, int m, double[] out) {
        double[] vr = new double[d * m];
        double[] yr = new double[d * m];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < d; c++) {
                vr[c * m + j] = v[j * d + c];
            }
        }
        double[] z = new double[m];
        if (data.isSparse()) {
            long[] rs = data.rowStart();
            int[] col = data.columns();
            float[] val = data.values();
            for (int r : rows) {
                java.util.Arrays.fill(z, 0);
                for (long p = rs[r]; p < rs[r + 1]; p++) {
                    double x = val[(int) p];
                    int o = col[(int) p] * m;
                    for (int j = 0; j < m; j++) {
                        z[j] += x * vr[o + j];
                    }
                }
                for (long p = rs[r]; p < rs[r + 1]; p++) {
                    double x = val[(int) p];
                    int o = col[(int) p] * m;
                    for (int j = 0; j < m; j++) {
                        yr[o + j] += x * z[j];
                    }
                }
            }
        } else {
            float[] xs = data.dense();
            for (int r : rows) {
                java.util.Arrays.fill(z, 0);
                int off = r * d;
                for (int c = 0; c < d; c++) {
                    double x = xs[off + c];
                    if (x != 0) {
                        for (int j = 0; j < m; j++) {
                            z[j] += x * vr[c * m + j];
                        }
                    }
                }
                for (int c = 0; c < d; c++) {
                    double x = xs[off + c];
                    if (x != 0) {
                        for (int j = 0; j < m; j++) {
                            yr[c * m + j] += x * z[j];
                        }
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            double mv = mean == null ? 0 : count * Subspace.dot(mean, 0, v, j * d, d);
            for (int c = 0; c < d; c++) {
                out[j * d + c] = yr[c * m + j] - (mean == null ? 0 : mv * mean[c]);
            }
        }
    }
}
