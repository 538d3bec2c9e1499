package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;

import java.util.Arrays;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;
import org.scaleml.sched.TaskContext;

/**
 * Parallel greedy maximal matching by relaxed execution of the sequential greedy edge order (PODC 2018):
 * returns exactly {@link SequentialGreedyMatching#run(CsrGraph, long)}'s matching, on every scheduler and
 * thread count.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph, read as undirected like the sequential version: one task per candidate arc
 *       ({@code u -> v} with {@code u < v} of an undirected graph, every non-loop arc of a directed one, whose
 *       transpose is built per call to find in-arcs); the order is {@link GreedyOrder#edgePriority} under
 *       {@code orderSeed}, so both arcs of an edge and parallel arcs are one pair with one priority.</li>
 *   <li><b>Output:</b> the lexicographically first maximal matching, as {@link Matching}; checksum = its
 *       size.</li>
 *   <li><b>Relaxation cost:</b> one seed task per candidate arc; a failed pop (an earlier adjacent edge still
 *       undecided) returns false and counts as wasted, as does a retried task whose edge turned out OUT. With an
 *       exact scheduler on one thread no pop fails: wasted = 0. Failed pops park on the blocking node rather
 *       than spin through the queue (see {@link ParallelGreedyMis}).</li>
 *   <li><b>Complexity:</b> 8 bytes per node (mates, wait-list heads) and 4 per arc (wait-list links); a pop
 *       scans the adjacency lists of both endpoints. Task priorities are the raw 64-bit {@link GreedyOrder}
 *       priorities (see {@link ParallelGreedyMis} about obim's delta).</li>
 *   <li><b>Thread safety / memory consistency:</b> stateless; the result is complete when {@code run}
 *       returns.</li>
 * </ul>
 */
public final class ParallelGreedyMatching {
    /*
     * The only shared state is mate[] (-1 = free), through INTS: getAcquire reads, volatile CAS writes; each
     * node's mate is written once. An edge has no state of its own: f = {x, y} counts as DECIDED once x or y
     * is matched (if by f itself, f is IN; otherwise f is OUT, see below), and as UNDECIDED while both are
     * free. Task payload: the candidate arc's source << 32 | arc index (sign bit: a retried task); priority:
     * p(e) = edgePriority.
     *
     * Popping e = {a, b} (a < b):
     *   1. a or b matched: e is OUT; done.
     *   2. for each earlier adjacent edge f = {x, y} (x in {a, b}, y not in {a, b}, p(f) < p(e)): if
     *      mate[y] == x, f itself is IN and e is OUT (the two mate writes of an IN edge may become visible in
     *      either order, because a twin task of the same pair may write them in the opposite order, so seeing
     *      y's side first must already count); if x and y
     *      are both free, f is undecided: failed pop; park e on y's wait list (push it again at once if y's list
     *      is closed) and return false (wasted). Waiting for y suffices: f gets decided when x or y is
     *      matched, and if x is, e is OUT and need not run again; f cannot stay undecided forever (by
     *      induction, the smallest undecided edge always succeeds).
     *   3. re-read mate[a], mate[b] (after all reads of step 2); if one is matched, e is OUT;
     *   4. else e is IN: CAS mate[a] = b, then mate[b] = a; then close a's and b's wait lists, pushing the
     *      parked edges again (the parker read the node free before parking; closing after the CAS means no
     *      wake-up is lost, as in ParallelGreedyMis).
     * Exactness by induction over the order (sequential rule: e IN iff no earlier adjacent edge is IN). Matches
     * only ever come from IN decisions, which are correct by hypothesis. In step 1 a node matched by an earlier
     * edge makes e OUT (sequential rule); a node matched by a LATER edge g means g's task saw e decided, i.e.
     * an endpoint of e matched earlier than g was written, so e is OUT too. In step 4, every earlier adjacent
     * f = {x, y} had y matched while x was free; y's mate came from an IN edge h, and h is earlier than f (if
     * h were later, h's task would have seen f decided, i.e. x matched, since y was free then; but x is still
     * free when step 3 reads it after reading y's mate, and acquire/release makes that order stick), so f is
     * OUT; hence no earlier adjacent edge is IN and e is IN. Step 4's CASes cannot fail except for a parallel
     * twin of e (same pair, same priority: a parallel arc or the reverse arc of a directed graph) that won it;
     * the twin writes the same pairing, so a failed CAS that finds the partner already written is fine, and
     * both twins close both wait lists (idempotent) so that a split of the two CASes loses no wake-up.
     * Anything else would be a bug and throws.
     *
     * [1] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018. [2] D. Alistarh, G. Nadiradze, N. Koval, SPAA 2019. [3] G. E.
     *     Blelloch, J. T. Fineman, J. Shun, SPAA 2012.
     */

    /** Payload flag of a task pushed again after a failed pop. */
    private static final long AGAIN = Long.MIN_VALUE;

    private ParallelGreedyMatching() {
    }

    /** Task payload: the candidate arc's source in bits 32..62, the arc index in bits 0..31. */
    private static long task(int source, int arc) {
        return (long) source << 32 | arc;
    }

    /** Called once per node, right after it is matched: pushes the edges parked on it again. */
    private static void wake(ParallelRuns.WaitLists waits, int node, long[] off, int[] tgt, long orderSeed,
                             TaskContext ctx) {
        waits.close(node, arc -> {
            int source = ParallelRuns.sourceOf(off, arc); // O(log n), only for woken tasks
            ctx.push(GreedyOrder.edgePriority(source, tgt[arc], orderSeed), task(source, arc) | AGAIN);
        });
    }

    /** The greedy maximal matching of {@code g}'s undirected view in the order of {@code orderSeed}. */
    public static Run<Matching> run(CsrGraph g, long orderSeed, Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        final int n = g.nodes();
        final long[] gOff = g.offsets();
        final int[] gTgt = g.targets();
        final boolean undirected = !g.isDirected();
        final ParallelRuns.Neighbours nb = new ParallelRuns.Neighbours(g);
        final long[][] offs = nb.off;
        final int[][] tgts = nb.tgt;
        final int passes = offs.length;
        final int[] mate = new int[n];
        Arrays.fill(mate, -1);
        final ParallelRuns.WaitLists waits = new ParallelRuns.WaitLists(n, gTgt.length);
        RunStats stats = scheduler.runPartitioned(ParallelRuns.byNode(n, (u, sink) -> {
            for (int e = (int) gOff[u], end = (int) gOff[u + 1]; e < end; e++) {
                int v = gTgt[e];
                if (v == u || (undirected && v < u)) {
                    continue;
                }
                sink.push(GreedyOrder.edgePriority(u, v, orderSeed), task(u, e));
            }
        }), (p, payload, ctx) -> {
            int arc = (int) payload;
            int a = (int) (payload >>> 32) & Integer.MAX_VALUE;
            int b = gTgt[arc];
            boolean again = payload < 0; // pushed again after a failed pop
            if ((int) INTS.getAcquire(mate, a) >= 0 || (int) INTS.getAcquire(mate, b) >= 0) {
                return !again; // OUT (for a retried task the decision was already implied: extra work)
            }
            for (int side = 0; side < 2; side++) {
                int x = side == 0 ? a : b;
                int other = side == 0 ? b : a;
                for (int k = 0; k < passes; k++) {
                    long[] off = offs[k];
                    int[] tgt = tgts[k];
                    for (int e = (int) off[x], end = (int) off[x + 1]; e < end; e++) {
                        int y = tgt[e];
                        if (y == x || y == other || GreedyOrder.edgePriority(x, y, orderSeed) >= p) {
                            continue;
                        }
                        int mateOfY = (int) INTS.getAcquire(mate, y);
                        if (mateOfY == x) {
                            // f itself is IN (its two mate writes may land in either order, so x's may not be
                            // visible yet): x is matched by an earlier edge, e is OUT
                            return !again;
                        }
                        if (mateOfY < 0) {
                            if ((int) INTS.getAcquire(mate, x) >= 0) {
                                return !again; // x got matched meanwhile: e is OUT
                            }
                            // failed pop: {x, y} is undecided; wait until y is matched (if x is matched
                            // instead, e is OUT and never needs to run again)
                            if (!waits.park(y, arc)) {
                                ctx.push(p, payload | AGAIN);
                            }
                            return false;
                        }
                    }
                }
            }
            if ((int) INTS.getAcquire(mate, a) >= 0 || (int) INTS.getAcquire(mate, b) >= 0) {
                return !again; // OUT
            }
            // A twin task of the same pair (a parallel arc, or the reverse arc of a directed graph) may run at
            // the same time and win either CAS, or both; it writes the same pairing. Whoever gets here closes
            // both wait lists (closing is idempotent), so no wake-up is lost when the twins split the CASes.
            boolean first = INTS.compareAndSet(mate, a, -1, b);
            if (!first && (int) INTS.getAcquire(mate, a) != b) {
                throw new IllegalStateException("bug: node " + a + " matched concurrently");
            }
            boolean second = INTS.compareAndSet(mate, b, -1, a);
            if (!second && (int) INTS.getAcquire(mate, b) != a) {
                throw new IllegalStateException("bug: node " + b + " matched concurrently");
            }
            wake(waits, a, gOff, gTgt, orderSeed, ctx);
            wake(waits, b, gOff, gTgt, orderSeed, ctx);
            return first || second || !again;
        });
        int size = 0;
        for (int v = 0; v < n; v++) {
            if (mate[v] > v) {
                size++;
            }
        }
        return new Run<>(new Matching(mate, size), stats);
    }
}
