package org.scaleml.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

import org.scaleml.comm.codec.CodecRandom;
import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.BatchSchedule;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Sharding;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizer;
import org.scaleml.train.optim.Optimizers;

/**
 * Synchronous data-parallel SGD: every rank computes the gradient of its own mini-batch, the gradients are averaged
 * over all ranks by a {@link GradientExchange} (plain or compressed per layer), and every rank applies the same
 * averaged gradient with its own copy of the optimizer, so all ranks hold the same parameters after every step.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Data.</b> The training set is cut into {@code world} disjoint shards fixed by the seed; in epoch e rank r
 *       visits its shard in an order shuffled by (seed, rank, e), in mini-batches of {@code batch} examples. Every
 *       rank does the same number of steps per epoch: {@code floor(size / world / batch)} (capped by
 *       {@code maxStepsPerEpoch}); the remainder of a shard is left out of that epoch (a different part each
 *       epoch, since the order changes).</li>
 *   <li><b>Consistency.</b> At the end of every epoch the ranks compare a CRC of their parameters' bits; a
 *       difference fails the run ({@link IllegalStateException}) instead of training on silently. The report
 *       says {@code paramsIdentical}.</li>
 *   <li><b>Determinism and checkpoints.</b> A run is a deterministic function of its settings and world size. With
 *       a checkpoint directory, every {@code checkpointEvery} steps the codec streams restart from a seed derived
 *       from (seed, step) (error-feedback residuals kept) and each rank writes its {@link Checkpoint}. A run
 *       resumed from step s loads the newest checkpoint every rank has and restarts its codec streams the same
 *       way, so it ends with bitwise the parameters of the uninterrupted run.</li>
 *   <li><b>Failures.</b> A failed peer surfaces from the collectives as an exception on every rank (see
 *       {@code scaleml-comm}); nothing after the last checkpoint is kept, nothing before it is lost.</li>
 *   <li><b>Threads.</b> One trainer per rank, called on the rank's own thread; the listener is called on that
 *       thread.</li>
 * </ul>
 */
public final class SyncTrainer {
    /*
     * One step: loss = model.lossAndGradient(params, batch, grad); exchange.average(grad) (mean over ranks, bitwise
     * the same everywhere); optimizer.step(params, grad). The optimizer is deterministic and starts from the same
     * state on every rank, hence identical parameters everywhere by induction, which the end-of-epoch CRC check
     * confirms. Loss and bytes are summed locally and combined once per epoch (an allgather of a few longs), so
     * reporting adds no per-step communication. Evaluation is sharded too: each rank predicts a contiguous slice
     * of the test set and the correct counts are summed.
     */

    /** Receives progress; every method has an empty default. Called on rank 0 only. */
    public interface Listener {
        /** Before the first step: the exchange plan, steps per epoch, total steps, and the step resumed from. */
        default void started(String plan, int stepsPerEpoch, long totalSteps, long startStep) {
        }

        /** After each step. */
        default void step(int epoch, int stepInEpoch, int stepsPerEpoch, double loss) {
        }

        /** After each epoch's evaluation. */
        default void epoch(EpochReport report) {
        }

        /** After a checkpoint was written. */
        default void checkpoint(long step, java.nio.file.Path file) {
        }
    }

    private static final int KEEP_CHECKPOINTS = 2;
    private static final int EVAL_BATCH = 256;

    private final TrainSettings settings;

    public SyncTrainer(TrainSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The steps per epoch this trainer does for a training set of {@code size} examples on {@code world} ranks. */
    public int stepsPerEpoch(int size, int world) {
        int spe = BatchSchedule.stepsPerEpoch(Sharding.minShardSize(size, world), settings.batch());
        if (settings.maxStepsPerEpoch() > 0) {
            spe = Math.min(spe, settings.maxStepsPerEpoch());
        }
        return spe;
    }

    /**
     * Trains on this rank until the last epoch; returns the epoch reports (on every rank) and the final parameters.
     *
     * @throws IllegalArgumentException if the data set is too small for the world and batch, or settings are invalid
     */
    public Result run(Communicator comm, Dataset train, Dataset test, Listener listener) {
        Listener l = comm.rank() == 0 && listener != null ? listener : new Listener() { };
        final int rank = comm.rank();
        final int world = comm.size();
        final TrainSettings s = settings;
        Model model = Models.create(s.model(), train.shape(), train.classes());
        final int n = model.parameterCount();
        final int spe = stepsPerEpoch(train.size(), world);
        if (spe < 1) {
            throw new IllegalArgumentException(train.name() + ": " + train.size() + " examples are fewer than "
                    + world + " workers x batch " + s.batch());
        }
        final long total = (long) spe * s.epochs();
        Optimizer opt = Optimizers.create(s.optimizer(), n, total);
        GradientExchange ex = new GradientExchange(comm, model.layers(), s.codec(), s.minCompressed(),
                s.layerCodecs(), s.seed(), s.fuseLayers());
        Collectives coll = new Collectives(comm);
        String fp = fingerprint(model, opt, ex, world, train);
        float[] params = new float[n];
        model.initialize(params, s.seed());
        float[] grad = new float[n];
        Model.Workspace ws = model.workspace(Math.max(s.batch(), EVAL_BATCH));

        long start = 0;
        double seconds = 0;
        long bytesBefore = 0;
        double epochLoss = 0;
        long epochSteps = 0;
        double epochSecondsStart = 0;
        long epochBytesStart = 0;
        if (s.resume()) {
            Checkpoint c = resumePoint(comm, coll, fp, n);
            if (c != null) {
                System.arraycopy(c.params(), 0, params, 0, n);
                opt.restore(c.optSteps(), c.optBuffers());
                ex.restoreResiduals(c.residuals());
                ex.restart(restartSeed(s.seed(), c.steps()));
                start = c.steps();
                seconds = c.seconds();
                bytesBefore = c.bytesSent();
                epochLoss = c.epochLoss();
                epochSteps = c.epochSteps();
                epochSecondsStart = c.epochStartSeconds();
                epochBytesStart = c.epochStartBytes();
            }
        }
        l.started(ex.describe(), spe, total, start);
        BatchSchedule schedule = BatchSchedule.synchronous(train, rank, world, s.batch(), s.seed());
        Batch batch = schedule.newBatch();
        List<EpochReport> reports = new ArrayList<>();
        // bytes are counted from this process's start, offset by what the run had sent before a resumption
        long bytesBase = comm.bytesSent() - bytesBefore;
        for (long step = start; step < total; step++) {
            int epoch = (int) (step / spe);
            int si = (int) (step % spe);
            if (si == 0) { // (resumed mid-epoch, the epoch's start values come from the checkpoint)
                epochBytesStart = comm.bytesSent() - bytesBase;
                epochSecondsStart = seconds;
            }
            long t0 = System.nanoTime();
            schedule.fill(batch, epoch, si);
            double loss = model.lossAndGradient(params, batch, grad, ws);
            ex.average(grad);
            opt.step(params, grad);
            seconds += (System.nanoTime() - t0) / 1e9;
            epochLoss += loss;
            epochSteps++;
            l.step(epoch + 1, si + 1, spe, loss);
            if (si == spe - 1) {
                long sent = comm.bytesSent() - bytesBase;
                EpochReport r = endEpoch(comm, coll, model, params, test, ws, epoch + 1, step + 1, spe, epochLoss,
                        epochSteps, seconds - epochSecondsStart, seconds, sent - epochBytesStart, sent);
                reports.add(r);
                l.epoch(r);
                epochLoss = 0;
                epochSteps = 0;
            }
            // after the epoch's report, so a checkpoint at an epoch's end carries no counts of the finished epoch
            if (s.checkpointDir() != null && (step + 1) % s.checkpointEvery() == 0) {
                ex.restart(restartSeed(s.seed(), step + 1));
                Checkpoint c = new Checkpoint(fp, rank, world, step + 1, seconds, comm.bytesSent() - bytesBase,
                        epochLoss, epochSteps, epochSecondsStart, epochBytesStart, params.clone(), opt.steps(),
                        opt.buffers(), ex.residuals());
                try {
                    java.nio.file.Path f = c.write(s.checkpointDir(), KEEP_CHECKPOINTS);
                    l.checkpoint(step + 1, f);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write a checkpoint into " + s.checkpointDir() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return new Result(reports, params, ex.describe());
    }

    /** What a rank's run produced. */
    public record Result(List<EpochReport> epochs, float[] params, String plan) {
    }

    static long restartSeed(long seed, long step) {
        return CodecRandom.mix(seed ^ CodecRandom.mix(step + 0x5DEECE66DL));
    }

    private String fingerprint(Model model, Optimizer opt, GradientExchange ex, int world, Dataset train) {
        return "model=" + model.spec() + ";optimizer=" + opt.spec() + ";plan=" + ex.describe() + ";fused="
                + settings.fuseLayers() + ";world=" + world
                + ";batch=" + settings.batch() + ";epochs=" + settings.epochs() + ";maxSteps="
                + settings.maxStepsPerEpoch() + ";seed=" + settings.seed() + ";data=" + train.name() + "/"
                + train.size();
    }

    /** The newest checkpoint every rank has, read and checked; null if no rank has any. */
    private Checkpoint resumePoint(Communicator comm, Collectives coll, String fp, int n) {
        List<Long> mine;
        try {
            mine = Checkpoint.steps(settings.checkpointDir(), comm.rank());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + settings.checkpointDir(), e);
        }
        ByteBuffer bb = ByteBuffer.allocate(8 * mine.size());
        mine.forEach(bb::putLong);
        byte[][] all = coll.allgather(bb.array());
        long best = -1;
        for (long st : mine) {
            boolean everywhere = true;
            for (byte[] other : all) {
                boolean found = false;
                ByteBuffer ob = ByteBuffer.wrap(other);
                while (ob.remaining() >= 8) {
                    if (ob.getLong() == st) {
                        found = true;
                        break;
                    }
                }
                everywhere &= found;
            }
            if (everywhere) {
                best = Math.max(best, st);
            }
        }
        boolean anyone = false;
        for (byte[] other : all) {
            anyone |= other.length > 0;
        }
        if (best < 0) {
            if (anyone) {
                throw new Checkpoint.CheckpointException("no checkpoint step in " + settings.checkpointDir()
                        + " is held by every rank; cannot resume consistently");
            }
            return null;
        }
        Checkpoint c;
        java.nio.file.Path f = Checkpoint.file(settings.checkpointDir(), best, comm.rank());
        try {
            c = Checkpoint.read(f, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        if (!c.fingerprint().equals(fp)) {
            throw new Checkpoint.CheckpointException(f + " was written by another configuration:\n  checkpoint: "
                    + c.fingerprint() + "\n  this run:   " + fp);
        }
        if (c.rank() != comm.rank() || c.world() != comm.size() || c.params().length != n) {
            throw new Checkpoint.CheckpointException(f + ": written by rank " + c.rank() + " of " + c.world()
                    + ", this is rank " + comm.rank() + " of " + comm.size());
        }
        return c;
    }

    private EpochReport endEpoch(Communicator comm, Collectives coll, Model model, float[] params, Dataset test,
                                 Model.Workspace ws, int epoch, long steps, int spe, double lossSum, long lossSteps,
                                 double epochSeconds, double totalSeconds, long epochBytes, long totalBytes) {
        // 1. parameters identical everywhere? 2. loss and bytes summed over ranks. One allgather does both.
        CRC32C crc = new CRC32C();
        ByteBuffer pb = ByteBuffer.allocate(4 * params.length);
        pb.asFloatBuffer().put(params);
        crc.update(pb.array());
        ByteBuffer mine = ByteBuffer.allocate(40);
        mine.putLong(crc.getValue()).putDouble(lossSum).putLong(lossSteps).putLong(epochBytes).putLong(totalBytes);
        byte[][] all = coll.allgather(mine.array());
        boolean same = true;
        double loss = 0;
        long cnt = 0;
        long eb = 0;
        long tb = 0;
        for (byte[] a : all) {
            ByteBuffer b = ByteBuffer.wrap(a);
            same &= b.getLong() == crc.getValue();
            loss += b.getDouble();
            cnt += b.getLong();
            eb += b.getLong();
            tb += b.getLong();
        }
        if (!same) {
            throw new IllegalStateException("the ranks' parameters differ after epoch " + epoch
                    + " (synchronous training must keep them identical)");
        }
        double acc = evaluate(comm, coll, model, params, test, ws);
        int w = comm.size();
        return new EpochReport(epoch, steps, (int) lossSteps, cnt == 0 ? Double.NaN : loss / cnt, acc, epochSeconds,
                totalSeconds, eb / w, tb / w, epochSeconds > 0 ? lossSteps / epochSeconds : 0, true);
    }

    /** Accuracy on the whole test set: each rank predicts a contiguous slice, the counts are summed. */
    static double evaluate(Communicator comm, Collectives coll, Model model, float[] params, Dataset test,
                           Model.Workspace ws) {
        int w = comm.size();
        int r = comm.rank();
        int from = (int) ((long) test.size() * r / w);
        int to = (int) ((long) test.size() * (r + 1) / w);
        long correct = correct(model, params, test, from, to, ws);
        byte[][] all = coll.allgather(ByteBuffer.allocate(8).putLong(correct).array());
        long sum = 0;
        for (byte[] a : all) {
            sum += ByteBuffer.wrap(a).getLong();
        }
        return test.size() == 0 ? Double.NaN : (double) sum / test.size();
    }

    /** Number of correctly predicted examples in {@code [from, to)} of {@code data}. */
    public static long correct(Model model, float[] params, Dataset data, int from, int to, Model.Workspace ws) {
        int bs = Math.min(EVAL_BATCH, ws.maxBatch());
        int[] rows = new int[bs];
        int[] pred = new int[bs];
        Batch b = new Batch(data, rows, 0);
        long correct = 0;
        for (int i = from; i < to; i += bs) {
            int m = Math.min(bs, to - i);
            for (int k = 0; k < m; k++) {
                rows[k] = i + k;
            }
            b.set(data, rows, m);
            model.predict(params, b, pred, ws);
            for (int k = 0; k < m; k++) {
                if (pred[k] == data.label(i + k)) {
                    correct++;
                }
            }
        }
        return correct;
    }
}
