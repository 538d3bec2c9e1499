package org.scaleml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Phaser;

import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;
import org.scaleml.train.data.BatchSchedule;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Sharding;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizer;
import org.scaleml.train.optim.Optimizers;

/**
 * Asynchronous shared-memory SGD in one JVM (Hogwild): {@code threads} threads train one shared parameter array,
 * each reading it and writing its updates into it without locks, or, as a consistent baseline, under one lock.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Data.</b> As {@link DataParallelTrainer} with {@code world = threads}: thread t visits its
 *       {@link Sharding#shard shard} in the order of {@link BatchSchedule#synchronous(Dataset, int, int, int, long)
 *       BatchSchedule.synchronous(train, t, threads, batch, seed)}. Every thread does the same number of steps per
 *       epoch, {@code floor(minShardSize(size, threads) / batch)} capped by {@code maxStepsPerEpoch}; an epoch
 *       ends when every thread has done its steps.</li>
 *   <li><b>Updates (lock-free, the default).</b> Each thread computes its gradient from the shared array while
 *       other threads write it (no lock, no copy) and applies its update to the shared array with plain
 *       {@code float} loads and stores, through its <em>own</em> optimizer instance (its own step count and
 *       learning-rate schedule over {@code steps per epoch x epochs} steps, its own momentum or Adam moments).
 *       Updates of different threads may overlap and be lost (a read-modify-write of one coordinate can overwrite
 *       another thread's store to it), and a gradient may be computed from a mixture of old and new values: that
 *       is the Hogwild contract, not a defect. Under the Java memory model every {@code float} load sees some value
 *       that was stored (a {@code float} is never torn, JLS 17.7), but there is no happens-before between the
 *       workers' accesses, so no order or freshness is promised during an epoch. The end-of-epoch barrier
 *       ({@link Phaser}) publishes every thread's writes: the evaluation, the report, the checkpoint and the
 *       returned parameters see a quiescent, fully published array.</li>
 *   <li><b>Updates (locked, {@link Coordination#lockedUpdates()}).</b> Each step copies the shared array into a
 *       thread-local one under a single lock, computes the gradient on the copy outside the lock, and applies the
 *       update to the shared array under the same lock. Reads are consistent snapshots and updates are atomic,
 *       but the gradient may still be stale by the updates other threads applied meanwhile (this is asynchronous
 *       SGD with consistent reads, not sequential SGD). It costs two passes over the parameters under the lock per
 *       step.</li>
 *   <li><b>Sparsified updates.</b> If {@link TrainSettings#codec()} is not {@code none}, each thread passes its
 *       whole gradient through its own codec instance ({@link Codecs#create(String, long) Codecs.create(codec,
 *       seed + thread)}, e.g. {@code ef:topk:ratio=0.1} for TopK with error feedback), encodes and decodes it into
 *       a dense scratch array and hands that to its optimizer. Honest cost: an encode and a decode per step (an
 *       error-feedback codec decodes once more inside), and <em>no</em> saving of memory traffic or conflicts on
 *       the shared array: the optimizer still reads and writes every coordinate (a zero entry rewrites the value
 *       it read), and with momentum every coordinate moves anyway. Per-layer codec overrides
 *       ({@link TrainSettings#layerCodecs()}) are refused and {@code minCompressed} and {@code fuseLayers} have no
 *       effect: nothing travels, so there are no layers to plan.</li>
 *   <li><b>Straggler.</b> If {@link Coordination#stragglerRank()} is {@code >= 0} that thread sleeps
 *       {@code (slowdown - 1) x} its step's time after every step. The other threads still wait for it at the end
 *       of each epoch (an epoch is every thread's shard).</li>
 *   <li><b>Reports.</b> One {@link EpochReport} per epoch, after the barrier: {@code steps} and {@code epochSteps}
 *       count <em>updates</em> over all threads ({@code threads x steps per epoch} per epoch, exactly),
 *       {@code trainLoss} is the mean loss over them, {@code seconds} is the wall time of the epoch's training
 *       (from releasing the threads to the last one reaching the barrier; evaluation excluded),
 *       {@code stepsPerSecond} is updates per second over all threads, bytes are 0, {@code paramsIdentical} is
 *       true (there is one model). Accuracy is measured on the shared model by the calling thread with
 *       {@link DataParallelTrainer#correct}.</li>
 *   <li><b>Listener and its threads.</b> The {@link DataParallelTrainer.Listener} counts in <em>steps of one thread</em>
 *       (positions in the schedule; every thread does each one): {@code started(plan, stepsPerEpoch, totalSteps,
 *       startStep)} and {@code checkpoint(step, file)} and {@code epoch(report)} are called on the calling thread;
 *       {@code step(...)} is called on worker thread {@code scaleml-hogwild-0}, after each of its own steps, with its
 *       loss. They are never called concurrently: the calling thread calls the listener only while every worker
 *       waits at a barrier (or before they start), and the barrier orders the calls (happens-before). A listener
 *       that throws fails the run like any other failure.</li>
 *   <li><b>Checkpoints.</b> With a checkpoint directory, one {@link Checkpoint} (rank 0, world 1) is written at
 *       the end of every epoch during which the per-thread step count reached or passed a multiple of
 *       {@code checkpointEvery} (so at every epoch end when {@code checkpointEvery <= steps per epoch}); its step
 *       is the per-thread step count, its parameters the shared array, its optimizer buffers every thread's
 *       buffers concatenated (thread 0 first), its residuals every thread's error-feedback residual. The newest
 *       two are kept. {@link TrainSettings#resume()} continues from the newest one, refusing one written by another
 *       configuration (model, optimizer, codec, threads, lock mode, batch, epochs, seed, data) with both named.
 *       A resumed single-thread run ends bitwise where the uninterrupted one does (with a deterministic codec;
 *       a stochastic codec's random stream restarts from its seed); a resumed multi-thread lock-free run does not
 *       (the races differ from run to run anyway).</li>
 *   <li><b>Threads and failures.</b> {@code run} starts {@code threads} daemon threads named
 *       {@code scaleml-hogwild-N} and joins them before it returns or throws; none outlives the call. An exception
 *       (or error) in any worker stops the others promptly (they check a flag before every step and the barrier
 *       is terminated) and is rethrown from {@code run} as an {@link InProcessJob.TrainingFailedException} naming
 *       the thread, with the original as the cause. An exception on the calling thread (evaluation, checkpoint
 *       I/O, the listener) stops the workers the same way and propagates unchanged; an interrupt of the calling
 *       thread stops the workers and throws {@link InterruptedException}.</li>
 *   <li><b>Allocation.</b> The trainer allocates nothing per step: each thread owns its workspace, gradient,
 *       batch, schedule, optimizer and codec buffers (the barrier allocates a little per epoch). A codec may
 *       allocate a few small objects per call (measured with {@code ef:topk}: 160 bytes per step, a checksum object
 *       per payload), never in proportion to the parameter count.</li>
 * </ul>
 * A trainer object holds only its settings; {@code run} may be called several times, not concurrently with
 * itself on the same checkpoint directory.
 */
public final class HogwildTrainer {
    /*
     * Algorithm. Hogwild [1]: p threads run SGD on one parameter vector x in shared memory with no locking; each
     * step reads x (possibly mid-update by others), computes g = grad f_i(x_read) on its mini-batch and does
     * x -= lr * g coordinate by coordinate with plain stores. [1] proves near-linear speedup when gradients are
     * sparse and conflicts rare; here models are dense, so every step touches every coordinate and the cache
     * lines of x bounce between cores: the speedup is bounded by memory traffic, which is why the locked
     * baseline exists to compare against. The elastic-consistency view [2] explains why this still converges:
     * the view x_read a thread computes from differs from the "true" sequential iterate by the updates that were
     * in flight, at most p - 1 other threads' steps, whose norm is bounded (an elastic bound B proportional to
     * (p - 1) * lr * max ||g||); SGD with such bounded-inconsistency views converges with a slowdown that grows
     * with B. Lost updates (a read-modify-write overwritten) are another perturbation of the same bounded kind.
     * Measured on this project's 2-core machine (synthetic 20000 x 64 clusters, mlp:hidden=256, about 19k
     * parameters, batch 16, medians of epochs 2-5, three rounds): 1 thread about 6.7k updates/s; 2 threads
     * lock-free 8.6k-10.7k, locked 9.0k-12.1k. With a dense model the lock-free threads keep pulling each other's
     * cache lines while computing, whereas the locked ones compute on private copies, so the lock is no slower
     * here; lock-free pays off when updates are sparse, as [1] assumes.
     *
     * Per-thread state: optimizer (so momentum/Adam state is a thread's own, as in most Hogwild implementations
     * of momentum; p threads each with momentum mu make the effective step larger than one), workspace,
     * gradient, codec scratch, schedule and batch; in locked mode a private copy of x. Shared: x, the model
     * (stateless), the data (immutable), the stop flag, the first failure, the loss/step slots of each thread
     * (written by their thread, read by the caller after the barrier).
     *
     * Synchronization: one Phaser of threads + 1 parties (workers and the caller), two phases per epoch: "go"
     * (the caller releases the workers) and "end" (every worker finished its steps). Between end and the next go
     * the workers are parked and the caller evaluates, reports and checkpoints a quiescent x; the Phaser's
     * arrive/advance gives happens-before both ways (java.util.concurrent memory consistency effects), so plain
     * fields suffice for everything but the stop flag. A failure sets the flag, records the first cause and
     * forces the Phaser into termination, which releases every waiter at once (awaits return a negative phase);
     * workers in mid-epoch see the flag before their next step. So no party can wait for a thread that died.
     *
     * Invariant at every end phase: each thread has done exactly (epochs so far) x spe optimizer steps, so the
     * optimizers' step counts agree and a checkpoint can store one.
     *
     * Layout: this class checks the settings, builds the per-thread state and runs the caller's side of the
     * epochs; a worker's state and loop are HogwildWorker, what the threads share for coordination is HogwildRun,
     * and the checkpoint fingerprint, writing and resuming are HogwildCheckpoints.
     *
     * [1] F. Niu, B. Recht, C. Re, S. J. Wright, "Hogwild!: A Lock-Free Approach to Parallelizing Stochastic
     *     Gradient Descent", NIPS 2011.
     * [2] G. Nadiradze, I. Markov, B. Chatterjee, V. Kungurtsev, D. Alistarh, "Elastic Consistency: A Practical
     *     Consistency Model for Distributed Stochastic Gradient Descent", AAAI 2021.
     * [3] J. Gosling et al., The Java Language Specification, SE 17, chapter 17 (memory model; 17.7: only
     *     non-volatile long and double may be torn).
     */

    /** A test hook called on each worker after each of its steps (before a straggler's sleep). */
    interface StepHook {
        void afterStep(int thread, int epoch, int stepInEpoch);
    }

    private static final StepHook NO_HOOK = (t, e, s) -> { };

    private final TrainSettings settings;
    private final StepHook hook;

    public HogwildTrainer(TrainSettings settings) {
        this(settings, NO_HOOK);
    }

    HogwildTrainer(TrainSettings settings, StepHook hook) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hook = Objects.requireNonNull(hook, "hook");
        if (settings.resume() && settings.checkpointDir() == null) {
            throw new IllegalArgumentException("resume needs a checkpoint directory");
        }
    }

    /**
     * Trains with {@code threads} threads of this JVM on one shared parameter array; returns the epoch reports (of
     * the epochs this call trained) and the final parameters. Starts and joins its threads: none outlives the call.
     * The listener (may be null) is called on the calling thread, except {@code step}, which worker
     * {@code scaleml-hogwild-0} calls; never concurrently (see the class comment).
     *
     * @throws IllegalArgumentException if {@code threads < 1}, the data set is too small for the threads and batch,
     *                                  the straggler index is not a thread, or the settings ask for what this trainer
     *                                  does not do (attackers, a robust aggregator, per-layer codecs)
     * @throws Checkpoint.CheckpointException if resuming from a checkpoint of another configuration or a damaged one
     * @throws InProcessJob.TrainingFailedException if a worker thread failed, naming it, with its failure as cause
     * @throws InterruptedException if the calling thread was interrupted (the workers are stopped first)
     */
    public DataParallelTrainer.Result run(int threads, Dataset train, Dataset test, DataParallelTrainer.Listener listener)
            throws InterruptedException {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        final TrainSettings s = settings;
        final Coordination co = s.coordination();
        if (threads < 1) {
            throw new IllegalArgumentException("hogwild needs at least 1 thread, got " + threads);
        }
        if (co.attackers() > 0) {
            throw new IllegalArgumentException("hogwild does not simulate attackers (got " + co.attackers() + ")");
        }
        if (!co.meanAggregation()) {
            throw new IllegalArgumentException("hogwild applies each thread's gradient as it is; aggregator "
                    + co.aggregator() + " needs --trainer sync");
        }
        if (!s.layerCodecs().isEmpty()) {
            throw new IllegalArgumentException("hogwild sparsifies the whole gradient with one codec per thread; "
                    + "per-layer codecs " + s.layerCodecs() + " are not supported");
        }
        if (co.stragglerRank() >= threads) {
            throw new IllegalArgumentException("straggler " + co.stragglerRank() + " is not one of the " + threads
                    + " threads");
        }
        final DataParallelTrainer.Listener l = listener != null ? listener : new DataParallelTrainer.Listener() { };
        final Model model = Models.create(s.model(), train.shape(), train.classes());
        final int n = model.parameterCount();
        final int spe = DataParallelTrainer.stepsPerEpoch(s, train.size(), threads);
        if (spe < 1) {
            throw new IllegalArgumentException(train.name() + ": " + train.size() + " examples are fewer than "
                    + threads + " threads x batch " + s.batch());
        }
        final long total = (long) spe * s.epochs();
        final boolean locked = co.lockedUpdates();
        final boolean sparsify = !GradientExchange.isNone(s.codec());

        // per-thread state, made here so a checkpoint can be restored into it before the threads start
        final Optimizer[] opts = new Optimizer[threads];
        final GradientCodec[] codecs = new GradientCodec[threads];
        for (int t = 0; t < threads; t++) {
            opts[t] = Optimizers.create(s.optimizer(), n, total);
            codecs[t] = sparsify ? Codecs.create(s.codec(), s.seed() + t) : null;
        }
        final String plan = plan(threads, locked, codecs[0], co);
        // only checkpoints need it (resuming requires a checkpoint directory): hashing the data is a pass over it
        final String fp = s.checkpointDir() == null ? null
                : HogwildCheckpoints.fingerprint(s, model, opts[0], codecs[0], locked, threads, train);
        if (s.checkpointDir() != null && (long) n * threads > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot checkpoint " + threads + " threads' optimizer state of " + n
                    + " parameters in one array");
        }

        final float[] params = new float[n];
        model.initialize(params, s.seed());
        long start = 0;
        double elapsed = 0;
        final HogwildCheckpoints checkpoints = new HogwildCheckpoints(s);
        if (s.resume()) {
            Checkpoint c = checkpoints.resume(fp, spe, total, params, opts, codecs);
            if (c != null) {
                start = c.steps();
                elapsed = c.seconds();
            }
        }
        l.started(plan, spe, total, start);
        final int firstEpoch = (int) (start / spe);
        final int epochs = s.epochs();
        if (firstEpoch >= epochs) {
            return new DataParallelTrainer.Result(new ArrayList<>(), params, plan);
        }

        final HogwildRun run = new HogwildRun(threads);
        final HogwildWorker[] workers = new HogwildWorker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new HogwildWorker(t, threads, spe, run, model, params, train, s, opts[t], codecs[t], locked,
                    t == co.stragglerRank() ? co.stragglerSlowdown() : 1, t == 0 ? l : null, hook, firstEpoch,
                    epochs);
        }
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(workers[t], "scaleml-hogwild-" + t);
            ts[t].setDaemon(true);
        }
        List<EpochReport> reports = new ArrayList<>();
        Model.Workspace evalWs = model.workspace(DataParallelTrainer.EVAL_BATCH);
        int started = 0;
        boolean ok = false;
        try {
            for (Thread t : ts) {
                t.start();
                started++;
            }
            long updates = start * threads;
            for (int e = firstEpoch; e < epochs; e++) {
                long t0 = System.nanoTime();
                boolean go = run.await(); // go
                if (!go || !run.await()) { // then the end of the epoch
                    break;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                elapsed += secs;
                double lossSum = 0;
                long epochUpdates = 0;
                for (HogwildWorker w : workers) {
                    lossSum += w.epochLoss;
                    epochUpdates += w.epochSteps;
                }
                updates += epochUpdates;
                long correct = DataParallelTrainer.correct(model, params, test, 0, test.size(), evalWs);
                double acc = test.size() == 0 ? Double.NaN : (double) correct / test.size();
                EpochReport r = new EpochReport(e + 1, updates, (int) epochUpdates,
                        epochUpdates == 0 ? Double.NaN : lossSum / epochUpdates, acc, secs, elapsed, 0, 0,
                        secs > 0 ? epochUpdates / secs : 0, true);
                reports.add(r);
                l.epoch(r);
                long before = (long) e * spe;
                long after = before + spe;
                if (s.checkpointDir() != null && after / s.checkpointEvery() > before / s.checkpointEvery()) {
                    checkpoints.save(fp, after, elapsed, params, opts, codecs, n, l);
                }
            }
            ok = run.failure.get() == null;
        } finally {
            if (!ok) {
                run.stop(); // releases every worker, wherever it is
            }
            joinAll(ts, started);
        }
        HogwildRun.Failure f = run.failure.get();
        if (f != null) {
            Throwable c = f.cause();
            throw new InProcessJob.TrainingFailedException("hogwild thread scaleml-hogwild-" + f.thread() + " (of "
                    + threads + ") failed: " + (c.getMessage() == null ? c.toString() : c.getMessage()), c);
        }
        return new DataParallelTrainer.Result(reports, params, plan);
    }

    private static String plan(int threads, boolean locked, GradientCodec codec, Coordination co) {
        StringBuilder b = new StringBuilder("hogwild: ").append(threads).append(threads == 1 ? " thread, " :
                " threads, ").append(locked ? "locked updates" : "lock-free updates");
        if (codec != null) {
            b.append(", gradients sparsified by ").append(codec.spec()).append(" per thread");
        }
        if (co.stragglerRank() >= 0 && co.stragglerSlowdown() > 1) {
            b.append(", thread ").append(co.stragglerRank()).append(" slowed ").append(co.stragglerSlowdown())
                    .append('x');
        }
        return b.toString();
    }

    /** Waits for every started thread to end, even if interrupted meanwhile (the interrupt is kept). */
    private static void joinAll(Thread[] ts, int started) throws InterruptedException {
        boolean interrupted = false;
        for (int i = 0; i < started; i++) {
            while (true) {
                try {
                    ts[i].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            throw new InterruptedException("interrupted while stopping the hogwild threads");
        }
    }
}
