package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.LONGS;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Parallel single-source shortest paths on the relaxed scheduler: priority-ordered label correcting, with
 * tasks {@code (distance, node)}.
 *
 * <pre>{@code
 * Run<ShortestPaths> r = ParallelSssp.run(g, source, new Scheduler("mq", 2, 42));
 * r.result().dist();        // equals SequentialDijkstra.distances(g, source)
 * r.result().pathTo(t);     // a shortest path, parents derived on first use
 * r.stats().wastedTasks();  // stale tasks: the relaxation cost
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any {@link CsrGraph} with non-negative weights (weight 1 per arc if unweighted); out-arcs
 *       are followed. Works on every scheduler, exact or relaxed.</li>
 *   <li><b>Output:</b> exactly the distances of {@link SequentialDijkstra} ({@link
 *       SequentialDijkstra#UNREACHABLE} where unreachable), on every scheduler and thread count, as {@link
 *       ShortestPaths} (checksum computed, parents derived after the run on first use, outside the timed
 *       search), beside the run's {@link RunStats}; {@link ShortestPaths#settled()} counts the useful
 *       tasks.</li>
 *   <li><b>Relaxation cost:</b> a task is <em>wasted</em> (stale) when its node's distance improved after it was
 *       pushed. {@code tasks - reachable} is the extra work over Dijkstra (one useful task per reachable node);
 *       with an exact scheduler on one thread every reachable node has exactly one useful task, while stale
 *       duplicates can still exist (lazy deletion, no decrease-key). Relaxed schedulers add re-settlements:
 *       a node settled too early with a too-long distance is settled again (useful, but extra).</li>
 *   <li><b>Complexity:</b> O(n) memory for the distances (8 bytes per node) plus the queue; the work is
 *       Dijkstra's O(m log n) times (1 + extra-work ratio); one O(m) scan for negative weights.</li>
 *   <li><b>Thread safety:</b> stateless; concurrent calls are independent. The graph is only read.</li>
 *   <li><b>Memory consistency:</b> everything written by the run happens-before {@code run} returns, so the
 *       returned array needs no synchronization.</li>
 * </ul>
 */
public final class ParallelSssp {
    /*
     * Algorithm. dist[] starts at +inf except dist[source] = 0, and the seed task is (0, source). A worker pops
     * (d, v); if d > dist[v] the task is stale: a shorter path to v was published after it was pushed, and the
     * task that carries that shorter distance exists (it was pushed by the CAS winner), so this one returns
     * false. Otherwise it relaxes v's out-arcs: for each arc (v, u, w) it lowers dist[u] to d + w with a
     * min-CAS loop and, if and only if its own CAS installed the new value, pushes (d + w, u). Every strict
     * decrease of dist[u] is thus owned by exactly one task, which is why no two tasks carry the same (d, u).
     *
     * Correctness on any queue (label correcting, Bellman-Ford-like): at termination no task is left, and for
     * every node v with finite dist[v] the task carrying dist[v] was executed after dist[v] got that value, so
     * every arc (v, u) satisfies dist[u] <= dist[v] + w. Together with dist[u] always being the length of some
     * path, this is the fixpoint, i.e. the exact distances. The queue's order only decides how much is redone.
     *
     * Memory ordering. dist[] is a plain long[] accessed through one VarHandle: getAcquire for the stale test and
     * the first read of a relaxation, compareAndExchange (volatile) to lower it. The distance is the only datum a
     * task communicates, and pushing a task happens-before its execution (scheduler contract), so acquire reads
     * are enough to see at least the value that caused the push; a newer (smaller) value only makes the task
     * stale sooner. On x86 and AArch64 the CAS costs the same in any mode, so the volatile one is used.
     *
     * Schedulers. With `exact` on one thread this is Dijkstra with lazy deletion. With `mq`/`mq-tl`/`smq` it is
     * the MultiQueue SSSP of [3]: rank errors of the relaxed queue cause bounded extra settlements [1, 2]. With
     * `obim:delta=k` it behaves like delta-stepping [4] with bucket width 2^k: buckets are processed in order,
     * the tasks inside one bucket in any order and in parallel; unlike Meyer and Sanders there is no separate
     * light/heavy edge phase, a heavy edge just lands in a later bucket.
     *
     * [1] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018.
     * [2] D. Alistarh, G. Nadiradze, N. Koval, "Efficiency Guarantees for Parallel Incremental Algorithms under
     *     Relaxed Schedulers", SPAA 2019.
     * [3] A. Postnikova, N. Koval, G. Nadiradze, D. Alistarh, "Multi-Queues Can Be State-of-the-Art Priority
     *     Schedulers", PPoPP 2022.
     * [4] U. Meyer, P. Sanders, "Delta-stepping: a parallelizable shortest path algorithm", J. Algorithms 2003.
     */

    private ParallelSssp() {
    }

    /**
     * Distances from {@code source} to every node, computed on {@code scheduler}.
     *
     * @throws IllegalArgumentException if {@code source} is out of range or a weight is negative
     * @throws NullPointerException     if {@code g} or {@code scheduler} is null
     */
    public static Run<ShortestPaths> run(CsrGraph g, int source, Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        SequentialDijkstra.checkNode(g, source, "source");
        SequentialDijkstra.checkNonNegative(g);
        final long[] off = g.offsets();
        final int[] tgt = g.targets();
        final int[] w = g.hasWeights() ? g.weights() : null;
        final long[] dist = SequentialDijkstra.newDistances(g.nodes());
        dist[source] = 0;
        RunStats stats = scheduler.run(sink -> sink.push(0, source), (d, payload, ctx) -> {
            int v = (int) payload;
            if (d > (long) LONGS.getAcquire(dist, v)) {
                return false; // stale
            }
            for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                int u = tgt[e];
                long nd = d + (w == null ? 1 : w[e]);
                long cur = (long) LONGS.getAcquire(dist, u);
                while (nd < cur) {
                    long witness = (long) LONGS.compareAndExchange(dist, u, cur, nd);
                    if (witness == cur) {
                        ctx.push(nd, u);
                        break;
                    }
                    cur = witness;
                }
            }
            return true;
        });
        return new Run<>(ShortestPaths.withDerivedParents(g, source, dist, stats.usefulTasks(),
                DistanceChecksum.of(dist)), stats);
    }
}
