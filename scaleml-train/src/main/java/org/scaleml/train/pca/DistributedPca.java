package org.scaleml.train.pca;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.scaleml.common.SplitMix64;
import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Sharding;

/**
 * Distributed principal component analysis with quantized communication: the top-{@code k} principal subspace of
 * a data set whose rows are split over the ranks of a {@link Communicator}, every message encoded by a codec.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Calls.</b> Every rank calls {@link #run} with the same settings, the same {@code data} shape and its own
 *       rows (disjoint; together the data set). Rank 0 is the leader.</li>
 *   <li><b>Result.</b> Rank 0 returns the answer: the top-{@code k} Ritz subspace of the last common iterate,
 *       its Ritz variances and its angle to the reference. Every rank returns the same last common iterate (the
 *       {@code k + oversample} columns all ranks reconstructed from the leader's broadcasts, bit for bit).</li>
 *   <li><b>Bytes.</b> {@link RankResult#bytesSent()} is what {@link Communicator#bytesSent()} counted on this rank
 *       during the call: its row count and column sums sent to the leader once (fp32, {@code 4 + 4d} bytes; the
 *       count alone without global centering), every upload to the leader and every broadcast frame the rank
 *       forwarded (binomial tree), all payload bytes.</li>
 *   <li><b>Stopping.</b> After iteration {@code t} the leader stops all ranks (a flag byte in its broadcast) when
 *       the angle of its answer to the reference is at most the target, else when the angle between consecutive
 *       answers is at most the tolerance, else at {@code maxIterations}. The answer of iteration {@code t} is read
 *       off the iterate the ranks multiplied in that iteration.</li>
 *   <li><b>Failures.</b> As the collectives: a dead peer or a malformed frame fails every rank, never a hang.</li>
 *   <li><b>Threads.</b> One thread per rank; an instance holds only the settings and may be shared.</li>
 * </ul>
 */
public final class DistributedPca {
    /*
     * The method ([1] F. Alimisis, P. Davies, B. Vandereycken, D. Alistarh, "Distributed principal component
     * analysis with limited communication", NeurIPS 2021). Node i holds A_i = X_i^T X_i - n_i mu_i mu_i^T, its
     * rows centered by their own mean mu_i; the scatter matrix is A = sum_i A_i + sum_i n_i (mu_i - mu)(mu_i -
     * mu)^T, whose second, rank <= W - 1 part the leader applies itself after learning every n_i and mu_i once
     * (fp32 sums; half the bytes of an allreduce of the mean, and nothing the workers must wait for). The
     * between-rank part is small for random shards (norm about W tr(Cov)); left out (Centering.LOCAL), it moves
     * the answer by 3.4e-5 rad on Fashion-MNIST at k = 1, 2.5e-4 at k = 10 and 1.6e-4 on a9a at k = 1
     * (measured). Applying it needs mu_i - mu to a few digits, so the sums travel in fp32; they are 0.75 (4 + 4d)
     * bytes per rank, a quarter of a quantized k = 1 run on Fashion-MNIST, hence the LOCAL option.
     *
     * [1] runs Riemannian gradient ascent of x^T A x on the sphere: each round the nodes send their
     * (quantized) local gradients at the common iterate, the leader sums them, steps and retracts, and broadcasts
     * the (quantized) new iterate; quantization is done relative to a point both sides already know, so the error
     * scales with the distance to it, which shrinks as the iterates converge, and the bits per round stay constant.
     *
     * Here, per iteration t, with V the m = k + p column iterate every rank holds bit-identically:
     *   1. rank i computes Y_i = A_i V (exactly, in double);
     *   2. ranks i >= 1 send the leader the codec's encoding of Y_i - R_i, R_i the leader's reconstruction of
     *      Y_i so far, which both keep (DifferenceStream); the leader sums S = Y_0 + sum_i R_i ~ A V;
     *   3. Rayleigh-Ritz: H = sym(V^T S) ~ V^T A V = U Theta U^T (EJML); the answer of iteration t is the span
     *      of V U_k (the top-k Ritz vectors of the common iterate); the stopping tests look at it;
     *   4. power method: V' = orth(S); Riemannian: V' = orth(V + eta (S - V V^T S)), eta = step / theta_1 (orth =
     *      Gram-Schmidt, the QR retraction); then V' is rotated within its span to the basis closest to V
     *      (orthogonal Procrustes, the polar factor of V'^T V);
     *   5. the leader broadcasts the encoding of V' - V (binomial tree) and every rank, the leader included, adds
     *      the decoded difference to V. When it stops instead, it broadcasts the one flag byte.
     *
     * For k = 1 and step 1 the Riemannian step is exactly the power step: x + (Ax - rho x) / rho = A x / rho with
     * rho = x^T A x, and smaller steps only slow it down (the factor on eigen-direction i becomes
     * 1 - step (1 - lambda_i / rho) instead of lambda_i / rho). For k > 1 the block Riemannian step contracts
     * column j's error only by about 1 - (lambda_j - lambda_{k+1}) / lambda_1, much slower than the subspace
     * iteration's lambda_{k+1} / lambda_k, so POWER is the default; both are here to compare.
     *
     * The Procrustes rotation is what makes quantized blocks converge: orth(S) alone, or a basis of Ritz vectors,
     * turns needlessly inside clusters of close eigenvalues (and a Ritz ordering flips when two Ritz values
     * cross), so the column differences, and with them the quantization error, would not shrink; the error then
     * feeds the next flip. The basis closest to the previous iterate changes only as much as the span does.
     * Rayleigh-Ritz is only used to read the answer off the block: with oversampling (p > 0) the top-k Ritz
     * subspace converges at lambda_{k+p+1} / lambda_k even when the block's own last directions do not
     * converge at all (a9a: lambda_20 and lambda_21 are 0.5% apart).
     *
     * Every message is a difference, so the fp32 baseline is the same algorithm with a lossless codec and the
     * byte counts compare like with like.
     */

    /** Why a run stopped. */
    public enum Stop {
        /** The angle to the reference reached the target. */
        TARGET,
        /** Consecutive answers moved by at most the tolerance. */
        TOLERANCE,
        /** The iteration limit. */
        MAX_ITERATIONS;

        /** The lower-case name with dashes, as in JSON output. */
        public String flag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Progress of the leader, once per iteration. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param iteration 1-based
         * @param change    angle between this and the previous top-k subspace (radians)
         * @param angle     angle to the reference (radians), NaN without one
         */
        void iteration(int iteration, double change, double angle);
    }

    /**
     * One rank's outcome.
     *
     * @param subspace       the answer (top-{@code k} Ritz subspace of the last common iterate) on rank 0, null
     *                       elsewhere
     * @param iterate        the span of the last common iterate (all {@code k + oversample} columns), on every rank
     * @param variances      Ritz values of the last iteration divided by {@code n} (estimates of the top-{@code k}
     *                       variances), on rank 0; empty elsewhere
     * @param principalAngle angle to the reference (radians) on rank 0, NaN without a reference or elsewhere
     */
    public record RankResult(Subspace subspace, Subspace iterate, double[] variances, int iterations, Stop stop,
                             double principalAngle, long bytesSent) {
    }

    /**
     * An in-process run: rank 0's outcome, every rank's bytes and the wall time.
     *
     * @param bytesSent payload bytes sent by each rank
     * @param millis    wall time of the whole job (local matrices, mean, iterations)
     */
    public record Report(RankResult leader, long[] bytesSent, double millis) {
        /** Mean over ranks of the payload bytes sent. */
        public double meanBytesSent() {
            double s = 0;
            for (long b : bytesSent) {
                s += b;
            }
            return s / bytesSent.length;
        }

        /** Most payload bytes sent by one rank. */
        public long maxBytesSent() {
            long m = 0;
            for (long b : bytesSent) {
                m = Math.max(m, b);
            }
            return m;
        }
    }

    private static final byte CONTINUE = 0;
    private static final long INIT_DOMAIN = 0x5043410000000001L;
    private static final long CODEC_DOMAIN = 0x5043410000000002L;

    private final PcaSettings settings;

    public DistributedPca(PcaSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    /**
     * Runs {@code workers} ranks as threads of this JVM over an in-process network, rank {@code r} on its
     * {@link Sharding} shard of {@code data} (seeded by the settings' seed).
     *
     * @throws IllegalArgumentException if the settings do not fit the data (block larger than the features, more
     *                                  ranks than rows, reference of another dimension)
     * @throws InProcessJob.TrainingFailedException if a rank failed otherwise
     */
    public static Report runInProcess(PcaSettings settings, Dataset data, int workers, Listener listener)
            throws InterruptedException {
        check(settings, data);
        if (workers < 1 || workers > data.size()) {
            throw new IllegalArgumentException("workers must be between 1 and the number of rows " + data.size()
                    + ", got " + workers);
        }
        DistributedPca pca = new DistributedPca(settings);
        long t0 = System.nanoTime();
        List<InProcessJob.RankOutcome<RankResult>> outs = InProcessJob.runAll(workers, 0,
                rank -> comm -> pca.run(comm, data, Sharding.shard(data, rank, workers, settings.seed()),
                        rank == 0 ? listener : null));
        double millis = (System.nanoTime() - t0) / 1e6;
        RankResult leader = InProcessJob.firstResult(outs);
        long[] bytes = new long[workers];
        for (int r = 0; r < workers; r++) {
            bytes[r] = outs.get(r).value().bytesSent();
        }
        return new Report(leader, bytes, millis);
    }

    private static void check(PcaSettings s, Dataset data) {
        int d = data.features();
        if (s.k() > d) {
            throw new IllegalArgumentException("k = " + s.k() + " exceeds the number of features " + d);
        }
        if (s.block() > d) {
            throw new IllegalArgumentException("k + oversample = " + s.block() + " exceeds the number of features "
                    + d);
        }
        if (s.reference() != null && s.reference().ambient() != d) {
            throw new IllegalArgumentException("the reference lives in R^" + s.reference().ambient() + ", the data in R^"
                    + d);
        }
    }

    /**
     * This rank's part of a run on the rows {@code rows} of {@code data}.
     *
     * @param listener progress on rank 0, or null
     */
    public RankResult run(Communicator comm, Dataset data, int[] rows, Listener listener) {
        check(settings, data);
        final PcaSettings s = settings;
        final int d = data.features();
        final int m = s.block();
        final int k = s.k();
        final int rank = comm.rank();
        final int world = comm.size();
        final long bytesBefore = comm.bytesSent();
        Collectives coll = new Collectives(comm);
        if (rows.length == 0) {
            throw new IllegalArgumentException("rank " + rank + " holds no rows");
        }

        // centering: every rank centers by its own mean; the leader learns each rank's row count and (global
        // centering) column sums, fp32, once, and adds the between-rank scatter sum_i n_i (mu_i - mu)(mu_i - mu)^T
        double[] localSums = LocalCovariance.columnSums(data, rows);
        double[] localMean = null;
        if (s.centering() != PcaSettings.Centering.NONE) {
            localMean = new double[d];
            for (int c = 0; c < d; c++) {
                localMean[c] = localSums[c] / rows.length;
            }
        }
        int sumLen = s.centering() == PcaSettings.Centering.GLOBAL ? d : 0;
        double[][] sumsOf = new double[world][];
        long[] counts = new long[world];
        int setupTag = comm.newTagBlock();
        if (rank != 0) {
            ByteBuffer b = ByteBuffer.allocate(4 + 4 * sumLen).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(rows.length);
            for (int c = 0; c < sumLen; c++) {
                b.putFloat((float) localSums[c]);
            }
            comm.send(0, setupTag, b.array());
        } else {
            sumsOf[0] = localSums;
            counts[0] = rows.length;
            for (int i = 1; i < world; i++) {
                byte[] f = comm.receive(i, setupTag);
                if (f.length != 4 + 4 * sumLen) {
                    throw new CommException("pca: rank " + i + " sent " + f.length + " bytes of row count and column "
                            + "sums, expected " + (4 + 4 * sumLen));
                }
                ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
                counts[i] = b.getInt();
                sumsOf[i] = new double[sumLen];
                for (int c = 0; c < sumLen; c++) {
                    sumsOf[i][c] = b.getFloat();
                }
            }
        }
        double n = 0;
        for (long c : counts) {
            n += c;
        }
        double[][] between = null;
        if (rank == 0 && sumLen > 0) {
            double[] mu = new double[d];
            for (int i = 0; i < world; i++) {
                for (int c = 0; c < d; c++) {
                    mu[c] += sumsOf[i][c];
                }
            }
            for (int c = 0; c < d; c++) {
                mu[c] /= n;
            }
            between = new double[world][d];
            for (int i = 0; i < world; i++) {
                double sq = Math.sqrt((double) counts[i]);
                for (int c = 0; c < d; c++) {
                    between[i][c] = sq * (sumsOf[i][c] / counts[i] - mu[c]);
                }
            }
        }
        LocalCovariance op = new LocalCovariance(data, rows, localMean);

        // the shared initial block, from the seed alone
        double[] init = new double[d * m];
        fillRandom(init, 0, d * m, SplitMix64.mix(s.seed() ^ INIT_DOMAIN));
        orthonormalize(init, d, m, s.seed());
        float[] v0 = new float[d * m];
        for (int i = 0; i < v0.length; i++) {
            v0[i] = (float) init[i];
        }
        long codecSeed = SplitMix64.mix(s.seed() ^ CODEC_DOMAIN);
        DifferenceStream down = new DifferenceStream(s.codec(), d, m, rank == 0, codecSeed, s.predict());
        down.reset(v0);
        DifferenceStream mine = rank == 0 ? null : new DifferenceStream(s.codec(), d, m, true,
                SplitMix64.mix(codecSeed + rank), s.predict());
        DifferenceStream[] up = new DifferenceStream[rank == 0 ? world : 0];
        for (int i = 1; i < up.length; i++) {
            up[i] = new DifferenceStream(s.codec(), d, m, false, 0, s.predict());
        }

        double[] v = new double[d * m];
        double[] y = new double[d * m];
        double[] variances = new double[0];
        Subspace answer = null;
        double angle = Double.NaN;
        Stop stop = Stop.MAX_ITERATIONS;
        int t = 0;
        while (t < s.maxIterations()) {
            t++;
            toDouble(down.reconstruction(), v);
            op.apply(v, m, y);
            int tag = comm.newTagBlock();
            if (rank != 0) {
                comm.send(0, tag, mine.encode(y, 0));
                byte[] frame = coll.broadcast(0, (byte[]) null);
                if (frame.length == 0 || (frame[0] & 0xff) > Stop.values().length) {
                    throw new CommException("pca: bad broadcast frame from the leader");
                }
                if (frame[0] != CONTINUE) {
                    stop = Stop.values()[(frame[0] & 0xff) - 1];
                    break;
                }
                down.decode(frame, 1);
                continue;
            }
            for (int i = 1; i < world; i++) {
                up[i].decode(comm.receive(i, tag), 0);
                float[] r = up[i].reconstruction();
                for (int e = 0; e < y.length; e++) {
                    y[e] += r[e];
                }
            }
            if (between != null) {
                for (double[] b : between) {
                    for (int j = 0; j < m; j++) {
                        Subspace.axpy(Subspace.dot(b, 0, v, j * d, d), b, 0, y, j * d, d);
                    }
                }
            }
            // Rayleigh-Ritz on the common iterate: its top-k Ritz subspace is this iteration's answer
            double[] hraw = projected(v, y, d, m);
            Subspace.SymmetricEigen e = symmetricEigen(hraw, m);
            Subspace previous = answer;
            answer = ritzSubspace(v, e.vectors(), d, m, k);
            variances = new double[k];
            for (int j = 0; j < k; j++) {
                variances[j] = e.values()[j] / n;
            }
            double change = previous == null ? Math.PI / 2 : previous.principalAngle(answer);
            angle = s.reference() == null ? Double.NaN : answer.principalAngle(s.reference());
            Stop now = null;
            if (s.targetAngle() > 0 && angle <= s.targetAngle()) {
                now = Stop.TARGET;
            } else if (change <= s.tolerance()) {
                now = Stop.TOLERANCE;
            } else if (t == s.maxIterations()) {
                now = Stop.MAX_ITERATIONS;
            }
            byte[] frame;
            if (now == null) {
                frame = down.encode(step(y, v, hraw, e.values()[0], d, m, t), 1);
            } else {
                frame = new byte[] {(byte) (now.ordinal() + 1)};
            }
            coll.broadcast(0, frame);
            if (listener != null) {
                listener.iteration(t, change, angle);
            }
            if (now != null) {
                stop = now;
                break;
            }
        }
        Subspace iterate = Subspace.span(toDouble(down.reconstruction(), new double[d * m]), d, m);
        return new RankResult(answer, iterate, variances, t, stop, angle, comm.bytesSent() - bytesBefore);
    }

    /** {@code V^T S}, row-major {@code m x m}, for column-major {@code d x m} blocks. */
    private static double[] projected(double[] v, double[] sMat, int d, int m) {
        double[] h = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                h[i * m + j] = Subspace.dot(v, i * d, sMat, j * d, d);
            }
        }
        return h;
    }

    /** Eigen-decomposition of the symmetric part of a row-major {@code m x m} matrix, values descending. */
    private static Subspace.SymmetricEigen symmetricEigen(double[] hraw, int m) {
        double[] h = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                h[i * m + j] = 0.5 * (hraw[i * m + j] + hraw[j * m + i]);
            }
        }
        return m == 1 ? new Subspace.SymmetricEigen(h, new double[] {1}) : Subspace.SymmetricEigen.of(h, m);
    }

    /** The span of {@code V U_k}, {@code U_k} the first {@code k} columns of the row-major {@code m x m} {@code u}. */
    private static Subspace ritzSubspace(double[] v, double[] u, int d, int m, int k) {
        double[] y = new double[d * k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < m; i++) {
                double uij = u[i * m + j];
                if (uij != 0) {
                    Subspace.axpy(uij, v, i * d, y, j * d, d);
                }
            }
        }
        try {
            return Subspace.span(y, d, k);
        } catch (IllegalArgumentException e) {
            // a degenerate iterate (possible only in the first iterations of a coarse codec): no answer yet
            return Subspace.span(v, d, k);
        }
    }

    /**
     * The leader's step: from {@code S ~ A V}, the current {@code V} (column-major {@code d x m}),
     * {@code hraw = V^T S} and the top Ritz value, the next orthonormal iterate, rotated within its span to the
     * basis closest to {@code V}.
     */
    private double[] step(double[] sMat, double[] v, double[] hraw, double rho, int d, int m, int iteration) {
        double[] out;
        if (settings.method() == PcaSettings.Method.POWER) {
            out = sMat.clone();
        } else {
            double eta = rho > 0 ? settings.step() / rho : 0;
            out = v.clone();
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < d; c++) {
                    double vh = 0;
                    for (int i = 0; i < m; i++) {
                        vh += v[i * d + c] * hraw[i * m + j];
                    }
                    out[j * d + c] += eta * (sMat[j * d + c] - vh);
                }
            }
        }
        orthonormalize(out, d, m, settings.seed() + iteration);
        align(out, v, d, 0, m);
        return out;
    }

    /**
     * Rotates columns {@code [from, to)} of the orthonormal {@code q} within their span to the basis closest to
     * the same columns of {@code v} (orthogonal Procrustes: {@code Q W} with {@code W} the polar factor of
     * {@code Q^T V}, by EJML's SVD); for one column, a sign flip.
     */
    private static void align(double[] q, double[] v, int d, int from, int to) {
        int b = to - from;
        if (b <= 0) {
            return;
        }
        if (b == 1) {
            if (Subspace.dot(q, from * d, v, from * d, d) < 0) {
                for (int c = 0; c < d; c++) {
                    q[from * d + c] = -q[from * d + c];
                }
            }
            return;
        }
        DMatrixRMaj mtx = new DMatrixRMaj(b, b);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                mtx.set(i, j, Subspace.dot(q, (from + i) * d, v, (from + j) * d, d));
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(b, b, true, true, false);
        if (!svd.decompose(mtx)) {
            return; // keep the Ritz basis: correct, only less aligned
        }
        DMatrixRMaj w = new DMatrixRMaj(b, b);
        CommonOps_DDRM.multTransB(svd.getU(null, false), svd.getV(null, false), w);
        double[] block = java.util.Arrays.copyOfRange(q, from * d, to * d);
        java.util.Arrays.fill(q, from * d, to * d, 0);
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < b; i++) {
                double wij = w.get(i, j);
                if (wij != 0) {
                    Subspace.axpy(wij, block, i * d, q, (from + j) * d, d);
                }
            }
        }
    }

    /** Gram-Schmidt on every column; a dependent column is replaced by a seeded random one first. */
    private static void orthonormalize(double[] q, int d, int m, long seed) {
        for (int j = 0; j < m; j++) {
            int tries = 0;
            while (!Subspace.orthonormalizeColumn(q, d, j)) {
                if (++tries > 16) {
                    throw new ArithmeticException("cannot complete an orthonormal basis of " + m + " columns in R^"
                            + d);
                }
                fillRandom(q, j * d, d, SplitMix64.mix(seed * 31 + j * 1_000_003L + tries));
            }
        }
    }

    /** Uniform values in [-1, 1) from a SplitMix64 stream. */
    private static void fillRandom(double[] a, int off, int len, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        for (int i = 0; i < len; i++) {
            a[off + i] = (r.nextLong() >>> 11) * 0x1.0p-52 - 1.0;
        }
    }

    private static double[] toDouble(float[] src, double[] dst) {
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }
}
