package org.scaleml.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.collective.GossipAverager;
import org.scaleml.comm.collective.PartialAllreduce;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.common.SplitMix64;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.BatchSchedule;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Sharding;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizer;
import org.scaleml.train.optim.Optimizers;
import org.scaleml.train.robust.Aggregator;
import org.scaleml.train.robust.Aggregators;
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
     * replaces grad; then the coordination's Step does the communication and the update:
     *   sync/mean    exchange.average(grad) (mean over ranks, bitwise the same everywhere); optimizer.step
     *   sync/robust  allgather of every rank's gradient, the aggregator's rule applied identically on every rank
     *   local        optimizer.step locally; every H steps (and at an epoch's end) the change since the last
     *                averaging, params - anchor, is averaged by the exchange (compressed if a codec is set) and
     *                params = anchor + mean change, the new anchor, identical everywhere
     *   swarm        optimizer.step locally; every H steps one round of gossip averaging of the models
     *                (GossipAverager: a random perfect matching, each pair averages, quantized by the codec if set)
     *   partial      the gradient, with a trailing 1 that counts contributions, goes to a PartialAllreduce; every
     *                rank applies every round's sum divided by its count, in round order, so all stay identical.
     *                Before computing, a rank first takes the results of rounds that closed without it
     *                (tryResult): a straggler catches up instead of computing a gradient for every round.
     * The optimizer is deterministic and starts from the same state on every rank, hence identical parameters
     * wherever the update is identical, which the end-of-epoch CRC check confirms. Loss and bytes are summed
     * locally and combined once per epoch (an allgather of a few longs), so reporting adds no per-step
     * communication; its bytes, and evaluation's, are not counted as training traffic. Evaluation is sharded:
     * each rank predicts a contiguous slice of the test set and the correct counts are summed.
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

    /** Per-run state every coordination shares: what a step's communication and update work on. */
    private static final class Run {
        final Communicator comm;
        final Collectives coll;
        final GradientExchange ex;
        final Optimizer opt;
        final float[] params;
        final int n;
        /** Bytes of reports, evaluation and consistency checks: not training traffic. */
        long overheadBytes;

        Run(Communicator comm, GradientExchange ex, Optimizer opt, float[] params) {
            this.comm = comm;
            this.coll = new Collectives(comm);
            this.ex = ex;
            this.opt = opt;
            this.params = params;
            this.n = params.length;
        }
    }

    /** The communication and update of one coordination; one instance per rank and run. */
    private abstract static class Step {
        final Run run;

        Step(Run run) {
            this.run = run;
        }

        /**
         * Before computing a step's gradient: true if the step was taken without computing one (a partial round
         * that closed without this rank).
         */
        boolean catchUp() {
            return false;
        }

        /** Communicates {@code grad} (this rank's gradient of step {@code step}) and updates the parameters. */
        abstract void apply(float[] grad, long step);

        /**
         * At an epoch's end, after its last step {@code step}: make the models consistent if the coordination
         * promises it.
         */
        void endEpoch(long step) {
        }

        /** True if the step applies the attack itself (to what it sends), instead of the trainer to the gradient. */
        boolean attacksItself() {
            return false;
        }

        /** True if every rank's parameters are identical at epoch ends. */
        boolean identical() {
            return true;
        }

        /** The exchange's and the coordination's plan, for the report. */
        String describe() {
            return run.ex.describe();
        }

        /** At a checkpoint step: restart codec streams (from a seed derived from the step). */
        void restart(long seed) {
            run.ex.restart(seed);
        }

        /** True if a checkpoint may be written now, at an epoch's end or not. */
        boolean canCheckpoint(boolean epochEnd) {
            return true;
        }

        float[][] state() {
            return new float[0][];
        }

        void restore(float[][] state) {
            if (state.length != 0) {
                throw new Checkpoint.CheckpointException("the checkpoint holds " + state.length
                        + " trainer arrays, this trainer keeps none");
            }
        }

        /** Releases the step's resources (threads); idempotent. */
        void close() {
        }
    }

    /** {@code sync} with {@code mean}: the exchange averages the gradients. */
    private static final class MeanStep extends Step {
        MeanStep(Run run) {
            super(run);
        }

        @Override
        void apply(float[] grad, long step) {
            run.ex.average(grad);
            run.opt.step(run.params, grad);
        }
    }

    /**
     * {@code sync} with a robust rule: every rank gathers every rank's vector (its gradient, or with worker momentum
     * its velocity) and applies the same rule.
     */
    private static final class RobustStep extends Step {
        private final Aggregator rule;
        private final float mu;
        private final boolean nesterov;
        private final float[] momentum;
        private final Attack attack;

        /** {@code mu > 0}: worker momentum (the run's optimizer then has none). */
        RobustStep(Run run, Aggregator rule, double mu, boolean nesterov, Attack attack) {
            super(run);
            this.rule = rule;
            this.mu = (float) mu;
            this.nesterov = nesterov;
            this.momentum = mu > 0 ? new float[run.n] : null;
            this.attack = attack;
        }

        @Override
        boolean attacksItself() {
            return momentum != null;
        }

        @Override
        void apply(float[] grad, long step) {
            if (momentum != null) { // the honest velocity; an attacker corrupts what it sends, not its memory
                for (int i = 0; i < momentum.length; i++) {
                    float v = mu * momentum[i] + grad[i];
                    momentum[i] = v;
                    grad[i] = nesterov ? grad[i] + mu * v : v;
                }
                if (attack != null) {
                    attack.apply(grad, 0, run.n, step);
                }
            }
            float[][] all = run.coll.allgather(grad);
            rule.aggregate(all, 0, run.n, grad);
            run.opt.step(run.params, grad);
        }

        @Override
        String describe() {
            return "aggregator=" + rule.spec() + (momentum == null ? "" : ", worker momentum " + mu
                    + (nesterov ? " (Nesterov)" : ""))
                    + " (all " + (momentum == null ? "gradients" : "worker momenta") + " gathered uncompressed)";
        }

        @Override
        void restart(long seed) {
        }

        @Override
        float[][] state() {
            float[][] r = rule.state();
            if (momentum == null) {
                return r;
            }
            float[][] all = java.util.Arrays.copyOf(r, r.length + 1);
            all[r.length] = momentum.clone();
            return all;
        }

        @Override
        void restore(float[][] state) {
            if (momentum == null) {
                rule.restore(state);
                return;
            }
            if (state.length < 1 || state[state.length - 1].length != momentum.length) {
                throw new Checkpoint.CheckpointException("the checkpoint holds no worker momentum of this model");
            }
            System.arraycopy(state[state.length - 1], 0, momentum, 0, momentum.length);
            rule.restore(java.util.Arrays.copyOf(state, state.length - 1));
        }
    }

    /** {@code local}: local steps, the models' change averaged every H steps and at every epoch's end. */
    private static final class LocalStep extends Step {
        private final int h;
        private final float[] anchor;
        private final float[] delta;

        LocalStep(Run run, int h) {
            super(run);
            this.h = h;
            this.anchor = run.params.clone();
            this.delta = new float[run.n];
        }

        @Override
        void apply(float[] grad, long step) {
            run.opt.step(run.params, grad);
            if ((step + 1) % h == 0) {
                average();
            }
        }

        @Override
        void endEpoch(long step) {
            if ((step + 1) % h != 0) { // not averaged by apply just now
                average();
            }
        }

        private void average() {
            float[] p = run.params;
            for (int i = 0; i < p.length; i++) {
                delta[i] = p[i] - anchor[i];
            }
            run.ex.average(delta);
            for (int i = 0; i < p.length; i++) {
                p[i] = anchor[i] + delta[i];
            }
            System.arraycopy(p, 0, anchor, 0, p.length);
        }

        @Override
        String describe() {
            return "local steps=" + h + "; model change averaged: " + run.ex.describe();
        }

        @Override
        float[][] state() {
            return new float[][] {anchor.clone()};
        }

        @Override
        void restore(float[][] state) {
            if (state.length != 1 || state[0].length != anchor.length) {
                throw new Checkpoint.CheckpointException("the checkpoint's local SGD state does not fit this model");
            }
            System.arraycopy(state[0], 0, anchor, 0, anchor.length);
        }
    }

    /** {@code swarm}: local steps, then one round of pairwise gossip averaging of the models every H steps. */
    private static final class SwarmStep extends Step {
        private final int h;
        private final String codec;
        private GossipAverager gossip;

        SwarmStep(Run run, int h, String codec, long seed) {
            super(run);
            this.h = h;
            this.codec = codec;
            this.gossip = new GossipAverager(run.comm, seed, codec);
        }

        @Override
        void apply(float[] grad, long step) {
            run.opt.step(run.params, grad);
            if ((step + 1) % h == 0) {
                gossip.average(run.params);
            }
        }

        @Override
        boolean identical() {
            return false;
        }

        @Override
        String describe() {
            return "swarm: local steps=" + h + ", gossip averaging of models with a random partner"
                    + (codec == null ? "" : ", models quantized by " + codec);
        }

        @Override
        void restart(long seed) {
            gossip = new GossipAverager(run.comm, seed, codec);
        }
    }

    /** {@code partial}: gradients summed by a partial allreduce; stragglers catch up on the rounds they missed. */
    private static final class PartialStep extends Step {
        private final PartialAllreduce pa;
        private final float[] buf;
        private final String quorum;

        PartialStep(Run run, String quorum) {
            super(run);
            this.quorum = quorum;
            this.pa = new PartialAllreduce(run.comm, run.n + 1, quorum.equals("solo") ? PartialAllreduce.Mode.SOLO
                    : PartialAllreduce.Mode.MAJORITY, java.time.Duration.ZERO);
            this.buf = new float[run.n + 1];
        }

        @Override
        boolean catchUp() {
            if (pa.tryResult(buf, 0) == null) {
                return false;
            }
            update();
            return true;
        }

        @Override
        void apply(float[] grad, long step) {
            System.arraycopy(grad, 0, buf, 0, run.n);
            buf[run.n] = 1;
            pa.allreduce(buf, 0);
            update();
        }

        /** Applies the mean of the round's contributions (the count travels in the last element). */
        private void update() {
            float count = buf[run.n];
            if (count > 0) {
                float inv = 1f / count;
                for (int i = 0; i < run.n; i++) {
                    buf[i] *= inv;
                }
                run.opt.step(run.params, buf);
            }
        }

        @Override
        void endEpoch(long step) {
            pa.flush(buf);
            update();
        }

        @Override
        String describe() {
            return "partial allreduce (" + quorum + " quorum) of uncompressed gradients";
        }

        @Override
        void restart(long seed) {
        }

        @Override
        boolean canCheckpoint(boolean epochEnd) {
            return epochEnd;
        }

        @Override
        void close() {
            pa.close();
        }
    }

    private Step step(Run run, Coordination c, int world, Attack attack, Optimizers.SplitMomentum workerMomentum) {
        long seed = settings.seed();
        switch (c.trainer()) {
            case "sync":
                return c.meanAggregation() ? new MeanStep(run)
                        : new RobustStep(run, Aggregators.create(c.aggregator(), world, c.attackers()),
                        workerMomentum.momentum(), workerMomentum.nesterov(), attack);
            case "local":
                return new LocalStep(run, c.localSteps());
            case "swarm":
                return new SwarmStep(run, c.localSteps(), GradientExchange.isNone(settings.codec()) ? null
                        : settings.codec(),
                        restartSeed(seed, 0));
            case "partial":
                return new PartialStep(run, c.partialQuorum());
            default:
                throw new IllegalArgumentException("trainer " + c.trainer() + " does not run on a communicator");
        }
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
        Run run = new Run(comm, ex, opt, params);
        Collectives coll = run.coll;
        // only checkpoints need it (resuming requires a store): hashing the data is a pass over all of it
        String fp = store == null ? null
                : fingerprint(model, opt, ex, world, train.name() + "/" + dataSize + (parted ? "/parts" : ""))
                + ";" + Checkpoint.DATA_HASH_KEY + "=" + Long.toHexString(train.contentHash()); // this rank's data
        float[] grad = new float[n];
        Model.Workspace ws = model.workspace(Math.max(s.batch(), EVAL_BATCH));
        Attack attack = co.isAttacker(rank, world) ? Attacks.create(co.attack(), s.seed(), rank) : null;
        boolean straggler = rank == co.stragglerRank() && co.stragglerSlowdown() > 1;

        Step st = step(run, co, world, attack, moved);
        try {
            long start = 0;
            double seconds = 0;
            long bytesBefore = 0;
            double epochLoss = 0;
            long epochSteps = 0;
            double epochSecondsStart = 0;
            long epochBytesStart = 0;
            if (s.resume()) {
                Checkpoint c = resumePoint(comm, coll, fp, n, l);
                if (c != null) {
                    System.arraycopy(c.params(), 0, params, 0, n);
                    opt.restore(c.optSteps(), c.optBuffers());
                    try {
                        ex.restorePlanState(c.exchangeState()); // before the residuals: it rebuilds the groups
                    } catch (IllegalArgumentException e) {
                        throw new Checkpoint.CheckpointException("the checkpoint's exchange plan does not fit this "
                                + "run: " + e.getMessage());
                    }
                    ex.restoreResiduals(c.residuals());
                    st.restore(c.trainerState());
                    st.restart(restartSeed(s.seed(), c.steps()));
                    start = c.steps();
                    seconds = c.seconds();
                    bytesBefore = c.bytesSent();
                    epochLoss = c.epochLoss();
                    epochSteps = c.epochSteps();
                    epochSecondsStart = c.epochStartSeconds();
                    epochBytesStart = c.epochStartBytes();
                }
            }
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
                    st.restart(restartSeed(s.seed(), step + 1));
                    Checkpoint c = new Checkpoint(fp, rank, world, step + 1, seconds,
                            comm.bytesSent() - bytesBase - run.overheadBytes, epochLoss, epochSteps,
                            epochSecondsStart, epochBytesStart, params.clone(), opt.steps(), opt.buffers(),
                            ex.residuals(), st.state(), ex.planState());
                    l.checkpoint(step + 1, c.save(store, KEEP_CHECKPOINTS));
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

    static long restartSeed(long seed, long step) {
        return SplitMix64.mix(seed ^ SplitMix64.mix(step + 0x5DEECE66DL));
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

    private String fingerprint(Model model, Optimizer opt, GradientExchange ex, int world, String data) {
        Coordination c = settings.coordination();
        return "model=" + model.spec() + ";optimizer=" + opt.spec() + ";plan=" + ex.initialDescribe() + ";fused="
                + settings.fuseLayers() + ";world=" + world
                + ";batch=" + settings.batch() + ";epochs=" + settings.epochs() + ";maxSteps="
                + settings.maxStepsPerEpoch() + ";seed=" + settings.seed() + ";data=" + data + (c.trainer().equals("sync") && c.meanAggregation() && c.attackers() == 0 ? ""
                : ";trainer=" + c.trainer() + ";localSteps=" + c.localSteps() + ";aggregator=" + c.aggregator()
                + ";attackers=" + c.attackers() + ";attack=" + c.attack() + ";quorum=" + c.partialQuorum()
                + ";workerMomentum=" + c.workerMomentum())
                + (LayerwisePlanner.Spec.isAdaptive(settings.codec()) ? ";codec=" + settings.codec() : "");
    }

    /** The newest checkpoint every rank has, read and checked; null if no rank has any. */
    private Checkpoint resumePoint(Communicator comm, Collectives coll, String fp, int n, Listener l) {
        int rank = comm.rank();
        List<Long> listed;
        try {
            listed = store.steps(rank);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + store + ": " + e.getMessage(), e);
        }
        // read every checkpoint this rank holds (at most KEEP_CHECKPOINTS): a damaged one is skipped, not fatal,
        // so a crash while writing the newest step costs one interval; another configuration's is refused
        java.util.Map<Long, Checkpoint> intact = new java.util.HashMap<>();
        List<String> damaged = new ArrayList<>();
        for (long step : listed) {
            String where = store.location(step, rank);
            Checkpoint c;
            try {
                c = Checkpoint.decode(store.read(step, rank), where, n);
            } catch (Checkpoint.CheckpointException | IOException e) {
                damaged.add("step " + step + " of rank " + rank + " (" + e.getMessage() + ")");
                continue;
            }
            Checkpoint.matching(c, where, fp); // another configuration's checkpoint is refused, not skipped
            if (c.rank() != rank || c.world() != comm.size() || c.params().length != n) {
                throw new Checkpoint.CheckpointException(where + ": written by rank " + c.rank() + " of " + c.world()
                        + ", this is rank " + rank + " of " + comm.size());
            }
            intact.put(step, c);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(listed.size());
            out.writeInt(intact.size());
            for (long step : intact.keySet()) {
                out.writeLong(step);
            }
            out.writeInt(damaged.size());
            for (String d : damaged) {
                out.writeUTF(d.length() > 2000 ? d.substring(0, 2000) : d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[][] all = coll.allgather(bytes.toByteArray());
        boolean anyone = false;
        List<java.util.Set<Long>> held = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (byte[] other : all) {
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(other))) {
                anyone |= in.readInt() > 0;
                java.util.Set<Long> steps = new java.util.HashSet<>();
                for (int i = in.readInt(); i > 0; i--) {
                    steps.add(in.readLong());
                }
                held.add(steps);
                for (int i = in.readInt(); i > 0; i--) {
                    skipped.add(in.readUTF());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long best = -1;
        for (long st : intact.keySet()) {
            boolean everywhere = true;
            for (java.util.Set<Long> h : held) {
                everywhere &= h.contains(st);
            }
            if (everywhere) {
                best = Math.max(best, st);
            }
        }
        for (String d : skipped) {
            l.checkpointSkipped(d);
        }
        if (best < 0) {
            if (anyone) {
                throw new Checkpoint.CheckpointException("no checkpoint step in " + store
                        + " is intact on every rank; cannot resume consistently"
                        + (skipped.isEmpty() ? "" : " (damaged: " + String.join("; ", skipped) + ")"));
            }
            return null;
        }
        return intact.get(best);
    }

    private EpochReport endEpoch(Run run, Step st, Model model, Dataset test, Model.Workspace ws, int epoch,
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
