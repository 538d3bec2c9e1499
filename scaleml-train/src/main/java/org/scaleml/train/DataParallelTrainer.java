package org.scaleml.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

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
import org.scaleml.train.robust.Attack;
import org.scaleml.train.robust.Attacks;

/**
 * Data-parallel SGD on a communicator, with the coordination its {@link Coordination} names: synchronous
 * ({@code sync}: every step averages the gradients of all ranks, plainly, compressed per layer, or by a
 * Byzantine-robust rule), local SGD ({@code local}: models averaged every H steps), SwarmSGD ({@code swarm}:
 * local steps, then pairwise gossip averaging of models) or partial ({@code partial}: gradients summed by a
 * majority allreduce that does not wait for stragglers). Shared-memory asynchronous SGD within one JVM is
 * {@link HogwildTrainer}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Data.</b> The training set is cut into {@code world} disjoint shards fixed by the seed; in epoch e rank r
 *       visits its shard in an order shuffled by (seed, rank, e), in mini-batches of {@code batch} examples. Every
 *       rank does the same number of steps per epoch: {@code floor(size / world / batch)} (capped by
 *       {@code maxStepsPerEpoch}); the remainder of a shard is left out of that epoch (a different part each
 *       epoch, since the order changes). A {@code partial} step that a straggler skips (see below) skips its
 *       batch.</li>
 *   <li><b>Consistency.</b> {@code sync}, {@code local} (which averages at every epoch's end) and {@code partial}
 *       (which flushes at every epoch's end) keep every rank's parameters identical at epoch ends: the ranks
 *       compare a CRC of their parameters' bits, and a difference fails the run ({@link IllegalStateException})
 *       instead of training on silently. {@code swarm} models differ by design; its report says
 *       {@code paramsIdentical = false} and its accuracy is that of the mean of the ranks' models (the averaging
 *       for the evaluation is not counted in the bytes sent).</li>
 *   <li><b>Determinism and checkpoints.</b> A {@code sync}, {@code local} or {@code swarm} run is a deterministic
 *       function of its settings and world size. With a checkpoint directory, every {@code checkpointEvery} steps
 *       the codec streams restart from a seed derived from (seed, step) (error-feedback residuals kept) and each
 *       rank writes its {@link Checkpoint}; a run resumed from step s loads the newest checkpoint every rank has
 *       and ends with bitwise the parameters of the uninterrupted run. {@code partial} rounds depend on timing,
 *       so its runs are not reproducible; it writes checkpoints only at epoch ends (where no contribution is in
 *       flight), at the end of each epoch in which a multiple of {@code checkpointEvery} fell.</li>
 *   <li><b>Stragglers and attackers.</b> With {@code stragglerRank} set, that rank sleeps {@code slowdown - 1}
 *       times its compute time after computing each gradient. The last {@code attackers} ranks replace their
 *       gradient by the configured attack before it is communicated.</li>
 *   <li><b>Failures.</b> A failed peer surfaces from the collectives as an exception on every rank (see
 *       {@code scaleml-comm}); nothing after the last checkpoint is kept, nothing before it is lost.</li>
 *   <li><b>Threads.</b> One trainer per rank, called on the rank's own thread; the listener is called on that
 *       thread.</li>
 * </ul>
 */
public final class DataParallelTrainer {
    /*
     * One step on every rank: loss = model.lossAndGradient(params, batch, grad); the straggler sleeps; an attacker
     * replaces grad; then the coordination's CoordinationStep does the communication and the update (each in its
     * own file, whose comment says how):
     *   sync/mean    MeanStep: exchange.average(grad) (mean over ranks, bitwise the same everywhere); optimizer.step
     *   sync/robust  RobustStep: allgather of every rank's gradient, the aggregator's rule applied on every rank
     *   local        LocalStep: local optimizer steps; every H steps (and at an epoch's end) the model change since
     *                the last averaging is averaged by the exchange
     *   swarm        SwarmStep: local optimizer steps; every H steps one round of pairwise gossip averaging
     *   partial      PartialStep: gradients summed by a PartialAllreduce that does not wait for stragglers; a rank
     *                first takes the rounds that closed without it, so a straggler catches up
     * The optimizer is deterministic and starts from the same state on every rank, hence identical parameters
     * wherever the update is identical, which the end-of-epoch CRC check confirms. Loss and bytes are summed
     * locally and combined once per epoch (an allgather of a few longs), so reporting adds no per-step
     * communication; its bytes, and evaluation's, are not counted as training traffic. Evaluation is sharded:
     * each rank predicts a contiguous slice of the test set and the correct counts are summed. Checkpoint
     * fingerprints, the choice of the step to resume from and the restore are TrainingResume's.
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

        /** After a checkpoint was written to {@code location} (a file, or a URI of the run's checkpoint store). */
        default void checkpoint(long step, String location) {
        }

        /**
         * While resuming: a checkpoint that could not be read (damaged, truncated, empty) was skipped; {@code what}
         * names the step, the rank and why. The run resumes from the newest step intact on every rank.
         */
        default void checkpointSkipped(String what) {
        }

        /** After the exchange chose a new plan (layer-wise adaptive compression), at the end of step {@code step}. */
        default void replanned(long step, String plan) {
        }
    }

    static final int KEEP_CHECKPOINTS = 2;
    static final int EVAL_BATCH = 256;

    private final TrainSettings settings;
    /** Where checkpoints go and come from, or null for none. */
    private final CheckpointStore store;

    /** A trainer whose checkpoints (if any) go to the settings' checkpoint directory. */
    public DataParallelTrainer(TrainSettings settings) {
        this(settings, settings.checkpointDir() == null ? null : CheckpointStore.directory(settings.checkpointDir()));
    }

    /**
     * A trainer whose checkpoints go to {@code store} (the settings' checkpoint directory is not used).
     *
     * @param store where checkpoints are written and resumed from, or null for none
     * @throws IllegalArgumentException if the settings ask to resume without a store
     */
    public DataParallelTrainer(TrainSettings settings, CheckpointStore store) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = store;
        if (settings.coordination().trainer().equals("hogwild")) {
            throw new IllegalArgumentException("hogwild trains within one JVM: use HogwildTrainer");
        }
        if (settings.resume() && store == null) {
            throw new IllegalArgumentException("resume needs a checkpoint directory");
        }
    }

    /** The steps per epoch this trainer does for a training set of {@code size} examples on {@code world} ranks. */
    public int stepsPerEpoch(int size, int world) {
        return stepsPerEpoch(settings, size, world);
    }

    /**
     * The steps per epoch of {@link #runOnPart} when the smallest rank's part holds {@code smallestPart} examples
     * (e.g. {@code rows / world} for parts cut round-robin).
     */
    public int stepsPerEpochOfParts(int smallestPart) {
        return stepsOf(settings, smallestPart);
    }

    /** Steps per epoch of every shard of {@code size} examples cut {@code world} ways (ranks or threads). */
    static int stepsPerEpoch(TrainSettings settings, int size, int world) {
        return stepsOf(settings, Sharding.minShardSize(size, world));
    }

    /** Full batches of the smallest shard or part, capped by {@code maxStepsPerEpoch}. */
    private static int stepsOf(TrainSettings settings, int smallest) {
        int spe = BatchSchedule.stepsPerEpoch(smallest, settings.batch());
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
        return run(comm, train, false, test, listener);
    }

    /**
     * Trains on this rank with data that is already this rank's part, as when a cluster manager placed the data
     * (one partition per rank): no sharding. Every rank takes {@code floor(min shard size / batch)} steps per epoch
     * (capped by {@code maxStepsPerEpoch}); in epoch e rank r visits its part in an order shuffled by
     * (seed, rank, e), exactly as {@link #run} visits a shard. The ranks exchange their parts' sizes once, at the
     * start. Otherwise as {@link #run}; the same parts in the same row order give bitwise the same run.
     *
     * @param part this rank's examples (the test set, for evaluation, is whole on every rank)
     * @throws IllegalArgumentException if some rank's part holds fewer examples than one batch
     */
    public Result runOnPart(Communicator comm, Dataset part, Dataset test, Listener listener) {
        return run(comm, part, true, test, listener);
    }

    private Result run(Communicator comm, Dataset train, boolean parted, Dataset test, Listener listener) {
        Listener l = comm.rank() == 0 && listener != null ? listener : new Listener() { };
        final int rank = comm.rank();
        final int world = comm.size();
        final TrainSettings s = settings;
        final Coordination co = s.coordination();
        if (co.attackers() >= world) {
            throw new IllegalArgumentException(co.attackers() + " attackers of " + world
                    + " workers: at least one worker must be honest");
        }
        if (co.stragglerRank() >= world) {
            throw new IllegalArgumentException("straggler rank " + co.stragglerRank() + " is not a rank of "
                    + world + " workers");
        }
        Model model = Models.create(s.model(), train.shape(), train.classes());
        final int n = model.parameterCount();
        final int spe;
        final long dataSize; // examples in the whole training set
        if (parted) {
            long[] sizes = partSizes(new Collectives(comm), train.size());
            int smallest = 0;
            long sum = 0;
            for (int r = 0; r < world; r++) {
                sum += sizes[r];
                if (sizes[r] < sizes[smallest]) {
                    smallest = r;
                }
            }
            spe = stepsOf(s, (int) sizes[smallest]);
            if (spe < 1) {
                throw new IllegalArgumentException(train.name() + ": the part of rank " + smallest + " holds "
                        + sizes[smallest] + " examples, fewer than one batch of " + s.batch());
            }
            dataSize = sum;
        } else {
            dataSize = train.size();
            spe = stepsPerEpoch(train.size(), world);
            if (spe < 1) {
                throw new IllegalArgumentException(train.name() + ": " + train.size() + " examples are fewer than "
                        + world + " workers x batch " + s.batch());
            }
        }
        final long total = (long) spe * s.epochs();
        // robust rules with worker momentum: the optimizer's momentum moves to the workers
        Optimizers.SplitMomentum moved = co.trainer().equals("sync") && !co.meanAggregation() && co.workerMomentum()
                ? Optimizers.splitMomentum(s.optimizer()) : new Optimizers.SplitMomentum(0, false, s.optimizer());
        // partial: one more optimizer step per epoch (the flush)
        Optimizer opt = Optimizers.create(moved.withoutMomentum(), n, co.trainer().equals("partial")
                ? total + s.epochs() : total);
        boolean swarm = co.trainer().equals("swarm");
        GradientExchange ex = new GradientExchange(comm, model.layers(), swarm ? "none" : s.codec(),
                s.minCompressed(), swarm ? java.util.Map.of() : s.layerCodecs(), s.seed(), s.fuseLayers());
        float[] params = new float[n];
        model.initialize(params, s.seed());
        StepContext run = new StepContext(comm, ex, opt, params);
        // only checkpoints need it (resuming requires a store): hashing the data is a pass over all of it
        TrainingResume resume = store == null ? null : new TrainingResume(s, store);
        String fp = resume == null ? null : resume.fingerprint(model, opt, ex, world, train.name() + "/" + dataSize
                + (parted ? "/parts" : ""), train.contentHash()); // this rank's data
        float[] grad = new float[n];
        Model.Workspace ws = model.workspace(Math.max(s.batch(), EVAL_BATCH));
        Attack attack = co.isAttacker(rank, world) ? Attacks.create(co.attack(), s.seed(), rank) : null;
        boolean straggler = rank == co.stragglerRank() && co.stragglerSlowdown() > 1;

        CoordinationStep st = CoordinationStep.create(run, co, world, attack, moved, s.codec(), s.seed());
        try {
            // resumed, the counters continue from the checkpoint's
            Checkpoint c = s.resume() ? resume.resumePoint(comm, run.coll, fp, n, l) : null;
            if (c != null) {
                TrainingResume.restore(c, run, st, s.seed());
            }
            long start = c == null ? 0 : c.steps();
            double seconds = c == null ? 0 : c.seconds();
            long bytesBefore = c == null ? 0 : c.bytesSent();
            double epochLoss = c == null ? 0 : c.epochLoss();
            long epochSteps = c == null ? 0 : c.epochSteps();
            double epochSecondsStart = c == null ? 0 : c.epochStartSeconds();
            long epochBytesStart = c == null ? 0 : c.epochStartBytes();
            l.started(st.describe(), spe, total, start);
            long planVersion = ex.planVersion();
            BatchSchedule schedule = parted ? BatchSchedule.wholePart(train, spe, s.batch(), s.seed(), rank)
                    : BatchSchedule.synchronous(train, rank, world, s.batch(), s.seed());
            Batch batch = schedule.newBatch();
            List<EpochReport> reports = new ArrayList<>();
            // bytes are counted from this process's start, offset by what the run had sent before a resumption
            long bytesBase = comm.bytesSent() - bytesBefore;
            boolean checkpointDue = false;
            for (long step = start; step < total; step++) {
                int epoch = (int) (step / spe);
                int si = (int) (step % spe);
                boolean last = si == spe - 1;
                if (si == 0) { // (resumed mid-epoch, the epoch's start values come from the checkpoint)
                    epochBytesStart = comm.bytesSent() - bytesBase - run.overheadBytes;
                    epochSecondsStart = seconds;
                }
                long t0 = System.nanoTime();
                if (!st.catchUp()) {
                    schedule.fill(batch, epoch, si);
                    double loss = model.lossAndGradient(params, batch, grad, ws);
                    if (straggler) {
                        straggle(System.nanoTime() - t0, co.stragglerSlowdown());
                    }
                    if (attack != null && !st.attacksItself()) {
                        attack.apply(grad, 0, n, step);
                    }
                    st.apply(grad, step);
                    epochLoss += loss;
                    epochSteps++;
                    l.step(epoch + 1, si + 1, spe, loss);
                }
                if (last) {
                    st.endEpoch(step);
                    if (step + 1 == total) {
                        st.close(); // before the last report: peers that finish first may close their endpoints
                    }
                }
                seconds += (System.nanoTime() - t0) / 1e9;
                if (ex.planVersion() != planVersion) {
                    planVersion = ex.planVersion();
                    l.replanned(step + 1, st.describe());
                }
                if (last) {
                    long sent = comm.bytesSent() - bytesBase - run.overheadBytes;
                    long before = comm.bytesSent();
                    EpochReport r = endEpoch(run, st, model, test, ws, epoch + 1, step + 1, spe, epochLoss,
                            epochSteps, seconds - epochSecondsStart, seconds, sent - epochBytesStart, sent);
                    run.overheadBytes += comm.bytesSent() - before;
                    reports.add(r);
                    l.epoch(r);
                    epochLoss = 0;
                    epochSteps = 0;
                }
                // after the epoch's report, so a checkpoint at an epoch's end carries no counts of the finished epoch
                checkpointDue |= store != null && (step + 1) % s.checkpointEvery() == 0;
                if (checkpointDue && st.canCheckpoint(last)) {
                    checkpointDue = false;
                    st.restart(TrainingResume.restartSeed(s.seed(), step + 1));
                    Checkpoint saved = new Checkpoint(fp, rank, world, step + 1, seconds,
                            comm.bytesSent() - bytesBase - run.overheadBytes, epochLoss, epochSteps,
                            epochSecondsStart, epochBytesStart, params.clone(), opt.steps(), opt.buffers(),
                            ex.residuals(), st.state(), ex.planState());
                    l.checkpoint(step + 1, saved.save(store, KEEP_CHECKPOINTS));
                }
            }
            return new Result(reports, params, st.describe());
        } finally {
            st.close();
        }
    }

    /** Sleeps so that a step whose gradient took {@code computeNanos} takes {@code slowdown} times as long. */
    private static void straggle(long computeNanos, double slowdown) {
        long until = System.nanoTime() + (long) (computeNanos * (slowdown - 1));
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What a rank's run produced. */
    public record Result(List<EpochReport> epochs, float[] params, String plan) {
    }

    /** Every rank's part size, in rank order (one allgather of a long). */
    private static long[] partSizes(Collectives coll, int mine) {
        byte[][] all = coll.allgather(ByteBuffer.allocate(8).putLong(mine).array());
        long[] sizes = new long[all.length];
        for (int r = 0; r < all.length; r++) {
            sizes[r] = ByteBuffer.wrap(all[r]).getLong();
        }
        return sizes;
    }


    private EpochReport endEpoch(StepContext run, CoordinationStep st, Model model, Dataset test, Model.Workspace ws, int epoch,
                                 long steps, int rounds, double lossSum, long lossSteps, double epochSeconds,
                                 double totalSeconds, long epochBytes, long totalBytes) {
        Communicator comm = run.comm;
        Collectives coll = run.coll;
        float[] params = run.params;
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
        if (!same && st.identical()) {
            throw new IllegalStateException("the ranks' parameters differ after epoch " + epoch + " ("
                    + settings.coordination().trainer() + " training must keep them identical)");
        }
        double acc;
        if (same) {
            acc = evaluate(comm, coll, model, params, test, ws);
        } else { // the accuracy of the mean model
            float[] mean = params.clone();
            coll.allreduce(mean);
            float inv = 1f / comm.size();
            for (int i = 0; i < mean.length; i++) {
                mean[i] *= inv;
            }
            acc = evaluate(comm, coll, model, mean, test, ws);
        }
        int w = comm.size();
        return new EpochReport(epoch, steps, rounds, cnt == 0 ? Double.NaN : loss / cnt, acc, epochSeconds,
                totalSeconds, eb / w, tb / w, epochSeconds > 0 ? rounds / epochSeconds : 0, same);
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
