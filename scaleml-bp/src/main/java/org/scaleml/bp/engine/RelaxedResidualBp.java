package org.scaleml.bp.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import org.scaleml.sched.TaskContext;

/**
 * Residual BP on the relaxed priority scheduler, engine name {@code relaxed-residual} (over the MultiQueue with
 * temporal locality, {@value #QUEUE}); {@link SmqResidualBp} is the same algorithm on the stealing MultiQueue.
 *
 * <p><b>Contract.</b> A task is {@code (priority, edge)} with {@code priority = -doubleToRawLongBits(residual)}:
 * for positive doubles the raw bits grow with the value, so negating them makes larger residuals run first, with
 * no loss of precision. A task recomputes its edge's message and applies it if its residual is above epsilon,
 * then recomputes the residuals of the messages depending on it and pushes tasks for those above epsilon (policy
 * below). Updates count applied messages. When the scheduler runs dry, one sequential sweep measures every
 * residual exactly (on the run's threads, as is the initial sweep); if some are above epsilon (possible after
 * races, see below) those edges are seeded again and
 * the scheduler runs again, until the sweep finds none (converged, honest {@code maxResidual}) or the update budget
 * is spent (converged = false). The budget is checked in batches, so a run may pass {@code maxUpdates} by at most
 * {@code threads * batch} updates (batch 1 when {@code maxUpdates < 10^5}, else 256).
 *
 * <p><b>Push policy.</b> Each edge records the priority of its queued task (0: none). A new residual r above epsilon
 * is pushed if no task is queued, or if r exceeds {@code growth} times the queued residual. Both engines use
 * {@code growth = 2} ({@value #GROWTH}); {@code growth = infinity} (push once per activation, with no look-ahead
 * for queued edges) remains available to tests. A task whose priority is no longer the recorded one, or whose
 * message turns out to be within epsilon, is stale and counts as wasted.
 *
 * <p><b>Counters</b> ({@link BpResult#counters()}): {@value #STALE_TASKS} (wasted tasks), {@value #REQUEUES},
 * {@value #PRIORITY_INVERSIONS} and {@value #ROUNDS}, defined at the constants.
 *
 * <p><b>Thread safety.</b> Stateless engine; within a run see the class comment.
 */
public class RelaxedResidualBp implements BpEngine {
    /*
     * Algorithm: relaxed residual BP of Aksenov, Alistarh and Korhonen [1]: residual BP [2] where the exact
     * priority queue is replaced by a relaxed concurrent one (the MultiQueue [3]), so T threads take
     * near-highest-residual messages concurrently; the relaxation costs some extra updates and stale tasks. The
     * smq variant follows the stealing MultiQueue and lazy priority updates of Bassi, Posluns and Jeffrey [4].
     *
     * Concurrency design. (a) Messages live in one flat double[]; all messages into a variable v are guarded by
     * the sequence lock seq[v] of MessageStore: writers serialize on it, readers never block writers and retry on
     * a concurrent write, so every message and every variable-to-factor product is read as a consistent
     * snapshot of the messages into that variable, and doubles are never torn (opaque accesses). (b) The
     * recorded priority of each edge is a long updated by CAS: exactly one task claims a recorded priority
     * (CAS to 0) and so at most one task per push executes the update; a duplicate or superseded task fails its
     * check and is wasted. (c) A message is computed outside any lock, so two threads can update the same edge
     * concurrently from different snapshots, and a push decision can be made from a residual computed against
     * a message that is being replaced; both can leave a message above epsilon without a queued task. That is
     * tolerated by asynchronous BP and repaired by the final exact sweep (run after Scheduler.run returns, which
     * makes every write of every task happen-before it), which re-seeds every such edge. Hence converged = true
     * is reported only if a sequential sweep over the final messages found every residual at most epsilon.
     *
     * Where the time goes, and why the policy above (measured on 2 cores, frustrated Ising grids with couplings
     * and fields in [-1, 1]). Each applied message costs its own computation, ~3 look-ahead computations of its
     * dependents and the queue operations. Re-pushing on every increase (growth 1) made 42% of all tasks stale.
     * Pushing once per activation (growth infinity, this engine's earlier policy) cut the stale tasks to ~3% but
     * needed 2.7x the updates of exact residual BP on these grids: the queued priority is the residual at
     * activation, a lower bound of the current one, and the priorityInversions counter showed why: 240k of 1.5M
     * updates on a 150 x 150 grid ran with a residual more than twice their queued priority, i.e. they had waited
     * behind less urgent messages. Growth 2 bounds that error to a factor of two: about 1.2x the exact updates, for
     * ~25% stale tasks (the superseded copies), and inversions near zero. The sticky, buffered MultiQueue with a
     * long stickiness (64) and 32-element buffers takes most deletions from a heap top already in cache; measured
     * 3.4 s against 4.3 s for stickiness 8 on a 300 x 300 grid at 2 threads. The shared MessageStore lays out the
     * messages into a variable contiguously, keeps flat adjacency arrays and has a packed pairwise fast path, which
     * cuts the cache misses of every message computation (for the exact engine as well).
     *
     * [1] V. Aksenov, D. Alistarh, J. Korhonen, "Scalable Belief Propagation via Relaxed Scheduling",
     *     NeurIPS 2020.
     * [2] G. Elidan, I. McGraw, D. Koller, "Residual Belief Propagation", UAI 2006.
     * [3] H. Rihani, P. Sanders, R. Dementiev, "MultiQueues: Simple Relaxed Concurrent Priority Queues",
     *     SPAA 2015.
     * [4] Bassi, Posluns, Jeffrey, PGM 2026 (stealing MultiQueue, lazy priority updates for relaxed BP).
     */

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Per-worker counters, a cache line and more apart: fields at these offsets. */
    private static final int PAD = 16;
    private static final int UPDATES = 0;
    private static final int REQUEUED = 1;
    private static final int INVERTED = 2;

    /** Counter: tasks that found their edge superseded, claimed by a duplicate, or already within epsilon. */
    public static final String STALE_TASKS = "staleTasks";
    /** Counter: pushes of an edge that already had a task queued (its residual grew past {@code growth} times). */
    public static final String REQUEUES = "requeues";
    /**
     * Counter: applied updates whose residual when applied was more than {@value #INVERSION_FACTOR} times the
     * priority they were queued with, i.e. tasks that waited behind tasks of lower true residual.
     */
    public static final String PRIORITY_INVERSIONS = "priorityInversions";
    /** Counter: scheduler runs (each followed by an exact sweep). */
    public static final String ROUNDS = "rounds";
    /** See {@link #PRIORITY_INVERSIONS}. */
    static final double INVERSION_FACTOR = 2.0;
    /** Re-push factor of {@code relaxed-residual}. */
    static final double GROWTH = 2.0;

    private final String name;
    private final String queue;
    private final double growth;

    /** Queue of {@code relaxed-residual} and {@code relaxed-splash}: stickiness 64, 32-element buffers. */
    static final String QUEUE = "mq-tl:stick=64,ibuf=32,dbuf=32";

    public RelaxedResidualBp() {
        this("relaxed-residual", QUEUE, GROWTH);
    }

    /**
     * @param name   engine name
     * @param queue  scheduler / queue specification (see {@link Scheduler})
     * @param growth re-push when the residual exceeds {@code growth} times the queued one ({@code >= 1});
     *               {@code POSITIVE_INFINITY}: never re-push a queued edge, and skip its look-ahead residual
     */
    RelaxedResidualBp(String name, String queue, double growth) {
        this.name = name;
        this.queue = queue;
        this.growth = growth;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BpResult run(FactorGraph g, BpOptions o) {
        return runDetailed(g, o).result();
    }

    /** A run's result with the scheduler's task accounting summed over its rounds. */
    record Detailed(BpResult result, long tasks, long wasted, int rounds) {
    }

    static long priority(double residual) {
        return -Double.doubleToRawLongBits(residual);
    }

    static double residualOf(long priority) {
        return Double.longBitsToDouble(-priority);
    }

    Detailed runDetailed(FactorGraph g, BpOptions o) {
        long t0 = System.nanoTime();
        MessageStore st = new MessageStore(g, true);
        int edges = st.edges;
        double eps = o.epsilon();
        double damping = o.damping();
        int threads = o.threads();
        long max = o.maxUpdates();
        long[] recorded = new long[edges];
        long[] counts = new long[threads * PAD];
        MessageStore.Scratch[] scratch = new MessageStore.Scratch[threads];
        for (int k = 0; k < threads; k++) {
            scratch[k] = st.scratch();
        }
        int batch = max < 100_000 ? 1 : 256;
        AtomicLong reported = new AtomicLong();
        AtomicLong stopFlag = new AtomicLong();
        Scheduler sched = new Scheduler(queue, threads, o.seed());

        // initial residuals, on the run's threads
        double[] res = new double[edges];
        ResidualSweep.residuals(st, scratch, damping, res);
        int seeds = 0;
        for (int e = 0; e < edges; e++) {
            if (res[e] > eps) {
                recorded[e] = priority(res[e]);
                seeds++;
            }
        }
        long tasks = 0;
        long wasted = 0;
        int rounds = 0;
        double maxRes = 0;
        long lastUpdates = -1;
        while (seeds > 0) {
            rounds++;
            RunStats rs = sched.run(sink -> {
                for (int e = 0; e < edges; e++) {
                    long p = recorded[e];
                    if (p != 0) {
                        sink.push(p, e);
                    }
                }
            }, (p, payload, ctx) -> {
                if (stopFlag.getOpaque() != 0) {
                    return false;
                }
                int e = (int) payload;
                if ((long) LONGS.getAcquire(recorded, e) != p || !LONGS.compareAndSet(recorded, e, p, 0L)) {
                    return false; // stale: superseded by a newer push, or claimed by a duplicate
                }
                int w = ctx.worker();
                MessageStore.Scratch s = scratch[w];
                double r = st.residual(e, s, damping);
                if (r <= eps) {
                    return false; // already applied by a concurrent update: wasted
                }
                if (r > INVERSION_FACTOR * residualOf(p)) {
                    counts[w * PAD + INVERTED]++; // it waited behind tasks of lower true residual
                }
                st.write(e, s.out);
                long c = ++counts[w * PAD + UPDATES];
                if (c % batch == 0 && reported.addAndGet(batch) >= max) {
                    stopFlag.setOpaque(1);
                }
                st.forEachDependent(e, d -> consider(st, s, recorded, d, damping, eps, ctx, counts, w));
                if (damping > 0) {
                    consider(st, s, recorded, e, damping, eps, ctx, counts, w);
                }
                return true;
            });
            tasks += rs.tasks();
            wasted += rs.wastedTasks();
            long updates = sum(counts, UPDATES);
            // exact sweep: Scheduler.run returned, so every task's writes happen-before this
            java.util.Arrays.fill(recorded, 0L);
            maxRes = ResidualSweep.residuals(st, scratch, damping, res);
            seeds = 0;
            for (int e = 0; e < edges; e++) {
                if (res[e] > eps) {
                    recorded[e] = priority(res[e]);
                    seeds++;
                }
            }
            if (updates >= max || updates == lastUpdates) {
                break;
            }
            lastUpdates = updates;
        }
        if (rounds == 0) {
            maxRes = 0;
            for (int e = 0; e < edges; e++) {
                maxRes = Math.max(maxRes, res[e]);
            }
        }
        long updates = sum(counts, UPDATES);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(STALE_TASKS, wasted);
        counters.put(REQUEUES, sum(counts, REQUEUED));
        counters.put(PRIORITY_INVERSIONS, sum(counts, INVERTED));
        counters.put(ROUNDS, (long) rounds);
        BpResult r = new BpResult(name, st.marginals(), updates, System.nanoTime() - t0, maxRes <= eps, maxRes,
                List.of(name), counters);
        return new Detailed(r, tasks, wasted, rounds);
    }

    private void consider(MessageStore st, MessageStore.Scratch s, long[] recorded, int d, double damping,
                          double eps, TaskContext ctx, long[] counts, int w) {
        if (growth == Double.POSITIVE_INFINITY && (long) LONGS.getAcquire(recorded, d) != 0) {
            return; // never re-pushed while queued: its task recomputes the message, no look-ahead needed
        }
        double r = st.residual(d, s, damping);
        if (!(r > eps)) {
            return;
        }
        long np = priority(r);
        while (true) {
            long cur = (long) LONGS.getAcquire(recorded, d);
            if (cur != 0 && !(r > growth * residualOf(cur))) {
                return; // a task with a comparable or larger priority is queued: it will recompute the message
            }
            if (cur == np) {
                return;
            }
            if (LONGS.compareAndSet(recorded, d, cur, np)) {
                if (cur != 0) {
                    counts[w * PAD + REQUEUED]++;
                }
                ctx.push(np, d);
                return;
            }
        }
    }

    private static long sum(long[] counts, int field) {
        long s = 0;
        for (int i = field; i < counts.length; i += PAD) {
            s += counts[i];
        }
        return s;
    }
}
