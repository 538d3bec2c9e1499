package org.scaleml.train.model;

/**
 * Single-precision general matrix products on flat row-major {@code float[]} arrays with offsets and leading
 * dimensions: {@code C (+)= A * B}, {@code C (+)= A^T * B} and {@code C (+)= A * B^T}.
 *
 * <p>Notation: {@code C} is {@code m x n} with element {@code (i, j)} at {@code c[cOff + i * ldc + j]}; the
 * operand shapes are those of the product ({@code A} or {@code A^T} is {@code m x k}, {@code B} or {@code B^T} is
 * {@code k x n}), each stored row-major with its own leading dimension. With {@code accumulate == false} the
 * result overwrites {@code C}; with {@code true} it is added to it. {@code C} must not overlap {@code A} or
 * {@code B}.
 *
 * <p><b>Thread safety.</b> An instance owns packing buffers (about 260 KiB, allocated once by the constructor)
 * and is not thread-safe: each thread (each model workspace) uses its own. <b>Complexity.</b> {@code 2 m n k}
 * floating-point operations plus {@code O(n k + m n k / KC)} copies for packing; no allocation after
 * construction.
 */
final class Gemm {
    /*
     * Algorithm. All three products reduce to one kernel, C += op(A) * B, where op(A)(i, p) =
     * a[aOff + i * sI + p * sP] (sI = lda, sP = 1 for A; sI = 1, sP = lda for A^T) is read as scalars, and B is
     * read through a packed copy. A * B^T differs only in how B is packed (a strided gather instead of row
     * copies), which avoids the direct dot-product form: that is a floating-point reduction the JIT does not
     * vectorize, because it must keep the sequential rounding order.
     *
     * The kernel loops in i-p-j order: for each row i of C and each p, C[i, j..] += op(A)(i, p) * B[p, j..] is an
     * axpy with unit stride in j, the loop C2's SuperWord pass turns into packed AVX multiplies and adds. It is
     * unrolled by four in p, so one pass over the row does four multiply-adds per load and store of C, and a
     * group of four zero A values (ReLU outputs, blank pixels) is skipped entirely.
     *
     * Why packing (measured on JDK 17, AVX2): SuperWord refuses to vectorize c[cOff + j] += a * b[bOff + j] when
     * the two offsets are different loop invariants, because it cannot rule out that c and b are the same array
     * with overlapping ranges (about 4 GFLOP/s, scalar speed). With every operand of the inner loop indexed by
     * the bare loop variable (acc[j], b0[j], b1[j], ...) it vectorizes (about 40 GFLOP/s). So the kernel copies
     * a KC x NC block of B into KC separate row arrays and the current NC-column segment of the C row into an
     * accumulator array (System.arraycopy, itself vectorized), runs the axpys there and copies the row back.
     *
     * Cache blocking: j is cut into panels of NC columns and p into slabs of KC rows; the packed block (KC * NC *
     * 4 bytes = 256 KiB) is reused by every row i from L2 and the accumulator stays in L1. The summation order
     * is fixed for given shapes, so results are deterministic.
     */

    /** Rows of B per slab. */
    static final int KC = 128;
    /** Columns of B and C per panel. */
    static final int NC = 512;

    private final float[][] packed = new float[KC][NC];
    private final float[] acc = new float[NC];

    /** {@code C (+)= A * B}: {@code A} is {@code m x k} (leading dimension {@code lda}), {@code B} is {@code k x n}. */
    void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        kernel(m, n, k, a, aOff, lda, 1, b, bOff, ldb, false, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C (+)= A^T * B}: {@code A} is stored {@code k x m} (leading dimension {@code lda >= m}), {@code B} is
     * {@code k x n}.
     */
    void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        kernel(m, n, k, a, aOff, 1, lda, b, bOff, ldb, false, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C (+)= A * B^T}: {@code A} is {@code m x k}, {@code B} is stored {@code n x k} (leading dimension
     * {@code ldb >= k}).
     */
    void nt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        kernel(m, n, k, a, aOff, lda, 1, b, bOff, ldb, true, c, cOff, ldc, accumulate);
    }

    private void kernel(int m, int n, int k, float[] a, int aOff, int sI, int sP, float[] b, int bOff, int ldb,
                        boolean bTransposed, float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (k == 0) {
            return;
        }
        float[][] bp = packed;
        float[] row = acc;
        for (int jj = 0; jj < n; jj += NC) {
            int jn = Math.min(NC, n - jj);
            for (int pp = 0; pp < k; pp += KC) {
                int pk = Math.min(KC, k - pp);
                pack(b, bOff, ldb, bTransposed, pp, pk, jj, jn);
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * ldc + jj;
                    int ai = aOff + i * sI + pp * sP;
                    boolean touched = false;
                    int p = 0;
                    for (; p + 3 < pk; p += 4) {
                        float a0 = a[ai];
                        float a1 = a[ai + sP];
                        float a2 = a[ai + 2 * sP];
                        float a3 = a[ai + 3 * sP];
                        ai += 4 * sP;
                        if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                            continue;
                        }
                        if (!touched) {
                            System.arraycopy(c, ci, row, 0, jn);
                            touched = true;
                        }
                        axpy4(jn, a0, a1, a2, a3, bp[p], bp[p + 1], bp[p + 2], bp[p + 3], row);
                    }
                    for (; p < pk; p++) {
                        float a0 = a[ai];
                        ai += sP;
                        if (a0 == 0f) {
                            continue;
                        }
                        if (!touched) {
                            System.arraycopy(c, ci, row, 0, jn);
                            touched = true;
                        }
                        axpy1(jn, a0, bp[p], row);
                    }
                    if (touched) {
                        System.arraycopy(row, 0, c, ci, jn);
                    }
                }
            }
        }
    }

    /** Copies {@code B[pp, pp + pk) x [jj, jj + jn)} (or that block of {@code B^T}) into the packed rows. */
    private void pack(float[] b, int bOff, int ldb, boolean bTransposed, int pp, int pk, int jj, int jn) {
        float[][] bp = packed;
        if (!bTransposed) {
            for (int p = 0; p < pk; p++) {
                System.arraycopy(b, bOff + (pp + p) * ldb + jj, bp[p], 0, jn);
            }
        } else {
            // B^T[pp + p, jj + j] = b[bOff + (jj + j) * ldb + pp + p]: read rows of B in order, scatter to columns.
            for (int j = 0; j < jn; j++) {
                int src = bOff + (jj + j) * ldb + pp;
                for (int p = 0; p < pk; p++) {
                    bp[p][j] = b[src + p];
                }
            }
        }
    }

    /** {@code c[j] += a0 b0[j] + a1 b1[j] + a2 b2[j] + a3 b3[j]} for {@code j < len}. */
    private static void axpy4(int len, float a0, float a1, float a2, float a3, float[] b0, float[] b1, float[] b2,
                              float[] b3, float[] c) {
        for (int j = 0; j < len; j++) {
            c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    private static void axpy1(int len, float a0, float[] b0, float[] c) {
        for (int j = 0; j < len; j++) {
            c[j] += a0 * b0[j];
        }
    }
}
