package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;

import java.util.Arrays;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Parallel breadth-first search on the relaxed scheduler: hop levels by priority-ordered label correcting on
 * {@code int} levels, tasks {@code (level, node)}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Output:</b> exactly the levels of {@link SequentialBfs} (out-arcs followed, weights ignored, {@link
 *       SequentialBfs#UNREACHED} = -1 where unreachable), on every scheduler and thread count, as a {@link
 *       BfsTree} (checksum: the sum of the levels reached; parents derived on first use, after the run),
 *       beside the run's {@link RunStats}.</li>
 *   <li><b>Relaxation cost:</b> a task is wasted when its node's level dropped after it was pushed. With an
 *       exact scheduler on one thread there is none: in level order the first level a node receives is final,
 *       so tasks = reachable nodes and wasted = 0. Relaxed queues may settle a node at too deep a level first;
 *       the correction costs one more (useful) task and leaves a stale one.</li>
 *   <li><b>Complexity:</b> 4 bytes per node plus the queue; O(m) work times (1 + extra-work ratio), plus the
 *       queue's cost per task.</li>
 *   <li><b>Thread safety / memory consistency:</b> stateless; the returned array is fully written when
 *       {@code run} returns.</li>
 * </ul>
 */
public final class ParallelBfs {
    /*
     * The SSSP scheme of ParallelSssp with unit weights on an int[] of levels (half the memory traffic of a
     * long[] distance array): pop (l, v); stale if l > level[v]; else, for each out-neighbour u, min-CAS
     * level[u] down to l + 1 and push (l + 1, u) if this task's CAS lowered it. Unreached is stored as
     * Integer.MAX_VALUE during the run (so that "smaller is better" needs no special case) and rewritten to -1
     * at the end. getAcquire / compareAndExchange as in ParallelSssp. With obim:delta=0 every level is a bucket,
     * which is the Galois BFS; larger deltas merge levels and cost corrections.
     *
     * [1] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018. [2] A. Postnikova, N. Koval, G. Nadiradze, D. Alistarh, "Multi-Queues
     *     Can Be State-of-the-Art Priority Schedulers", PPoPP 2022.
     */

    private ParallelBfs() {
    }

    /**
     * Hop levels from {@code source}, computed on {@code scheduler}.
     *
     * @throws IllegalArgumentException if {@code source} is out of range
     */
    public static Run<BfsTree> run(CsrGraph g, int source, Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        SequentialDijkstra.checkNode(g, source, "source");
        final long[] off = g.offsets();
        final int[] tgt = g.targets();
        final int[] level = new int[g.nodes()];
        Arrays.fill(level, Integer.MAX_VALUE);
        level[source] = 0;
        RunStats stats = scheduler.run(sink -> sink.push(0, source), (l, payload, ctx) -> {
            int v = (int) payload;
            if (l > (int) INTS.getAcquire(level, v)) {
                return false; // stale
            }
            int next = (int) l + 1;
            for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                int u = tgt[e];
                int cur = (int) INTS.getAcquire(level, u);
                while (next < cur) {
                    int witness = (int) INTS.compareAndExchange(level, u, cur, next);
                    if (witness == cur) {
                        ctx.push(next, u);
                        break;
                    }
                    cur = witness;
                }
            }
            return true;
        });
        long sum = 0;
        int reachable = 0;
        for (int v = 0; v < level.length; v++) {
            if (level[v] == Integer.MAX_VALUE) {
                level[v] = SequentialBfs.UNREACHED;
            } else {
                sum += level[v];
                reachable++;
            }
        }
        return new Run<>(BfsTree.of(g, source, level, new DistanceChecksum(sum, reachable)), stats);
    }
}
