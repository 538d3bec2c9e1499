package org.scaleml.comm.codec;

import java.util.Arrays;

/**
 * PowerSGD [1], {@code powersgd:rank=R,rows=M} (rank default 4; rows required): the n elements are read as a
 * row-major {@code M x C} matrix A ({@code C = n / M}; n must be divisible by M) and sent as a rank-r factorization
 * {@code P Q^T}, {@code r = min(R, M, C)}, computed by one step of subspace (power) iteration warm-started from the
 * previous call's Q: {@code P = A Q}, orthonormalize the columns of P (Gram-Schmidt), {@code Q = A^T P}. The
 * decoder computes {@code P Q^T = P P^T A}, the projection of A's columns on the span of P.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Stateful encoder: the warm start Q is kept between calls of the same shape (a new shape, or the first
 *       call, starts from a standard Gaussian Q drawn from the seed; a column of Q that became zero is redrawn).
 *       Stateless decoder: P and Q travel in the body. Not thread-safe.</li>
 *   <li>Error: {@code ||A - P P^T A|| <= ||A||} (P orthonormal; float rounding aside). A matrix of rank at most r
 *       is recovered to float precision after one call; for others the warm start makes the span of P converge
 *       to the top-r left singular subspace over calls on a slowly changing A, which is why [1] pairs it with
 *       error feedback, {@code ef:powersgd}. Biased.</li>
 *   <li>Deterministic per seed. Scratch: Q and its successor (r C floats each), P (r M floats and r M doubles
 *       for the orthonormalization); the decoder: P, Q and one block of a row, all bounded by n. Non-divisible n:
 *       {@link #maxEncodedSize}, {@link #encode} and {@link #bitsPerElement} throw
 *       {@link IllegalArgumentException} naming n and M. Input whose P or Q is not finite (non-finite input,
 *       or overflow): {@code encode} throws {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <h2>Body</h2>
 * <pre>
 * offset     size    field
 *      0        4    M, int32 (must equal rows)
 *      4        4    C, int32 (M C = n)
 *      8        4    r, int32 (must equal min(rank, M, C))
 *     12     4 r M   P, float32, column-major: column 0 (M values), column 1, ...; columns orthonormal
 * 12+4rM     4 r C   Q, float32, column-major: column 0 (C values), ...
 * </pre>
 * Every value must be finite. Wire size, exact: {@code 10 + 12 + 4 r (M + C)} bytes;
 * {@code bitsPerElement = 8 (22 + 4 r (M + C)) / n}, about {@code 32 r (M + C) / (M C)} (for a 4096 x 4096
 * matrix at rank 4: 0.0625 bits per element, a 512th of fp32).
 */
final class PowerSgdCodec extends AbstractCodec {
    /*
     * One step of subspace iteration per call [1, Algorithm 1]:
     *     P <- A Q            (M x r)     r dot products per row of A, each over C elements;
     *     P <- orth(P)                    modified Gram-Schmidt in double, applied twice ("twice is enough",
     *                                     Parlett/Kahan) so that nearly dependent columns stay orthonormal; a
     *                                     column with nothing left after projection is set to zero;
     *     Q <- A^T P          (C x r)     per row i of A, Q_l += P[i, l] A_i (axpy over C elements);
     *     send P, Q; keep Q as the next call's start.
     * P P^T A is the best approximation of A in the column span of P; if Q spans the top right singular subspace,
     * span(P) is the top left one. Reusing Q makes each call one more step of the power method on the
     * slowly-moving gradient (plus residual, under error feedback), so a single multiplication per call is enough
     * in practice [1]. When A has rank <= r, one step already gives span(P) = span(A) and the decode is exact.
     *
     * Layout: A is read in place (row i = src[off + i C, off + (i + 1) C)); P and Q are kept column by column,
     * the order in which the products touch them and the order they go on the wire. Both products and the decoder
     * sweep A by blocks of columns (all rows of one block, then the next), so the r column blocks of Q they read
     * stay in cache. The decoder rebuilds each row segment as sum_l P[i, l] Q_l (axpy), into the destination
     * directly or, for decodeAdd, into a segment buffer that is then added, so both compute every value in the
     * same order. Products run in float with eight partial sums per dot product; the orthonormalization, r^2 M
     * operations, in double.
     *
     * [1] T. Vogels, S. P. Karimireddy, M. Jaggi, "PowerSGD: Practical Low-Rank Gradient Compression for
     *     Distributed Optimization", NeurIPS 2019 (arXiv 1905.13727).
     */
    private final int rank;
    private final int rows;
    private final CodecRandom rnd;
    // encoder state and scratch
    private float[] q = new float[0];
    private float[] qNext = new float[0];
    private int qCols = -1;
    private int qRank = -1;
    private float[] pf = new float[0];
    private double[] pd = new double[0];
    // decoder scratch
    private float[] dp = new float[0];
    private float[] dq = new float[0];
    private float[] row = new float[0];

    PowerSgdCodec(int rank, int rows, long seed) {
        super(CodecIds.POWERSGD, "powersgd:rank=" + rank + ",rows=" + rows);
        if (rank < 1 || rows < 1) {
            throw new IllegalArgumentException("powersgd: rank and rows must be >= 1, got rank=" + rank + ", rows="
                    + rows);
        }
        this.rank = rank;
        this.rows = rows;
        this.rnd = new CodecRandom(seed);
    }

    /** The number of columns C = n / rows. */
    private int cols(int n) {
        if (n % rows != 0) {
            throw new IllegalArgumentException(spec() + ": " + n + " elements are not divisible by rows=" + rows
                    + " (the vector is read as a rows x (n / rows) matrix)");
        }
        return n / rows;
    }

    private int rankFor(int c) {
        return Math.min(rank, Math.min(rows, c));
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    @Override
    protected long maxBodySize(int n) {
        int c = cols(n);
        return 12 + 4L * rankFor(c) * ((long) rows + c);
    }

    @Override
    public double bitsPerElement(int n) {
        long body = maxBodySize(n);
        return wireBitsPerElement(n, body);
    }

    // ------------------------------------------------------------------------------------------ encode

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int p) {
        final int m = rows;
        final int c = cols(n);
        final int r = rankFor(c);
        Wire.putInt(dst, p, m);
        Wire.putInt(dst, p + 4, c);
        Wire.putInt(dst, p + 8, r);
        p += 12;
        if (r == 0) {
            return p;
        }
        prepareWarmStart(c, r);
        final float[] qq = q;
        final float[] pp = pf;
        final int blk = blockColumns(c, r);
        // P = A Q, by blocks of columns so that the block of Q stays in cache while all rows pass
        Arrays.fill(pp, 0, r * m, 0f);
        for (int j0 = 0; j0 < c; j0 += blk) {
            int len = Math.min(blk, c - j0);
            for (int i = 0; i < m; i++) {
                int a = off + i * c + j0;
                for (int l = 0; l < r; l++) {
                    pp[l * m + i] += dot(src, a, qq, l * c + j0, len);
                }
            }
        }
        orthonormalize(m, r);
        // Q' = A^T P, by the same blocks
        final float[] qn = qNext;
        Arrays.fill(qn, 0, r * c, 0f);
        for (int j0 = 0; j0 < c; j0 += blk) {
            int len = Math.min(blk, c - j0);
            for (int i = 0; i < m; i++) {
                int a = off + i * c + j0;
                for (int l = 0; l < r; l++) {
                    float w = pp[l * m + i];
                    if (w != 0f) {
                        axpy(w, src, a, qn, l * c + j0, len);
                    }
                }
            }
        }
        for (int t = 0, len = r * c; t < len; t++) {
            if (!Float.isFinite(qn[t])) {
                throw new IllegalArgumentException(spec() + ": Q is not finite (the input holds non-finite values "
                        + "or overflows float)");
            }
        }
        for (int t = 0, len = r * m; t < len; t++, p += 4) {
            Wire.putFloat(dst, p, pp[t]);
        }
        for (int t = 0, len = r * c; t < len; t++, p += 4) {
            Wire.putFloat(dst, p, qn[t]);
        }
        q = qn; // warm start of the next call
        qNext = qq;
        return p;
    }

    /** Makes q a C x r warm start: the previous Q if the shape matches, else Gaussian; redraws zero columns. */
    private void prepareWarmStart(int c, int r) {
        int len = r * c;
        if (q.length < len) {
            q = new float[len];
            qNext = new float[len];
        }
        if (pf.length < r * rows) {
            pf = new float[r * rows];
            pd = new double[r * rows];
        }
        boolean fresh = qCols != c || qRank != r;
        qCols = c;
        qRank = r;
        for (int l = 0; l < r; l++) {
            boolean zero = true;
            if (!fresh) {
                for (int j = l * c, end = j + c; j < end && zero; j++) {
                    zero = q[j] == 0f;
                }
            }
            if (fresh || zero) {
                for (int j = l * c, end = j + c; j < end; j++) {
                    q[j] = (float) gaussian();
                }
            }
        }
    }

    private double spareGaussian = Double.NaN;

    /** A standard normal deviate (Box-Muller on the codec's stream; StrictMath, so the same on every platform). */
    private double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1 - rnd.nextDouble(); // (0, 1]
        double u2 = rnd.nextDouble();
        double radius = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double angle = 2 * Math.PI * u2;
        spareGaussian = radius * StrictMath.sin(angle);
        return radius * StrictMath.cos(angle);
    }

    /** Orthonormalizes the r columns of P (M values each, in pf) in place; zero columns stay zero. */
    private void orthonormalize(int m, int r) {
        final double[] d = pd;
        final float[] f = pf;
        for (int t = 0, len = r * m; t < len; t++) {
            d[t] = f[t];
            if (!Double.isFinite(d[t])) {
                throw new IllegalArgumentException(spec() + ": P = A Q is not finite (the input holds non-finite "
                        + "values or overflows float)");
            }
        }
        for (int l = 0; l < r; l++) {
            int cl = l * m;
            double before = 0;
            for (int i = 0; i < m; i++) {
                before += d[cl + i] * d[cl + i];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int o = 0; o < l; o++) {
                    int co = o * m;
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += d[cl + i] * d[co + i];
                    }
                    for (int i = 0; i < m; i++) {
                        d[cl + i] -= dot * d[co + i];
                    }
                }
            }
            double norm2 = 0;
            for (int i = 0; i < m; i++) {
                norm2 += d[cl + i] * d[cl + i];
            }
            // nothing left after projection (dependent column, relative to rounding) or a zero column: drop it
            double inv = norm2 > before * 1e-28 && norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
            for (int i = 0; i < m; i++) {
                d[cl + i] *= inv;
                f[cl + i] = (float) d[cl + i];
            }
        }
    }

    /**
     * Columns per block: the r column blocks of Q fill about 256 KB, so they stay in the L2 cache while every row
     * passes (on a 4096 x 4096 matrix at rank 4 that is no blocking at all; smaller blocks measured slower).
     */
    private static int blockColumns(int c, int r) {
        return Math.max(1, Math.min(c, Math.max(1024, 65536 / r)));
    }

    /** sum_j a[ai + j] b[bi + j], j < len, in eight partial sums. */
    private static float dot(float[] a, int ai, float[] b, int bi, int len) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int j = 0;
        for (; j + 8 <= len; j += 8) {
            s0 += a[ai + j] * b[bi + j];
            s1 += a[ai + j + 1] * b[bi + j + 1];
            s2 += a[ai + j + 2] * b[bi + j + 2];
            s3 += a[ai + j + 3] * b[bi + j + 3];
            s4 += a[ai + j + 4] * b[bi + j + 4];
            s5 += a[ai + j + 5] * b[bi + j + 5];
            s6 += a[ai + j + 6] * b[bi + j + 6];
            s7 += a[ai + j + 7] * b[bi + j + 7];
        }
        for (; j < len; j++) {
            s0 += a[ai + j] * b[bi + j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** y[yi + j] += w x[xi + j], j < len. */
    private static void axpy(float w, float[] x, int xi, float[] y, int yi, int len) {
        for (int j = 0; j < len; j++) {
            y[yi + j] += w * x[xi + j];
        }
    }

    // ------------------------------------------------------------------------------------------ decode

    @Override
    protected void decodeBody(byte[] src, int p, int len, float[] dst, int dstOff, int n, boolean add) {
        Wire.requireAtLeast(spec(), len, 12, "the dimensions");
        int m = Wire.getInt(src, p);
        int c = Wire.getInt(src, p + 4);
        int r = Wire.getInt(src, p + 8);
        if (m != rows) {
            throw malformed("matrix of " + m + " rows, this codec uses rows=" + rows);
        }
        if (c < 0 || (long) m * c != n) {
            throw malformed(m + " x " + c + " matrix for " + n + " elements");
        }
        if (r != rankFor(c)) {
            throw malformed("rank " + r + ", this codec sends rank " + rankFor(c) + " for a " + m + " x " + c
                    + " matrix");
        }
        // all of r M, r C and C are at most n = M C here (r <= min(M, C)): scratch is bounded by the receiver's n
        Wire.requireBodyLength(spec(), len, 12 + 4L * r * ((long) m + c));
        if (r == 0) {
            if (!add) {
                Arrays.fill(dst, dstOff, dstOff + n, 0f);
            }
            return;
        }
        if (dp.length < r * m) {
            dp = new float[r * m];
        }
        if (dq.length < r * c) {
            dq = new float[r * c];
        }
        final float[] pp = dp;
        final float[] qq = dq;
        int v = p + 12;
        for (int t = 0, l = r * m; t < l; t++, v += 4) {
            pp[t] = Wire.getFloat(src, v);
            if (!Float.isFinite(pp[t])) {
                throw malformed("non-finite value in P");
            }
        }
        for (int t = 0, l = r * c; t < l; t++, v += 4) {
            qq[t] = Wire.getFloat(src, v);
            if (!Float.isFinite(qq[t])) {
                throw malformed("non-finite value in Q");
            }
        }
        final int blk = blockColumns(c, r);
        if (add && row.length < blk) {
            row = new float[blk];
        }
        for (int j0 = 0; j0 < c; j0 += blk) { // by blocks of columns, so that the block of Q stays in cache
            int w0 = Math.min(blk, c - j0);
            for (int i = 0; i < m; i++) {
                float[] out = add ? row : dst;
                int o = add ? 0 : dstOff + i * c + j0;
                float w = pp[i];
                for (int j = 0; j < w0; j++) {
                    out[o + j] = w * qq[j0 + j];
                }
                for (int l = 1; l < r; l++) {
                    axpy(pp[l * m + i], qq, l * c + j0, out, o, w0);
                }
                if (add) {
                    int d = dstOff + i * c + j0;
                    for (int j = 0; j < w0; j++) {
                        dst[d + j] += out[j];
                    }
                }
            }
        }
    }
}
