package org.scaleml.train.pca;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A {@code k}-dimensional subspace of R^d held as an orthonormal basis: a {@code d x k} matrix stored column-major
 * in a {@code double[]} (column {@code j} at {@code [j * d, (j + 1) * d)}), in double precision.
 *
 * <p><b>Principal angle.</b> {@link #principalAngle(Subspace)} is the largest principal angle between two
 * subspaces of the same dimension, in radians, in {@code [0, pi/2]}; it is 0 exactly when they are equal and does
 * not depend on the bases chosen (signs, rotations within the subspace).
 *
 * <p><b>Thread safety.</b> Immutable (the basis is copied in and out); safe to share.
 */
public final class Subspace {
    /*
     * The angle is computed as asin(||(I - U U^T) V||_2) for orthonormal U and V (Golub and Van Loan, "Matrix
     * Computations", 4th ed., section 6.4.3): the residual M = V - U (U^T V) is formed explicitly (d k^2 flops) and
     * its largest singular value taken as the square root of the largest eigenvalue of the k x k matrix M^T M.
     * Unlike acos of the smallest singular value of U^T V, this keeps its accuracy for small angles, the regime
     * that matters here (1e-3 and below): sin^2 is computed to about 1e-16 absolute, so angles down to ~1e-8 are
     * resolved.
     */

    private final int d;
    private final int k;
    private final double[] basis;

    private Subspace(int d, int k, double[] basis) {
        this.d = d;
        this.k = k;
        this.basis = basis;
    }

    /**
     * The span of the first {@code k} columns of the column-major {@code d x cols} matrix {@code columns},
     * orthonormalized (Gram-Schmidt with one reorthogonalization).
     *
     * @throws IllegalArgumentException if the sizes do not match or the columns are (numerically) dependent
     */
    public static Subspace span(double[] columns, int d, int k) {
        if (d < 1 || k < 1 || k > d || columns.length < (long) d * k) {
            throw new IllegalArgumentException("a span of " + k + " columns of length " + d + " needs " + k
                    + " <= " + d + " and at least d * k values, got " + columns.length);
        }
        double[] q = Arrays.copyOf(columns, d * k);
        for (int j = 0; j < k; j++) {
            if (!orthonormalizeColumn(q, d, j)) {
                throw new IllegalArgumentException("column " + j + " depends on the columns before it");
            }
        }
        return new Subspace(d, k, q);
    }

    /** Ambient dimension {@code d}. */
    public int ambient() {
        return d;
    }

    /** Dimension {@code k}. */
    public int dimension() {
        return k;
    }

    /** A copy of the orthonormal basis, column-major {@code d x k}. */
    public double[] basis() {
        return basis.clone();
    }

    /**
     * The largest principal angle to {@code other}, in radians.
     *
     * @throws IllegalArgumentException if the ambient dimensions or the dimensions differ
     */
    public double principalAngle(Subspace other) {
        if (other.d != d || other.k != k) {
            throw new IllegalArgumentException("subspaces of different shapes: " + d + " x " + k + " and " + other.d
                    + " x " + other.k);
        }
        double s = Math.sqrt(Math.max(0, largestEigenvalue(residualGram(basis, other.basis, d, k), k)));
        return Math.asin(Math.min(1.0, s));
    }

    /** (V - U U^T V)^T (V - U U^T V), k x k row-major, for column-major orthonormal U and V. */
    private static double[] residualGram(double[] u, double[] v, int d, int k) {
        double[] m = v.clone();
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < k; i++) {
                double dot = dot(u, i * d, v, j * d, d);
                axpy(-dot, u, i * d, m, j * d, d);
            }
        }
        double[] g = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double x = dot(m, i * d, m, j * d, d);
                g[i * k + j] = x;
                g[j * k + i] = x;
            }
        }
        return g;
    }

    /** The largest eigenvalue of a symmetric row-major k x k matrix. */
    static double largestEigenvalue(double[] sym, int k) {
        if (k == 1) {
            return sym[0];
        }
        SymmetricEigen e = SymmetricEigen.of(sym, k);
        return e.values()[0];
    }

    /**
     * Orthonormalizes column {@code j} of the column-major {@code q} against columns {@code 0..j-1} (already
     * orthonormal): two passes of modified Gram-Schmidt, then normalization.
     *
     * @return false if the column is (numerically) in the span of the earlier ones; it is then left unnormalized
     */
    static boolean orthonormalizeColumn(double[] q, int d, int j) {
        int off = j * d;
        double before = Math.sqrt(dot(q, off, q, off, d));
        if (!(before > 0) || !Double.isFinite(before)) {
            return false;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < j; i++) {
                axpy(-dot(q, i * d, q, off, d), q, i * d, q, off, d);
            }
        }
        double norm = Math.sqrt(dot(q, off, q, off, d));
        if (!(norm > 1e-10 * before)) {
            return false;
        }
        double inv = 1.0 / norm;
        for (int c = 0; c < d; c++) {
            q[off + c] *= inv;
        }
        return true;
    }

    static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
        }
        if (i < n) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return s0 + s1;
    }

    static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public String toString() {
        return k + "-dimensional subspace of R^" + d;
    }

    /**
     * Eigenvalues (descending) and eigenvectors (row-major {@code k x k}, column {@code j} the vector of value
     * {@code j}) of a symmetric matrix, by EJML's symmetric QR algorithm.
     */
    record SymmetricEigen(double[] values, double[] vectors) {
        static SymmetricEigen of(double[] sym, int n) {
            DMatrixRMaj a = new DMatrixRMaj(n, n, true, sym);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            if (!eig.decompose(a)) {
                throw new ArithmeticException("the symmetric eigen-decomposition of a " + n + " x " + n
                        + " matrix did not converge");
            }
            Integer[] order = new Integer[n];
            double[] val = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                val[i] = eig.getEigenvalue(i).real;
            }
            Arrays.sort(order, (x, y) -> Double.compare(val[y], val[x]));
            double[] values = new double[n];
            double[] vectors = new double[n * n];
            for (int j = 0; j < n; j++) {
                values[j] = val[order[j]];
                DMatrixRMaj v = eig.getEigenVector(order[j]);
                for (int i = 0; i < n; i++) {
                    vectors[i * n + j] = v.get(i, 0);
                }
            }
            return new SymmetricEigen(values, vectors);
        }
    }
}
