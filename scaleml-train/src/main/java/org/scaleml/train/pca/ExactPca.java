package org.scaleml.train.pca;

import org.scaleml.train.data.Dataset;

/**
 * The exact (sequential, double-precision) top-{@code k} principal subspace of a data set: the reference the
 * distributed runs are measured against.
 *
 * <p>Forms the {@code d x d} scatter matrix {@code sum_r (x_r - mu)(x_r - mu)^T} (or, uncentered,
 * {@code sum_r x_r x_r^T}) in double precision and takes its top-{@code k} eigenvectors with EJML's symmetric
 * eigen-decomposition (Householder tridiagonalization and implicit QR). Cost: {@code n nnz d / 2} multiply-adds
 * for the matrix (zeros skipped) and {@code O(d^3)} for the decomposition; {@code d^2} doubles of memory, so
 * {@code d} is limited to {@value #MAX_DIM}.
 *
 * <p><b>Thread safety.</b> Stateless.
 */
public final class ExactPca {
    /** Largest dimension accepted (a {@code d x d} double matrix, 128 MiB at this size). */
    public static final int MAX_DIM = 4096;

    private ExactPca() {
    }

    /**
     * The top-{@code k} principal subspace and its variances.
     *
     * @param subspace  orthonormal basis of the top-{@code k} eigenvectors, in descending order of eigenvalue
     * @param variances the top-{@code k} eigenvalues of the covariance (scatter matrix divided by {@code n}),
     *                  descending
     */
    public record Reference(Subspace subspace, double[] variances) {
    }

    /**
     * The exact top-{@code k} principal subspace of every example of {@code data}.
     *
     * @param center subtract the mean (true: principal components) or not (uncentered second moments)
     * @throws IllegalArgumentException if {@code k} is not in {@code [1, d]} or {@code d > MAX_DIM}
     */
    public static Reference topK(Dataset data, int k, boolean center) {
        int d = data.features();
        if (d > MAX_DIM) {
            throw new IllegalArgumentException("the exact reference needs a " + d + " x " + d + " matrix; at most "
                    + MAX_DIM + " features are supported");
        }
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("k must be between 1 and the number of features " + d + ", got " + k);
        }
        int n = data.size();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        double[] g = LocalCovariance.gram(data, rows);
        if (center) {
            double[] mu = LocalCovariance.columnSums(data, rows);
            for (int i = 0; i < d; i++) {
                mu[i] /= n;
            }
            for (int i = 0; i < d; i++) {
                double a = n * mu[i];
                for (int j = 0; j < d; j++) {
                    g[i * d + j] -= a * mu[j];
                }
            }
        }
        Subspace.SymmetricEigen e = Subspace.SymmetricEigen.of(g, d);
        double[] basis = new double[d * k];
        double[] variances = new double[k];
        for (int j = 0; j < k; j++) {
            variances[j] = e.values()[j] / n;
            for (int i = 0; i < d; i++) {
                basis[j * d + i] = e.vectors()[i * d + j];
            }
        }
        return new Reference(Subspace.span(basis, d, k), variances);
    }
}
