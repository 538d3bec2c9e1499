package org.scaleml.train.pca;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;

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
 *   <li><b>Result.</b> Every rank returns the same subspace (bit for bit): the span of the first {@code k}
 *       columns of the iterate all ranks reconstructed from the leader's last broadcast. Only rank 0's result
 *       carries the Ritz variances and the reference angle.</li>
 *   <li><b>Bytes.</b> {@link RankResult#bytesSent()} is what {@link Communicator#bytesSent()} counted on this rank
 *       during the call: its row count and column sums sent to the leader once (fp32, {@code 4 + 4d} bytes; the
 *       count alone, uncentered), every upload to the leader and every broadcast frame the rank forwarded
 *       (binomial tree), all payload bytes.</li>
 *   <li><b>Stopping.</b> After iteration {@code t} the leader stops all ranks (a flag byte in its broadcast) when
 *       the angle to the reference is at most the target, else when the angle between consecutive top-{@code k}
 *       subspaces is at most the tolerance, else at {@code maxIterations}.</li>
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
     * between-rank part is small for random shards (about W tr(Cov)) but not negligible at 1e-3 (about 2e-2 rad
     * for Fashion-MNIST, k = 10), and needs mu_i - mu to a few digits, so the sums travel in fp32. [1] runs Riemannian gradient ascent of x^T A x on the sphere: each round the nodes send their
     * (quantized) local gradients at the common iterate, the leader sums them, steps and retracts, and broadcasts
     * the (quantized) new iterate; quantization is done relative to a point both sides already know, so the error
     * scales with the distance to it, which shrinks as the iterates converge, and the bits per round stay constant.
     *
     * Here, per iteration t, with V the m = k + p column iterate every rank holds bit-identically:
     *   1. rank i computes Y_i = A_i V (exactly, in double);
     *   2. ranks i >= 1 send the leader the codec's encoding of Y_i - R_i, R_i the leader's reconstruction of
     *      Y_i so far, which both keep (DifferenceStream); the leader sums S = Y_0 + sum_i R_i ~ A V;
     *   3. Rayleigh-Ritz: H = sym(V^T S) ~ V^T A V = U Theta U^T (EJML); power method: V' = orth(S U);
     *      Riemannian: V' = orth((V + eta (S - V V^T S)) U), eta = step / theta_1 (orth = Gram-Schmidt, the QR
     *      retraction; columns sign-aligned with V);
     *   4. the leader broadcasts the encoding of V' - V (binomial tree) and every rank, the leader included, adds
     *      the decoded difference to V.
     * For k = 1 and step 1 the Riemannian step is exactly the power step: x + (Ax - rho x) / rho = A x / rho with
     * rho = x^T A x, and smaller steps only slow it down (the factor on eigen-direction i becomes
     * 1 - step (1 - lambda_i / rho) instead of lambda_i / rho). For k > 1 the block Riemannian step contracts
     * column j's error only by about 1 - (lambda_j - lambda_{k+1}) / lambda_1, much slower than the subspace
     * iteration's lambda_{k+1} / lambda_k, so POWER is the default; both are here to compare.
     *
     * The Rayleigh-Ritz rotation matters for the quantized differences: plain subspace iteration converges in
     * subspace but its individual columns keep rotating inside clusters of close eigenvalues, so their
     * differences (and the quantization error) would not shrink; with the rotation each column converges to an
     * eigenvector. Oversampling (p > 0) makes the top-k converge at lambda_{k+p+1} / lambda_k.
     *
     * Every message is a difference, so the fp32 baseline is the same algorithm with a lossless codec and the
     * byte counts compare like with like.
     */

    /** Why a run stopped. */
    public enum Stop {
        /** The angle to the reference reached the target. */
        TARGET,
        /** Consecutive iterates moved by at most the tolerance. */
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
     * @param variances      Ritz values of the last iteration divided by {@code n} (estimates of the top-{@code k}
     *                       variances), on rank 0; empty elsewhere
     * @param principalAngle angle to the reference (radians) on rank 0, NaN without a reference or elsewhere
     */
    public record RankResult(Subspace subspace, double[] variances, int iterations, Stop stop, double principalAngle,
                             long bytesSent) {
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

        // centering: every rank centers by its own mean; the leader learns each rank's row count and (centered
        // runs) column sums, fp32, once, and adds the between-rank scatter sum_i n_i (mu_i - mu)(mu_i - mu)^T
        double[] localSums = LocalCovariance.columnSums(data, rows);
        double[] localMean = null;
        if (s.center()) {
            localMean = new double[d];
            for (int c = 0; c < d; c++) {
                localMean[c] = localSums[c] / rows.length;
            }
        }
        int sumLen = s.center() ? d : 0;
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
        if (rank == 0 && s.center()) {
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
        DifferenceStream down = new DifferenceStream(s.codec(), d, m, rank == 0, codecSeed);
        down.reset(v0);
        DifferenceStream mine = rank == 0 ? null : new DifferenceStream(s.codec(), d, m, true,
                SplitMix64.mix(codecSeed + rank));
        DifferenceStream[] up = new DifferenceStream[rank == 0 ? world : 0];
        for (int i = 1; i < up.length; i++) {
            up[i] = new DifferenceStream(s.codec(), d, m, false, 0);
        }

        double[] v = new double[d * m];
        double[] y = new double[d * m];
        double[] ritz = new double[m];
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
                down.decode(frame, 1);
                if (frame[0] != CONTINUE) {
                    stop = Stop.values()[(frame[0] & 0xff) - 1];
                    break;
                }
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
            double[] next = step(y, v, d, m, ritz, t);
            byte[] frame = down.encode(next, 1);
            Subspace before = spanOrNull(v, d, k);
            Subspace after = spanOrNull(toDouble(down.reconstruction(), new double[d * m]), d, k);
            double change = before == null || after == null ? Math.PI / 2 : before.principalAngle(after);
            angle = s.reference() == null ? Double.NaN
                    : after == null ? Math.PI / 2 : after.principalAngle(s.reference());
            Stop now = null;
            if (s.targetAngle() > 0 && angle <= s.targetAngle()) {
                now = Stop.TARGET;
            } else if (change <= s.tolerance()) {
                now = Stop.TOLERANCE;
            } else if (t == s.maxIterations()) {
                now = Stop.MAX_ITERATIONS;
            }
            frame[0] = now == null ? CONTINUE : (byte) (now.ordinal() + 1);
            coll.broadcast(0, frame);
            if (listener != null) {
                listener.iteration(t, change, angle);
            }
            if (now != null) {
                stop = now;
                break;
            }
        }
        Subspace result = Subspace.span(toDouble(down.reconstruction(), new double[d * m]), d, k);
        double[] variances = new double[rank == 0 ? k : 0];
        for (int j = 0; j < variances.length; j++) {
            variances[j] = ritz[j] / n;
        }
        double finalAngle = rank == 0 && s.reference() != null ? result.principalAngle(s.reference()) : Double.NaN;
        return new RankResult(result, variances, t, stop, finalAngle, comm.bytesSent() - bytesBefore);
    }

    /**
     * The leader's step: from {@code S ~ A V} and the current {@code V} (column-major {@code d x m}), the next
     * orthonormal iterate; {@code ritz} receives the Ritz values, descending.
     */
    private double[] step(double[] sMat, double[] v, int d, int m, double[] ritz, int iteration) {
        double[] hraw = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                hraw[i * m + j] = Subspace.dot(v, i * d, sMat, j * d, d);
            }
        }
        double[] h = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                h[i * m + j] = 0.5 * (hraw[i * m + j] + hraw[j * m + i]);
            }
        }
        Subspace.SymmetricEigen e = m == 1 ? new Subspace.SymmetricEigen(new double[] {h[0]}, new double[] {1})
                : Subspace.SymmetricEigen.of(h, m);
        System.arraycopy(e.values(), 0, ritz, 0, m);
        double[] x;
        if (settings.method() == PcaSettings.Method.POWER) {
            x = sMat;
        } else {
            double rho = e.values()[0];
            double eta = rho > 0 ? settings.step() / rho : 0;
            x = v.clone();
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < d; c++) {
                    double vh = 0;
                    for (int i = 0; i < m; i++) {
                        vh += v[i * d + c] * hraw[i * m + j];
                    }
                    x[j * d + c] += eta * (sMat[j * d + c] - vh);
                }
            }
        }
        double[] out = new double[d * m];
        double[] u = e.vectors();
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                double uij = u[i * m + j];
                if (uij != 0) {
                    Subspace.axpy(uij, x, i * d, out, j * d, d);
                }
            }
        }
        orthonormalize(out, d, m, settings.seed() + iteration);
        for (int j = 0; j < m; j++) {
            if (Subspace.dot(out, j * d, v, j * d, d) < 0) {
                for (int c = 0; c < d; c++) {
                    out[j * d + c] = -out[j * d + c];
                }
            }
        }
        return out;
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

    private static Subspace spanOrNull(double[] cols, int d, int k) {
        try {
            return Subspace.span(cols, d, k);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static double[] toDouble(float[] src, double[] dst) {
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }
}
