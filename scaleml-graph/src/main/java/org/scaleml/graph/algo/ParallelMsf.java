package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;
import static org.scaleml.graph.algo.ParallelRuns.LONGS;

import java.util.Arrays;
import java.util.Map;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Parallel minimum spanning forest of the undirected view: Boruvka rounds over a concurrent union-find, each
 * round two parallel phases run as tasks on the scheduler.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph, read as undirected exactly like {@link SequentialMsf}: candidates are the arcs
 *       {@code u -> v} with {@code u < v} of an undirected graph and every non-loop arc of a directed one;
 *       any {@code int} weights (negative too), 1 per arc if unweighted.</li>
 *   <li><b>Tie-breaking, hence a unique forest:</b> edges are compared by the key {@code (weight, arc index)},
 *       the same key {@link SequentialMsf} sorts by. All keys are distinct, so the minimum spanning forest
 *       under this order is unique, and this algorithm returns exactly Kruskal's arc set (in increasing arc
 *       order rather than Kruskal's order), its total weight and its edge count (the checksum is the weight).</li>
 *   <li><b>Relaxation cost:</b> none: the phases are order-insensitive, so no task is ever wasted; the
 *       scheduler is used as a parallel loop over blocks of 256 nodes (priority = block
 *       index). The counter {@link #ROUNDS} is the number of Boruvka rounds (at most about log2 n + 1).</li>
 *   <li><b>Complexity:</b> O(m) work per round plus near-constant-time finds, O(m log n) in the worst case;
 *       memory: 4 bytes per node (union-find), 8 per node (best edge per component), 1 bit per arc (chosen
 *       flags, as a {@code boolean[]}: 1 byte per arc).</li>
 *   <li><b>Thread safety / memory consistency:</b> stateless; each phase's writes happen-before the next phase
 *       (a scheduler run ends with all workers joined).</li>
 * </ul>
 */
public final class ParallelMsf {
    /*
     * Boruvka (1926) with a concurrent union-find. Each round:
     *
     *  1. Scan phase: for every candidate arc e = (u, v), ru = find(u), rv = find(v); if ru != rv, the key
     *     k = weight << 32 | e (signed weight in the high half, arc index < 2^31 in the low half, so signed long
     *     order is (weight, arc index) order) is min-CASed into best[ru] and best[rv]. Updating both endpoints'
     *     components matters: an undirected edge is a candidate only from its smaller endpoint, yet it leaves
     *     both components.
     *  2. Hook phase: for every component root r with best[r] set, union the endpoints of that arc; the worker
     *     whose union actually links two trees marks the arc as chosen. best[r] is reset on the way.
     *
     * Rounds repeat until one chooses nothing. Correctness: keys are distinct, so by the cut property the
     * lightest edge leaving a component is in the unique MSF; the chosen edges of a round are distinct MSF
     * edges and form a forest, so when a hook finds both ends already joined the link was made by that same
     * edge (chosen by both of its components), never by a cycle; each MSF edge is marked exactly once (by the
     * CAS that linked). Every round at least halves the number of non-final components.
     *
     * Union-find: MinLinkUnionFind (path halving with weakCompareAndSetRelease; the larger root linked under the
     * smaller with a volatile CAS on the root's own slot, so two concurrent links of the same root cannot both
     * succeed, and roots remain the smallest ids, as in UnionFind).
     *
     * [1] O. Boruvka, 1926; [2] D. Alistarh, A. Fedorov, N. Koval, "In Search of the Fastest Concurrent
     * Union-Find Algorithm", OPODIS 2019; [3] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, PODC 2018 (the
     * scheduler runtime).
     */
    private static final long NONE = Long.MAX_VALUE;

    /**
     * Name of the {@link Run#counters() counter} of Boruvka rounds executed (the last one chooses nothing).
     */
    public static final String ROUNDS = "rounds";

    private ParallelMsf() {
    }

    /** The minimum spanning forest of {@code g}'s undirected view, computed on {@code scheduler}. */
    public static Run<SpanningForest> run(CsrGraph g, Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        long start = System.nanoTime();
        final int n = g.nodes();
        final long[] off = g.offsets();
        final int[] tgt = g.targets();
        final int[] w = g.hasWeights() ? g.weights() : null;
        final boolean undirected = !g.isDirected();
        final int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        final long[] best = new long[n];
        Arrays.fill(best, NONE);
        final boolean[] chosen = new boolean[tgt.length];
        RunStats[] runs = new RunStats[16];
        int count = 0;
        int rounds = 0;
        final ParallelRuns.Counters linked = new ParallelRuns.Counters(scheduler.threads(), 1);
        long before = 0;
        while (true) {
            rounds++;
            RunStats scan = scheduler.runPartitioned(ParallelRuns.byBlock(n), (b, payload, ctx) -> {
                int from = (int) payload * ParallelRuns.BLOCK;
                int to = Math.min(n, from + ParallelRuns.BLOCK);
                for (int u = from; u < to; u++) {
                    int ru = -1;
                    for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                        int v = tgt[e];
                        if (v == u || (undirected && v < u)) {
                            continue;
                        }
                        if (ru < 0) {
                            ru = MinLinkUnionFind.find(parent, u);
                        }
                        int rv = MinLinkUnionFind.find(parent, v);
                        if (ru == rv) {
                            continue;
                        }
                        long key = ((long) (w == null ? 1 : w[e]) << 32) | e;
                        lowerTo(best, ru, key);
                        lowerTo(best, rv, key);
                    }
                }
                return true;
            });
            RunStats hook = scheduler.runPartitioned(ParallelRuns.byBlock(n), (b, payload, ctx) -> {
                int from = (int) payload * ParallelRuns.BLOCK;
                int to = Math.min(n, from + ParallelRuns.BLOCK);
                for (int r = from; r < to; r++) {
                    long key = best[r]; // written in the previous phase: visible after its run ended
                    if (key == NONE) {
                        continue;
                    }
                    best[r] = NONE; // only this task touches best[r] in this phase
                    int e = (int) key;
                    if (MinLinkUnionFind.union(parent, ParallelRuns.sourceOf(off, e), tgt[e])) {
                        chosen[e] = true;
                        linked.add(ctx.worker(), 0, 1);
                    }
                }
                return true;
            });
            if (count + 2 > runs.length) {
                runs = Arrays.copyOf(runs, runs.length * 2);
            }
            runs[count++] = scan;
            runs[count++] = hook;
            long now = linked.sum(0);
            if (now == before) {
                break;
            }
            before = now;
        }
        int edges = 0;
        long total = 0;
        int[] arcs = new int[(int) before];
        for (int e = 0; e < chosen.length; e++) {
            if (chosen[e]) {
                arcs[edges++] = e;
                total += w == null ? 1 : w[e];
            }
        }
        RunStats stats = ParallelRuns.combine(scheduler, runs, count, System.nanoTime() - start);
        return new Run<>(new SpanningForest(total, edges, arcs), stats, Map.of(ROUNDS, (long) rounds));
    }

    /** Lowers best[i] to key if key is smaller (a min-CAS loop; no write when it cannot help). */
    private static void lowerTo(long[] best, int i, long key) {
        long cur = (long) LONGS.getAcquire(best, i);
        while (key < cur) {
            long witness = (long) LONGS.compareAndExchange(best, i, cur, key);
            if (witness == cur) {
                return;
            }
            cur = witness;
        }
    }
}
