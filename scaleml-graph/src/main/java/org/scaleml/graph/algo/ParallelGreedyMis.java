package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.BYTES;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;
import org.scaleml.sched.TaskContext;

/**
 * Parallel greedy maximal independent set by relaxed execution of the sequential greedy order (PODC 2018):
 * returns exactly {@link SequentialGreedyMis#run(CsrGraph, long)}'s set, on every scheduler and thread count.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph, read as undirected (for a directed graph in- and out-neighbours count; its
 *       transpose is built per call); self loops ignored; the order is {@link GreedyOrder#nodePriority} under
 *       {@code orderSeed}.</li>
 *   <li><b>Output:</b> the lexicographically first MIS in that order, as {@link IndependentSet}; the checksum
 *       is its size.</li>
 *   <li><b>Relaxation cost:</b> one seed task per node; a <em>failed pop</em> (the node popped while an earlier
 *       neighbour is still undecided) returns false and counts as wasted, as does a retried task that finds its
 *       node already knocked out. {@code tasks - n} is the extra work over the sequential loop. With an exact
 *       scheduler on one thread no pop fails: tasks = n, wasted = 0. PODC 2018 bounds the expected extra pops
 *       of a k-relaxed queue by poly(k), independent of n.</li>
 *   <li><b>Failed pops park, they do not spin:</b> the failed task is not pushed straight back (on queues that
 *       serve a handle's own recent inserts first, e.g. {@code mq-tl}'s insertion buffer, that can loop forever
 *       on one task; on an exact queue with several threads it re-pops itself while the blocker is being
 *       decided by another thread); it parks on the blocking neighbour and is pushed again when that
 *       neighbour is decided. So every retry follows progress, and a run's failed pops are at most the number
 *       of (node, earlier neighbour) pairs.</li>
 *   <li><b>Complexity:</b> 1 byte of state and 8 bytes of wait lists per node; each pop scans the node's
 *       neighbours once (failed pops again). Task priorities are the raw 64-bit {@link GreedyOrder} priorities (no sort): exact for every
 *       queue, but for {@code obim} choose a large delta (about {@code 64 - log2(n)} puts a handful of nodes in
 *       a bucket), since with the default every task gets a bucket of its own.</li>
 *   <li><b>Thread safety / memory consistency:</b> stateless; the result is complete when {@code run}
 *       returns.</li>
 * </ul>
 */
public final class ParallelGreedyMis {
    /*
     * State per node: UNDECIDED -> IN or UNDECIDED -> OUT, each node changing once, through BYTES (getAcquire
     * reads, volatile CAS writes). Every node gets one seed task (p(v), v). Popping v:
     *   - already decided (knocked out by an IN neighbour): done;
     *   - some earlier neighbour (smaller priority) is IN: v is OUT, whatever the other neighbours are;
     *   - else, some earlier neighbour u is UNDECIDED: failed pop; park v on u's wait list (or, if u's list is
     *     already closed, push v again at once) and return false (wasted);
     *   - else (all earlier neighbours OUT): v is IN, and every later neighbour still undecided is set OUT
     *     (saves them a scan; they would find v anyway).
     * Whoever moves a node out of UNDECIDED (its own task, or an IN neighbour knocking it out) then closes the
     * node's wait list and pushes the parked tasks again, flagged in the payload's sign bit.
     *
     * Exactness, by induction over the greedy order: every decision is taken from final decisions of earlier
     * neighbours, which equal the sequential ones by the induction hypothesis, and the rule is the sequential
     * rule "v in the set iff no earlier neighbour is". A later node v can be set OUT by an IN neighbour u only
     * when p(u) < p(v), which is the sequential outcome too; v's own CAS to IN cannot race with that, since
     * taking IN requires having seen u OUT. A failed CAS to IN would therefore be a bug and throws.
     *
     * No lost wake-up: the decider publishes the state (CAS) before closing the list (getAndSet); a parker
     * read the blocker UNDECIDED before its park CAS, so either its CAS precedes the close (it is in the
     * closed list and woken) or it sees CLOSED and retries itself. Termination: at any time the undecided node
     * of smallest priority is not parked for good (its blockers were earlier, hence decided, hence their lists
     * closed, which woke it), so it is eventually popped and decided; parked tasks are not in flight, and the
     * scheduler's termination test only counts pushed tasks, so a run ends exactly when every node is decided.
     *
     * [1] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018. [2] D. Alistarh, G. Nadiradze, N. Koval, "Efficiency Guarantees for
     *     Parallel Incremental Algorithms under Relaxed Schedulers", SPAA 2019. [3] G. E. Blelloch, J. T.
     *     Fineman, J. Shun, "Greedy Sequential Maximal Independent Set and Matching are Parallel on Average",
     *     SPAA 2012.
     */
    private static final byte UNDECIDED = 0;
    private static final byte IN = 1;
    private static final byte OUT = 2;
    /** Payload flag of a task pushed again after a failed pop (node ids are non-negative ints). */
    private static final long AGAIN = Long.MIN_VALUE;

    private ParallelGreedyMis() {
    }

    /** The greedy MIS of {@code g}'s undirected view in the order of {@code orderSeed}, on {@code scheduler}. */
    public static Run<IndependentSet> run(CsrGraph g, long orderSeed, Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        final int n = g.nodes();
        final ParallelRuns.Neighbours nb = new ParallelRuns.Neighbours(g);
        final long[][] offs = nb.off;
        final int[][] tgts = nb.tgt;
        final int passes = offs.length;
        final byte[] state = new byte[n];
        final ParallelRuns.WaitLists waits = new ParallelRuns.WaitLists(n, n);
        RunStats stats = scheduler.runPartitioned(
                ParallelRuns.byNode(n, (v, sink) -> sink.push(GreedyOrder.nodePriority(v, orderSeed), v)),
                (p, payload, ctx) -> {
                    int v = (int) payload;
                    boolean again = payload < 0; // pushed again after a failed pop
                    if ((byte) BYTES.getAcquire(state, v) != UNDECIDED) {
                        return !again; // knocked out by a neighbour: the seed's pop is the sequential one
                    }
                    int blocker = -1;
                    for (int k = 0; k < passes; k++) {
                        long[] off = offs[k];
                        int[] tgt = tgts[k];
                        for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                            int u = tgt[e];
                            if (u == v || GreedyOrder.nodePriority(u, orderSeed) >= p) {
                                continue;
                            }
                            byte s = (byte) BYTES.getAcquire(state, u);
                            if (s == IN) {
                                if (BYTES.compareAndSet(state, v, UNDECIDED, OUT)) {
                                    wake(waits, v, orderSeed, ctx);
                                }
                                return true;
                            }
                            if (s == UNDECIDED) {
                                blocker = u; // keep scanning: an IN neighbour decides v now
                            }
                        }
                    }
                    if (blocker >= 0) { // failed pop
                        if (!waits.park(blocker, v)) {
                            ctx.push(p, v | AGAIN); // the blocker was decided meanwhile: retry at once
                        }
                        return false;
                    }
                    if (!BYTES.compareAndSet(state, v, UNDECIDED, IN)) {
                        throw new IllegalStateException("bug: node " + v + " decided concurrently");
                    }
                    wake(waits, v, orderSeed, ctx);
                    for (int k = 0; k < passes; k++) {
                        long[] off = offs[k];
                        int[] tgt = tgts[k];
                        for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                            int u = tgt[e];
                            if (u != v && (byte) BYTES.getAcquire(state, u) == UNDECIDED
                                    && BYTES.compareAndSet(state, u, UNDECIDED, OUT)) {
                                wake(waits, u, orderSeed, ctx);
                            }
                        }
                    }
                    return true;
                });
        boolean[] member = new boolean[n];
        int size = 0;
        for (int v = 0; v < n; v++) {
            if (state[v] == IN) {
                member[v] = true;
                size++;
            }
        }
        return new Run<>(new IndependentSet(member, size), stats);
    }

    /** Called once per node, right after its decision: pushes the tasks parked on it again. */
    private static void wake(ParallelRuns.WaitLists waits, int node, long orderSeed, TaskContext ctx) {
        waits.close(node, w -> ctx.push(GreedyOrder.nodePriority(w, orderSeed), w | AGAIN));
    }
}
