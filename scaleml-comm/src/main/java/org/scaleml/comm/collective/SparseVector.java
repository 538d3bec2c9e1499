package org.scaleml.comm.collective;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable sparse vector of {@code float32} values: a dimension {@code n} and {@code nnz} stored entries
 * (index, value) with strictly increasing indices in {@code [0, n)}. Stored entries may hold zero (a sum in which
 * values cancelled keeps its entry); every index not stored is zero.
 *
 * <p>Thread-safe (immutable); the factory methods copy their arguments, accessors copy nothing.
 */
public final class SparseVector {
    private final int dimension;
    private final int[] indices;
    private final float[] values;
    private final int nnz;

    /** Takes the arrays without copying; the caller guarantees the invariant (checked by the factories). */
    SparseVector(int dimension, int[] indices, float[] values, int nnz) {
        this.dimension = dimension;
        this.indices = indices;
        this.values = values;
        this.nnz = nnz;
    }

    /**
     * A sparse vector of dimension {@code dimension} with entries {@code (indices[k], values[k])}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, the dimension is negative, or the indices
     *                                  are not strictly increasing within {@code [0, dimension)}
     */
    public static SparseVector of(int dimension, int[] indices, float[] values) {
        if (dimension < 0) {
            throw new IllegalArgumentException("negative dimension " + dimension);
        }
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
        }
        int prev = -1;
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i <= prev || i >= dimension) {
                throw new IllegalArgumentException("index " + i + " at position " + k + (i <= prev
                        ? " does not follow " + prev + " (indices must be strictly increasing)"
                        : " outside [0, " + dimension + ")"));
            }
            prev = i;
        }
        return new SparseVector(dimension, indices.clone(), values.clone(), indices.length);
    }

    /** The non-zero entries of {@code dense} (a top-k or threshold selection is the caller's business). */
    public static SparseVector fromDense(float[] dense) {
        int nnz = 0;
        for (float v : dense) {
            if (v != 0) {
                nnz++;
            }
        }
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        for (int i = 0, k = 0; i < dense.length; i++) {
            if (dense[i] != 0) {
                idx[k] = i;
                val[k++] = dense[i];
            }
        }
        return new SparseVector(dense.length, idx, val, nnz);
    }

    /** The dimension {@code n}. */
    public int dimension() {
        return dimension;
    }

    /** The number of stored entries. */
    public int nnz() {
        return nnz;
    }

    /** {@code nnz / n} (0 for {@code n = 0}). */
    public double density() {
        return dimension == 0 ? 0 : (double) nnz / dimension;
    }

    /** The index of stored entry {@code k}, {@code 0 <= k < nnz}. */
    public int index(int k) {
        Objects.checkIndex(k, nnz);
        return indices[k];
    }

    /** The value of stored entry {@code k}, {@code 0 <= k < nnz}. */
    public float value(int k) {
        Objects.checkIndex(k, nnz);
        return values[k];
    }

    /** A copy of the stored indices. */
    public int[] indices() {
        return Arrays.copyOf(indices, nnz);
    }

    /** A copy of the stored values. */
    public float[] values() {
        return Arrays.copyOf(values, nnz);
    }

    /** A new dense array of length {@code n}. */
    public float[] toDense() {
        float[] d = new float[dimension];
        for (int k = 0; k < nnz; k++) {
            d[indices[k]] = values[k];
        }
        return d;
    }

    /** Adds the entries to {@code dst[off, off + n)}. */
    public void addTo(float[] dst, int off) {
        Objects.checkFromIndexSize(off, dimension, dst.length);
        for (int k = 0; k < nnz; k++) {
            dst[off + indices[k]] += values[k];
        }
    }

    /** Direct access for this package (no copies). */
    int[] rawIndices() {
        return indices;
    }

    float[] rawValues() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SparseVector)) {
            return false;
        }
        SparseVector v = (SparseVector) o;
        return dimension == v.dimension && nnz == v.nnz
                && Arrays.equals(indices, 0, nnz, v.indices, 0, nnz)
                && Arrays.equals(values, 0, nnz, v.values, 0, nnz);
    }

    @Override
    public int hashCode() {
        int h = 31 * dimension + nnz;
        for (int k = 0; k < nnz; k++) {
            h = 31 * (31 * h + indices[k]) + Float.floatToIntBits(values[k]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("SparseVector(n=").append(dimension).append(", nnz=").append(nnz);
        for (int k = 0; k < Math.min(nnz, 8); k++) {
            b.append(k == 0 ? ": " : ", ").append(indices[k]).append('=').append(values[k]);
        }
        return b.append(nnz > 8 ? ", ...)" : ")").toString();
    }
}
