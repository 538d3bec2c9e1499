package org.scaleml.graph.algo;

import java.util.Arrays;
import java.util.Map;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Greedy maximal independent set in rounds of the random order (Blelloch, Fineman and Shun [1]): exactly {@link
 * SequentialGreedyMis#run(CsrGraph, long)}'s set, on a caller-chosen number of threads, without sorting the
 * order.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph, read as undirected (self loops ignored, parallel arcs harmless). A directed
 *       graph whose every arc has its reverse (the DIMACS road networks) is served by its out-arcs; otherwise its
 *       transpose is built per call. The order is {@link GreedyOrder#nodePriority} under {@code orderSeed}.</li>
 *   <li><b>Output:</b> the lexicographically first maximal independent set in that order, equal to the
 *       sequential reference's at every thread count.</li>
 *   <li><b>Statistics:</b> {@link RunStats} with scheduler and queue {@link #METHOD}: tasks = arcs scanned
 *       (the work; the sequential greedy scans the arcs of its members, about half of all arcs on road networks,
 *       plus a sort), wasted = arcs scanned by evaluations that left their node undecided (repeated in a later
 *       round), emptyPolls 0, steals -1; counters {@link #ROUNDS} (parallel rounds) and {@link #TAIL_NODES}
 *       (nodes left to the sequential finish). A graph of fewer than 2<sup>18</sup> arcs is handed whole to
 *       {@link SequentialGreedyMis} on the calling thread (rounds 0, tailNodes n, tasks 0: not counted).</li>
 *   <li><b>Threads:</b> the caller and {@code threads - 1} new daemon threads ({@link WorkerTeam}), joined
 *       before {@code run} returns; stateless and thread-safe. Memory: {@code n} bytes of state, {@code 4n}
 *       of work lists, the {@code n} of the result.</li>
 *   <li><b>Memory consistency:</b> the result is complete when {@code run} returns (the team is joined).</li>
 *   <li><b>Complexity:</b> O(n + m) expected work per round for the nodes still undecided; the number of rounds
 *       at most the dependence depth of the random order, O(log<sup>2</sup> n) with high probability [1]; on the
 *       shared road networks 3 or 4 rounds leave a few hundred nodes to the sequential finish, since decisions
 *       taken earlier in a round count at once.</li>
 * </ul>
 */
public final class RoundsGreedyMis {
    /*
     * Algorithm. A node v is IN iff no neighbour of smaller priority (an "earlier" neighbour) is IN; so v is
     * decided as soon as one earlier neighbour is IN (v is OUT) or all are OUT (v is IN). Blelloch, Fineman and
     * Shun [1] show that deciding, in rounds, every node whose earlier neighbours are decided takes
     * O(log^2 n) rounds for a random order; processing a prefix of the order per round bounds the work. Here:
     *
     *   phase 0   for a directed graph, the workers check that every arc has its reverse (else the transpose
     *             is built; see GreedyRounds). There is no sort and no priority array: "earlier" compares two
     *             priorities, GreedyOrder being injective, each computed where it is needed (a few arithmetic
     *             operations, cheaper than reading an 8n-byte array at random);
     *   round r   the nodes are cut into chunks of GreedyRounds.CHUNK ids, each with its own list of undecided
     *             nodes (initially the chunk, in id order: sequential memory access on the CSR arrays); workers
     *             claim chunks from a shared counter (a slow or descheduled worker's share is taken by the
     *             others) and, for each node v of priority below the round's prefix limit, scan v's arcs: an
     *             earlier neighbour IN makes v OUT; otherwise, if all earlier neighbours are OUT, v is IN and
     *             knocks out its undecided later neighbours; otherwise v stays in the list (compacted in place).
     *             Decisions made earlier in the same round are seen at once (by the same worker at least), so a
     *             chain of dependences running up the ids is decided in one pass. The prefix limit (a quarter of
     *             the priority range at first) doubles every round: early rounds do not scan nodes whose earlier
     *             neighbours are mostly undecided. A barrier ends the round, and the workers sum the lists;
     *   tail      when at most tailNodes nodes are undecided, worker 0 sorts them by priority and decides them
     *             sequentially (every earlier neighbour is then decided), and the other workers end.
     *
     * Exactness: states only move UNDECIDED -> IN or UNDECIDED -> OUT, and IN / OUT are only ever written to
     * nodes whose final state that is (induction over the order: a decision reads final states of earlier
     * neighbours; knocking out writes OUT to a later neighbour of an IN node, which is final). So every state a
     * worker reads, possibly stale, is either UNDECIDED or final, and a stale UNDECIDED only delays a decision by a
     * round. The worker holding v's chunk and a knocking-out neighbour may both write OUT to v (the former cannot
     * write IN then: that needs every earlier neighbour seen OUT, and the knocking-out one is IN), so a benign race
     * of equal values is the only one: plain byte writes and reads suffice, and the barriers (WorkerTeam:
     * happens-before between rounds) give progress: at the start of a round the undecided node of smallest
     * priority, if inside the prefix limit, sees all its earlier neighbours decided and is decided (and the limit
     * grows every round).
     *
     * [1] G. E. Blelloch, J. T. Fineman, J. Shun, "Greedy Sequential Maximal Independent Set and Matching are
     *     Parallel on Average", SPAA 2012.
     */

    /** {@link RunStats#scheduler()} of these runs, and the name a {@code --method} flag would use. */
    public static final String METHOD = "rounds";
    /** Counter: parallel rounds (barrier-separated passes over the undecided nodes). */
    public static final String ROUNDS = "rounds";
    /** Counter: nodes decided by the sequential finish on one thread. */
    public static final String TAIL_NODES = "tailNodes";

    static final byte UNDECIDED = 0;
    static final byte IN = 1;
    static final byte OUT = 2;

    /**
     * Tuning of the rounds.
     *
     * @param firstPrefix fraction of the order that the first round may decide (1: every node from the start)
     * @param growth      factor by which the prefix grows per round
     * @param tailNodes   undecided nodes at or below which worker 0 finishes alone
     * @param minGraphArcs a graph with fewer arcs is handed to {@link SequentialGreedyMis} on the caller (its sort
     *                     of n priorities is cheap there, and starting threads or transposing would cost more)
     */
    record Tuning(double firstPrefix, double growth, int tailNodes, long minGraphArcs) {
        Tuning {
            if (!(firstPrefix > 0) || !(growth > 1) || tailNodes < 0) {
                throw new IllegalArgumentException("bad tuning: " + firstPrefix + ", " + growth + ", " + tailNodes);
            }
        }

        static final Tuning DEFAULT = new Tuning(0.25, 2.0, 4096, 1 << 18);
    }

    private RoundsGreedyMis() {
    }

    /**
     * The greedy MIS of {@code g}'s undirected view in the order of {@code orderSeed}, on {@code threads}
     * threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws IllegalStateException    if a worker thread could not be started
     */
    public static Run<IndependentSet> run(CsrGraph g, long orderSeed, int threads) {
        return run(g, orderSeed, threads, Tuning.DEFAULT);
    }

    static Run<IndependentSet> run(CsrGraph g, long orderSeed, int threads, Tuning tuning) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long t0 = System.nanoTime();
        if (g.arcs() < tuning.minGraphArcs()) {
            IndependentSet s = SequentialGreedyMis.run(g, orderSeed);
            RunStats stats = new RunStats(METHOD, METHOD, threads, 0, 0, 0, -1, System.nanoTime() - t0);
            return new Run<>(s, stats, Map.of(ROUNDS, 0L, TAIL_NODES, (long) g.nodes()));
        }
        Job job = new Job(g, orderSeed, threads, tuning);
        WorkerTeam.run(threads, "mis", null, job::work);
        long arcs = 0;
        long wasted = 0;
        int size = 0;
        for (Worker w : job.workers) {
            arcs += w.arcs;
            wasted += w.wasted;
            size += w.size;
        }
        RunStats stats = new RunStats(METHOD, METHOD, threads, arcs, wasted, 0, -1, System.nanoTime() - t0);
        return new Run<>(new IndependentSet(job.member, size), stats,
                Map.of(ROUNDS, (long) job.rounds, TAIL_NODES, (long) job.tail));
    }

    /** The shared arrays of one run. */
    private static final class Job {
        final GreedyRounds view;
        final long seed;
        final long salt;
        final Tuning tuning;
        final byte[] state;
        final boolean[] member;
        /** Chunk c's undecided nodes are {@code list[chunkStart(c) .. chunkStart(c) + len[c])}. */
        final int[] list;
        /** Written by the worker that processed chunk c last, read after the next barrier. */
        final int[] len;
        final Worker[] workers;
        /** Written by worker 0 only, read after the team is joined. */
        int rounds;
        int tail;

        Job(CsrGraph g, long seed, int threads, Tuning tuning) {
            int n = g.nodes();
            this.view = new GreedyRounds(g, threads);
            this.seed = seed;
            this.tuning = tuning;
            this.state = new byte[n];
            this.member = new boolean[n];
            this.list = new int[n];
            this.len = new int[view.chunks];
            this.salt = GreedyOrder.nodeSalt(seed);
            this.workers = new Worker[threads];
        }

        void work(int w, WorkerTeam team) {
            // Phase 0 (loop 1): the symmetry check of a directed graph, chunk by chunk; nothing for an undirected one.
            long balance = 0;
            int loops = 0; // parallel loops run so far (GreedyRounds.claim numbers them)
            if (view.g.isDirected()) {
                loops++;
                for (int c; (c = view.claim(loops)) >= 0; ) {
                    balance = view.checkChunk(c, balance);
                }
            }
            view.decideView(w, team, balance);
            Worker me = new Worker(this);
            workers[w] = me;
            double prefix = tuning.firstPrefix();
            for (int round = 1;; round++) { // from 1: GreedyRounds used round 0's bank in phase 0
                boolean all = prefix >= 1;
                long limit = all ? Long.MAX_VALUE : (long) ((prefix - 0.5) * 0x1p64);
                long kept = 0;
                loops++;
                for (int c; (c = view.claim(loops)) >= 0; ) {
                    int lo = GreedyRounds.chunkStart(c);
                    int k = lo;
                    if (round == 1) { // the chunk's nodes in id order
                        for (int v = lo, end = view.chunkEnd(c); v < end; v++) {
                            if (state[v] == UNDECIDED && ((!all && GreedyOrder.mix(v + salt) >= limit)
                                    || me.decide(v) == UNDECIDED)) {
                                list[k++] = v;
                            }
                        }
                    } else { // the chunk's list, compacted in place
                        for (int i = lo, end = lo + len[c]; i < end; i++) {
                            int v = list[i];
                            if (state[v] == UNDECIDED && ((!all && GreedyOrder.mix(v + salt) >= limit)
                                    || me.decide(v) == UNDECIDED)) {
                                list[k++] = v;
                            }
                        }
                    }
                    len[c] = k - lo;
                    kept += k - lo;
                }
                view.publish(round, w, kept);
                team.await();
                long left = view.total(round);
                if (left <= tuning.tailNodes()) {
                    if (w == 0) {
                        rounds = round;
                        tail = (int) left;
                        finish(me, (int) left);
                    }
                    return;
                }
                prefix *= tuning.growth();
            }
        }

        /** Worker 0, after the last round: decides the undecided nodes of every list in priority order. */
        private void finish(Worker me, int left) {
            long[] keys = new long[left];
            int k = 0;
            for (int c = 0; c < len.length; c++) {
                for (int i = GreedyRounds.chunkStart(c), end = i + len[c]; i < end; i++) {
                    int v = list[i];
                    if (state[v] == UNDECIDED) {
                        keys[k++] = GreedyOrder.mix(v + salt);
                    }
                }
            }
            Arrays.sort(keys, 0, k);
            for (int i = 0; i < k; i++) {
                int v = GreedyOrder.nodeOf(keys[i], seed);
                if (state[v] == UNDECIDED && me.decide(v) == UNDECIDED) {
                    throw new IllegalStateException("bug: node " + v + " undecided after its earlier neighbours");
                }
            }
        }
    }

    /** One worker's scanning code and counts (plain fields, read after the team is joined). */
    private static final class Worker {
        final long salt;
        final byte[] state;
        final boolean[] member;
        final long[] off;
        final int[] tgt;
        final long[] inOff;
        final int[] inTgt;
        long arcs;
        long wasted;
        int size;

        Worker(Job job) {
            this.salt = job.salt;
            this.state = job.state;
            this.member = job.member;
            this.off = job.view.off;
            this.tgt = job.view.tgt;
            this.inOff = job.view.inOff;
            this.inTgt = job.view.inTgt;
        }


        /** Decides v if its earlier neighbours allow it; returns v's state afterwards. */
        byte decide(int v) {
            long pv = GreedyOrder.mix(v + salt);
            boolean blocked = false;
            int start = (int) off[v];
            int end = (int) off[v + 1];
            for (int e = start; e < end; e++) {
                int u = tgt[e];
                if (GreedyOrder.mix(u + salt) < pv) { // false for a self loop
                    byte s = state[u];
                    if (s == IN) {
                        arcs += e - start + 1;
                        state[v] = OUT;
                        return OUT;
                    }
                    blocked |= s == UNDECIDED;
                }
            }
            arcs += end - start;
            if (inOff != null) {
                int istart = (int) inOff[v];
                int iend = (int) inOff[v + 1];
                for (int e = istart; e < iend; e++) {
                    int u = inTgt[e];
                    if (GreedyOrder.mix(u + salt) < pv) {
                        byte s = state[u];
                        if (s == IN) {
                            arcs += e - istart + 1;
                            state[v] = OUT;
                            return OUT;
                        }
                        blocked |= s == UNDECIDED;
                    }
                }
                arcs += iend - istart;
            }
            if (blocked) {
                wasted += end - start + (inOff == null ? 0 : inOff[v + 1] - inOff[v]);
                return UNDECIDED;
            }
            state[v] = IN;
            member[v] = true;
            size++;
            for (int e = start; e < end; e++) {
                int u = tgt[e];
                if (state[u] == UNDECIDED) {
                    state[u] = OUT;
                }
            }
            if (inOff != null) {
                for (int e = (int) inOff[v], iend = (int) inOff[v + 1]; e < iend; e++) {
                    int u = inTgt[e];
                    if (state[u] == UNDECIDED) {
                        state[u] = OUT;
                    }
                }
            }
            return IN;
        }
    }
}
