package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Parallel connected components of the undirected view on the relaxed scheduler: priority-ordered propagation
 * of the smallest node id, tasks {@code (label, node)}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Output:</b> exactly {@link SequentialComponents}'s {@link Components}: every node labelled with the
 *       smallest id in its component (weakly connected for a directed graph; self loops ignored), and the
 *       component count (the checksum).</li>
 *   <li><b>Relaxation cost:</b> a task is wasted when its node's label dropped after it was pushed. Seeds are
 *       the local minima (nodes without a smaller neighbour); even with an exact scheduler on one thread every
 *       local minimum that is not its component's minimum has a wasted seed (its component's minimum floods
 *       it first), so wasted = local minima - components there; relaxed queues add partial floods of
 *       non-minimal labels.</li>
 *   <li><b>Complexity:</b> 4 bytes per node; for a directed graph also its transpose (built per call, the size
 *       of the graph). O(m) per label a node receives; with the exact order that is one label per node.</li>
 *   <li><b>Thread safety / memory consistency:</b> stateless; the result is complete when {@code run}
 *       returns.</li>
 * </ul>
 */
public final class ParallelComponents {
    /*
     * Algorithm. label[v] = v initially. The partitioned seeder pushes (v, v) for every node v that has no
     * neighbour smaller than itself (out- or in-arcs), which includes every component's minimum m. A task
     * (l, v) is stale if label[v] < l; otherwise it min-CASes l into every neighbour and pushes (l, u) for the
     * neighbours it lowered. Labels only decrease and are always ids of nodes in the same component, so they
     * never go below the component minimum m; m's seed floods the whole component with m (any node that gets
     * m forwards it), hence at the fixpoint label[v] = m for all v. Nodes that are not local minima need no
     * seed: a smaller neighbour will lower them. Priority = label, so the exact schedule floods components in
     * order of their minima and each node is relabelled once; the MultiQueue schedules approximate that
     * (PODC 2018 [1]: relaxed executions of such incremental algorithms pay extra work bounded in the
     * relaxation, not in n). getAcquire / compareAndExchange on label[] as in ParallelSssp.
     *
     * A concurrent union-find (Alistarh, Fedorov, Koval, OPODIS 2019) would need no transpose; propagation is
     * used here because it shows the scheduler's relaxation cost, and the union-find is in ParallelMsf.
     *
     * [1] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018. [2] D. Alistarh, G. Nadiradze, N. Koval, SPAA 2019.
     */

    private ParallelComponents() {
    }

    /** Connected components of {@code g}'s undirected view, computed on {@code scheduler}. */
    public static Run<Components> run(CsrGraph g, Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        final int n = g.nodes();
        final ParallelRuns.Neighbours nb = new ParallelRuns.Neighbours(g);
        final long[][] offs = nb.off;
        final int[][] tgts = nb.tgt;
        final int passes = offs.length;
        final int[] label = new int[n];
        for (int v = 0; v < n; v++) {
            label[v] = v;
        }
        RunStats stats = scheduler.runPartitioned(ParallelRuns.byNode(n, (v, sink) -> {
            for (int p = 0; p < passes; p++) {
                long[] off = offs[p];
                int[] tgt = tgts[p];
                for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                    if (tgt[e] < v) {
                        return; // not a local minimum
                    }
                }
            }
            sink.push(v, v);
        }), (l, payload, ctx) -> {
            int v = (int) payload;
            int lab = (int) l;
            if (lab > (int) INTS.getAcquire(label, v)) {
                return false; // stale
            }
            for (int p = 0; p < passes; p++) {
                long[] off = offs[p];
                int[] tgt = tgts[p];
                for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                    int u = tgt[e];
                    int cur = (int) INTS.getAcquire(label, u);
                    while (lab < cur) {
                        int witness = (int) INTS.compareAndExchange(label, u, cur, lab);
                        if (witness == cur) {
                            ctx.push(lab, u);
                            break;
                        }
                        cur = witness;
                    }
                }
            }
            return true;
        });
        int count = 0;
        for (int v = 0; v < n; v++) {
            if (label[v] == v) {
                count++;
            }
        }
        return new Run<>(new Components(label, count), stats);
    }
}
