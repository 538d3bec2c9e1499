package org.scaleml.bp.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Parallel splash BP on the relaxed priority scheduler, engine names {@code relaxed-splash} (the sticky MultiQueue
 * of {@code relaxed-residual}) and {@code smq-splash} (stealing MultiQueue): every task is a splash rooted at a
 * factor of high residual, taken from a relaxed concurrent queue by any of the threads.
 *
 * <p><b>Contract.</b> A task {@code (priority, factor f)} grows a breadth-first splash of at most {@code size}
 * factors around f over factors that share a variable, taking only factors with a message residual above epsilon
 * (the root always), and updates it from the fringe to the root and back out. Updating a factor recomputes each of
 * its outgoing messages and applies those whose residual is above epsilon ("smart splash": messages already within
 * epsilon are not rewritten); updates count applied messages. Then the residuals of the messages that depend on
 * the applied ones are recomputed once each, and their factors are pushed if above epsilon (a queued factor again
 * only when its residual more than doubled). Convergence, the final exact sweep, the marginals' accuracy and the
 * counters are those of {@link RelaxedResidualBp}; budgets under {@value #EXACT_BUDGET} updates are never passed,
 * larger ones by at most one splash per thread; {@code
 * priorityInversions} counts splashes whose root's residual when taken was more than twice its queued priority.
 *
 * <p><b>Thread safety.</b> Stateless engine; concurrent runs are independent.
 */
public class RelaxedSplashBp implements BpEngine {
    /*
     * Algorithm: the relaxed splash of Aksenov, Alistarh and Korhonen [1]: the Splash operation of Gonzalez, Low
     * and Guestrin [2] (a BFS tree of h factors updated leaves-to-root-to-leaves, the exact BP schedule of that
     * tree) scheduled by a relaxed concurrent priority queue over factors, with the smart-splash rule of [1]: grow
     * the splash only through factors with a residual above epsilon and rewrite only messages above epsilon, so no
     * work is spent on converged regions.
     *
     * Difference from the sequential splash (SplashBp): there every applied message immediately refreshes the
     * residuals of its dependents and their factors' heap keys, twice per splash for inner edges. Here the
     * dependents of all messages applied by one splash are collected (deduplicated by a per-thread stamp) and
     * recomputed once at its end; the splash itself does not need them, since every message it updates is
     * computed from the current state anyway. Factor keys are the maximum of their edges' residuals, kept in one
     * shared double[] (opaque accesses: a stale read only misorders a splash or grows it by a factor that turns
     * out to be converged).
     *
     * Concurrency is that of RelaxedResidualBp: messages into a variable are guarded by MessageStore's seqlock,
     * each factor's queued priority is a long claimed by CAS (one task per push executes), two splashes may
     * overlap and compute from different snapshots, and anything left above epsilon is found by the exact sweep
     * after the scheduler drains and seeded again.
     *
     * [1] V. Aksenov, D. Alistarh, J. Korhonen, "Scalable Belief Propagation via Relaxed Scheduling", NeurIPS 2020.
     * [2] J. Gonzalez, Y. Low, C. Guestrin, "Residual Splash for Optimally Parallelizing Belief Propagation",
     *     AISTATS 2009.
     */

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle DOUBLES = MethodHandles.arrayElementVarHandle(double[].class);
    private static final int PAD = 16;
    private static final int UPDATES = 0;
    private static final int REQUEUED = 1;
    private static final int INVERTED = 2;

    /** Default splash size (factors per splash). */
    public static final int DEFAULT_SIZE = 16;
    /** Budgets below this are never passed (counted per message); larger ones by at most a splash per thread. */
    static final long EXACT_BUDGET = 100_000;
    /** Re-push a queued factor when its residual exceeds this times its queued priority. */
    static final double GROWTH = 2.0;

    private final String name;
    private final String queue;
    private final int size;

    /** {@code relaxed-splash}: splashes of {@value #DEFAULT_SIZE} factors on the queue of {@code relaxed-residual}. */
    public RelaxedSplashBp() {
        this("relaxed-splash", RelaxedResidualBp.QUEUE, DEFAULT_SIZE);
    }

    /**
     * @param name  engine name
     * @param queue scheduler / queue specification (see {@link Scheduler})
     * @param size  factors per splash, at least 1
     */
    public RelaxedSplashBp(String name, String queue, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("splash size must be at least 1, got " + size);
        }
        this.name = name;
        this.queue = queue;
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BpResult run(FactorGraph g, BpOptions o) {
        return run(new MessageStore(g, true), o, System.nanoTime(), 0, name, List.of(name));
    }

    /**
     * Runs from the messages in {@code st} (a concurrent store), as the second stage of {@link AutoBp}.
     *
     * @param t0      start of the whole run (for the reported time)
     * @param prior   updates already spent on {@code st} (counted in the result and against the budget)
     * @param engine  the engine name to report
     * @param engines the engines to report as having run
     */
    BpResult run(MessageStore st, BpOptions o, long t0, long prior, String engine, List<String> engines) {
        FactorGraph g = st.g;
        Run run = new Run(st, o.withMaxUpdates(Math.max(1, o.maxUpdates() - prior)));
        int nf = g.factors();
        int seeds = run.sweepAndSeed();
        long wasted = 0;
        int rounds = 0;
        long lastUpdates = -1;
        Scheduler sched = new Scheduler(queue, o.threads(), o.seed());
        while (seeds > 0) {
            rounds++;
            RunStats rs = sched.run(sink -> {
                for (int f = 0; f < nf; f++) {
                    long p = run.recorded[f];
                    if (p != 0) {
                        sink.push(p, f);
                    }
                }
            }, (p, payload, ctx) -> run.splash(p, (int) payload, ctx));
            wasted += rs.wastedTasks();
            // Scheduler.run returned: every task's writes happen-before the exact sweep
            seeds = run.sweepAndSeed();
            long updates = run.sum(UPDATES);
            if (updates >= run.max || updates == lastUpdates) {
                break;
            }
            lastUpdates = updates;
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(RelaxedResidualBp.STALE_TASKS, wasted);
        counters.put(RelaxedResidualBp.REQUEUES, run.sum(REQUEUED));
        counters.put(RelaxedResidualBp.PRIORITY_INVERSIONS, run.sum(INVERTED));
        counters.put(RelaxedResidualBp.ROUNDS, (long) rounds);
        double maxRes = run.maxResidual;
        return new BpResult(engine, st.marginals(),
                prior + run.sum(UPDATES), System.nanoTime() - t0, maxRes <= o.epsilon(), maxRes, engines, counters);
    }

    /** The state of one run. */
    private final class Run {
        final MessageStore st;
        final FactorGraph g;
        final double eps;
        final double damping;
        final long max;
        /** Small budgets are counted message by message and never passed; large ones once per splash. */
        final boolean exactBudget;
        /** Residual of every edge (opaque accesses during a scheduler run). */
        final double[] res;
        /** Queued priority of every factor, 0 if none is queued. */
        final long[] recorded;
        final long[] counts;
        final AtomicLong reported = new AtomicLong();
        volatile boolean stop;
        final Worker[] workers;
        double maxResidual;

        Run(MessageStore st, BpOptions o) {
            this.st = st;
            this.g = st.g;
            this.eps = o.epsilon();
            this.damping = o.damping();
            this.max = o.maxUpdates();
            this.exactBudget = max < EXACT_BUDGET;
            this.res = new double[st.edges];
            this.recorded = new long[g.factors()];
            this.counts = new long[o.threads() * PAD];
            this.workers = new Worker[o.threads()];
            for (int k = 0; k < workers.length; k++) {
                workers[k] = new Worker(st, g.factors(), st.edges, size);
            }
        }

        /** Exact residuals of every edge; seeds every factor above epsilon; returns the number seeded. */
        int sweepAndSeed() {
            MessageStore.Scratch[] scratch = new MessageStore.Scratch[workers.length];
            for (int k = 0; k < scratch.length; k++) {
                scratch[k] = workers[k].s;
            }
            maxResidual = ResidualSweep.residuals(st, scratch, damping, res);
            Arrays.fill(recorded, 0L);
            int seeds = 0;
            for (int f = 0; f < recorded.length; f++) {
                double key = key(f);
                if (key > eps) {
                    recorded[f] = RelaxedResidualBp.priority(key);
                    seeds++;
                }
            }
            return seeds;
        }

        long sum(int field) {
            long s = 0;
            for (int i = field; i < counts.length; i += PAD) {
                s += counts[i];
            }
            return s;
        }

        /** A factor's residual: the largest residual of its outgoing messages. */
        double key(int f) {
            double m = 0;
            for (int e = st.factorEdgeOff[f], end = st.factorEdgeOff[f + 1]; e < end; e++) {
                m = Math.max(m, (double) DOUBLES.getOpaque(res, e));
            }
            return m;
        }

        /** One task: a splash rooted at factor {@code root}; false if stale. */
        boolean splash(long p, int root, org.scaleml.sched.TaskContext ctx) {
            if (stop) {
                return false;
            }
            if ((long) LONGS.getAcquire(recorded, root) != p || !LONGS.compareAndSet(recorded, root, p, 0L)) {
                return false; // superseded by a newer push, or claimed by a duplicate
            }
            double rootKey = key(root);
            if (!(rootKey > eps)) {
                return false; // converged meanwhile (another splash covered it)
            }
            int w = ctx.worker();
            Worker wk = workers[w];
            if (rootKey > RelaxedResidualBp.INVERSION_FACTOR * RelaxedResidualBp.residualOf(p)) {
                counts[w * PAD + INVERTED]++;
            }
            int n = wk.grow(root, this);
            long applied = 0;
            for (int i = n - 1; i >= 0 && !stop; i--) {
                applied += update(wk, wk.order[i]);
            }
            for (int i = 1; i < n && !stop; i++) {
                applied += update(wk, wk.order[i]);
            }
            counts[w * PAD + UPDATES] += applied;
            if (!exactBudget && applied > 0 && reported.addAndGet(applied) >= max) {
                stop = true; // one atomic per splash: the budget may be passed by one splash per thread
            }
            // the residuals of every message depending on an applied one, once each; their factors are pushed
            wk.stamp++;
            for (int i = 0; i < wk.dirtyCount; i++) {
                int d = wk.dirty[i];
                DOUBLES.setOpaque(res, d, st.residual(d, wk.s, damping));
            }
            for (int i = 0; i < wk.dirtyCount; i++) {
                int h = st.edgeFactor[wk.dirty[i]];
                if (wk.factorMark[h] != wk.stamp) {
                    wk.factorMark[h] = wk.stamp;
                    consider(h, ctx, w);
                }
            }
            wk.dirtyCount = 0;
            return applied > 0;
        }

        /** Applies every outgoing message of {@code f} above epsilon; returns how many were applied. */
        private int update(Worker wk, int f) {
            int applied = 0;
            for (int e = st.factorEdgeOff[f], end = st.factorEdgeOff[f + 1]; e < end; e++) {
                double r = st.residual(e, wk.s, damping);
                if (r > eps) {
                    if (exactBudget && reported.incrementAndGet() > max) {
                        stop = true;
                        DOUBLES.setOpaque(res, e, r);
                        return applied;
                    }
                    st.write(e, wk.s.out);
                    applied++;
                    DOUBLES.setOpaque(res, e, damping > 0 ? st.residual(e, wk.s, damping) : 0.0);
                    wk.markDependents(st, e);
                } else {
                    DOUBLES.setOpaque(res, e, r);
                }
            }
            return applied;
        }

        private void consider(int h, org.scaleml.sched.TaskContext ctx, int w) {
            double key = key(h);
            if (!(key > eps)) {
                return;
            }
            long np = RelaxedResidualBp.priority(key);
            while (true) {
                long cur = (long) LONGS.getAcquire(recorded, h);
                if (cur != 0 && !(key > GROWTH * RelaxedResidualBp.residualOf(cur))) {
                    return; // queued with a comparable priority: that splash will see the current state
                }
                if (LONGS.compareAndSet(recorded, h, cur, np)) {
                    if (cur != 0) {
                        counts[w * PAD + REQUEUED]++;
                    }
                    ctx.push(np, h);
                    return;
                }
            }
        }
    }

    /** One thread's scratch space. */
    private static final class Worker {
        final MessageStore.Scratch s;
        final int[] order;
        /** Per-factor and per-edge stamps (this worker's: no sharing). */
        final int[] factorMark;
        final int[] edgeMark;
        int stamp;
        int[] dirty = new int[64];
        int dirtyCount;

        Worker(MessageStore st, int factors, int edges, int size) {
            this.s = st.scratch();
            this.order = new int[size];
            this.factorMark = new int[factors];
            this.edgeMark = new int[edges];
        }

        /** BFS over factors sharing a variable from {@code root}, through factors above epsilon; returns the size. */
        int grow(int root, Run run) {
            MessageStore st = run.st;
            stamp++;
            int n = 0;
            order[n++] = root;
            factorMark[root] = stamp;
            for (int head = 0; head < n && n < order.length; head++) {
                int f = order[head];
                for (int e = st.factorEdgeOff[f], eEnd = st.factorEdgeOff[f + 1]; e < eEnd; e++) {
                    int v = st.edgeVar[e];
                    for (int k = st.varFactorOff[v], kEnd = st.varFactorOff[v + 1]; k < kEnd && n < order.length;
                         k++) {
                        int h = st.varFactor[k];
                        if (factorMark[h] != stamp && run.key(h) > run.eps) {
                            factorMark[h] = stamp;
                            order[n++] = h;
                        }
                    }
                }
            }
            stamp++; // the edge stamps of this splash's dirty set
            return n;
        }

        void markDependents(MessageStore st, int e) {
            st.forEachDependent(e, d -> {
                if (edgeMark[d] != stamp) {
                    edgeMark[d] = stamp;
                    if (dirtyCount == dirty.length) {
                        dirty = Arrays.copyOf(dirty, dirtyCount * 2);
                    }
                    dirty[dirtyCount++] = d;
                }
            });
        }
    }
}
