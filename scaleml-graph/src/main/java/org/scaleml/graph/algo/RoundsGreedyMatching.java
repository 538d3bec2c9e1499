package org.scaleml.graph.algo;

import java.util.Arrays;
import java.util.Map;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Greedy maximal matching in rounds of locally first edges: exactly {@link SequentialGreedyMatching#run(CsrGraph,
 * long)}'s matching, on a caller-chosen number of threads, without sorting the edges.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph, read as undirected (self loops ignored; parallel arcs and the two arcs of an
 *       edge are one pair). A directed graph whose every arc has its reverse (the DIMACS road networks) is served
 *       by its out-arcs; otherwise its transpose is built per call. The order is {@link
 *       GreedyOrder#edgePriority} under {@code orderSeed}.</li>
 *   <li><b>Output:</b> the lexicographically first maximal matching in that order, equal to the sequential
 *       reference's at every thread count.</li>
 *   <li><b>Statistics:</b> {@link RunStats} with scheduler and queue {@link #METHOD}: tasks = arcs scanned
 *       (each node scans its arcs once to find its first free neighbour, and again only when that neighbour is
 *       matched to another node), wasted = arcs of those repeated scans, emptyPolls 0, steals -1; counters
 *       {@link #ROUNDS} (parallel rounds) and {@link #TAIL_NODES} (nodes left to the sequential finish).</li>
 *   <li><b>Threads:</b> the caller and {@code threads - 1} new daemon threads ({@link WorkerTeam}), joined
 *       before {@code run} returns; stateless and thread-safe. Memory: {@code 8n} bytes (candidates, work
 *       lists) besides the {@code int[n]} of the result.</li>
 *   <li><b>Complexity:</b> O(n + m) for the first scans, then O(degree) per candidate lost; the number of rounds
 *       is the dependence depth of the random edge order, O(log<sup>2</sup> n) with high probability [1].</li>
 * </ul>
 */
public final class RoundsGreedyMatching {
    /*
     * Algorithm. Call the edge of smallest priority among a free node x's edges to free nodes x's candidate,
     * cand(x). An edge {x, y} with cand(x) = y and cand(y) = x (a "locally first" edge) is in the greedy matching,
     * and matching all locally first edges, then recomputing the candidates of the nodes that lost theirs,
     * reproduces the greedy matching round by round (the locally dominant edges of Preis, STACS 1999, and Manne
     * and Bisseling, PPAM 2007, for distinct weights; the rounds are those of the random-order analysis of
     * Blelloch, Fineman and Shun [1]). The nodes are cut into chunks of GreedyRounds.CHUNK ids, each with its own
     * list of free nodes that still have a free neighbour (initially the whole chunk, then compacted in place);
     * workers claim chunks from a shared counter in every phase, so a slow worker's share is taken by the others.
     * A round is
     *
     *   A  for each listed x: if cand(x) is unset or matched, rescan x's arcs for the free neighbour y of
     *      smallest edgePriority(x, y) (a priority computed from a precomputed salt: no order is sorted); with
     *      none, x stays unmatched for good and leaves the list;             barrier
     *   B  for each listed x: if cand(cand(x)) == x, x is matched: mate(x) = cand(x), and x leaves the list;
     *                                                                       barrier; the lists' lengths summed
     *
     * and when at most tailNodes nodes are left, worker 0 collects the edges between them (all still undecided),
     * sorts their priorities and matches them greedily, which is the rest of the sequential greedy order.
     *
     * Exactness. Let M be the edges matched so far and G the greedy matching; suppose M is a subset of G. In B,
     * x and y = cand(x) with cand(y) = x are free, so every edge f = {x, z} (or {y, z}) earlier than {x, y} has z
     * matched, by an edge h of M, hence of G, at z; so f is not in G (h is, and shares z). No edge earlier than
     * {x, y} and adjacent to it is in G, so {x, y} is (the greedy rule), and M stays a subset of G. At the end no
     * two free nodes are adjacent, so M is maximal, and a maximal matching inside G is G. The tail: the edges
     * with both ends free are the only undecided ones, and an edge with a matched end is not in G, so the rest of
     * G is the greedy matching of the undecided edges. Progress: the undecided edge of smallest priority is
     * locally first, so every round matches at least one pair.
     *
     * Memory: mate is written only in B, each entry by the claimer of its node's chunk; cand only in A, likewise; A
     * reads mate and B reads cand, so every read of another worker's entry is separated from its writes by a
     * barrier (WorkerTeam: happens-before), and plain accesses suffice: there is no data race.
     *
     * [1] G. E. Blelloch, J. T. Fineman, J. Shun, "Greedy Sequential Maximal Independent Set and Matching are
     *     Parallel on Average", SPAA 2012. [2] R. Preis, "Linear Time 1/2-Approximation Algorithm for Maximum
     *     Weighted Matching in General Graphs", STACS 1999. [3] F. Manne, R. H. Bisseling, "A Parallel
     *     Approximation Algorithm for the Weighted Maximum Matching Problem", PPAM 2007.
     */

    /** {@link RunStats#scheduler()} of these runs, and the name a {@code --method} flag would use. */
    public static final String METHOD = "rounds";
    /** Counter: parallel rounds (each two barrier-separated phases). */
    public static final String ROUNDS = "rounds";
    /** Counter: nodes handed to the sequential finish on one thread. */
    public static final String TAIL_NODES = "tailNodes";

    /** Tuning: at or below {@code tailNodes} nodes left, worker 0 finishes alone. */
    record Tuning(int tailNodes) {
        static final Tuning DEFAULT = new Tuning(4096);
    }

    private RoundsGreedyMatching() {
    }

    /**
     * The greedy maximal matching of {@code g}'s undirected view in the order of {@code orderSeed}, on {@code
     * threads} threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws IllegalStateException    if a worker thread could not be started
     */
    public static Run<Matching> run(CsrGraph g, long orderSeed, int threads) {
        return run(g, orderSeed, threads, Tuning.DEFAULT);
    }

    static Run<Matching> run(CsrGraph g, long orderSeed, int threads, Tuning tuning) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long t0 = System.nanoTime();
        Job job = new Job(g, orderSeed, threads, tuning);
        WorkerTeam.run(threads, "matching", null, job::work);
        long arcs = 0;
        long wasted = 0;
        long matched = 0;
        for (Worker w : job.workers) {
            arcs += w.arcs;
            wasted += w.wasted;
            matched += w.matched;
        }
        RunStats stats = new RunStats(METHOD, METHOD, threads, arcs, wasted, 0, -1, System.nanoTime() - t0);
        return new Run<>(new Matching(job.mate, (int) (matched / 2) + job.tailPairs), stats,
                Map.of(ROUNDS, (long) job.rounds, TAIL_NODES, (long) job.tail));
    }

    /** The shared arrays of one run. */
    private static final class Job {
        final GreedyRounds view;
        final long salt;
        final Tuning tuning;
        final int[] mate;
        final int[] cand;
        /** Chunk c's listed nodes are {@code list[chunkStart(c) .. chunkStart(c) + len[c])}. */
        final int[] list;
        /** Written by the worker that processed chunk c last, read after the next barrier. */
        final int[] len;
        final Worker[] workers;
        /** Written by worker 0 only, read after the team is joined. */
        int rounds;
        int tail;
        int tailPairs;

        Job(CsrGraph g, long seed, int threads, Tuning tuning) {
            int n = g.nodes();
            this.view = new GreedyRounds(g, threads);
            this.salt = GreedyOrder.edgeSalt(seed);
            this.tuning = tuning;
            this.mate = new int[n];
            this.cand = new int[n];
            this.list = new int[n];
            this.len = new int[view.chunks];
            this.workers = new Worker[threads];
        }

        void work(int w, WorkerTeam team) {
            // Phase 0 (loop 1): no mates, no candidates; the symmetry check.
            long balance = 0;
            for (int c; (c = view.claim(1)) >= 0; ) {
                Arrays.fill(mate, GreedyRounds.chunkStart(c), view.chunkEnd(c), -1);
                Arrays.fill(cand, GreedyRounds.chunkStart(c), view.chunkEnd(c), -1);
                balance = view.checkChunk(c, balance);
            }
            view.decideView(w, team, balance);
            if (!view.g.isDirected()) {
                team.await(); // the initialisation of every chunk is visible (decideView waited for a directed one)
            }
            Worker me = new Worker(this);
            workers[w] = me;
            for (int round = 1;; round++) { // from 1: GreedyRounds used round 0's bank in phase 0
                // Phase A (loop 2 * round): candidates.
                for (int c; (c = view.claim(2 * round)) >= 0; ) {
                    int lo = GreedyRounds.chunkStart(c);
                    int k = lo;
                    if (round == 1) { // every node's first scan
                        for (int x = lo, end = view.chunkEnd(c); x < end; x++) {
                            if (me.candidate(x) >= 0) {
                                list[k++] = x;
                            }
                        }
                    } else { // a new scan only for a node whose candidate was matched to another
                        for (int i = lo, end = lo + len[c]; i < end; i++) {
                            int x = list[i];
                            if (mate[cand[x]] < 0 || me.candidate(x) >= 0) {
                                list[k++] = x;
                            }
                        }
                    }
                    len[c] = k - lo;
                }
                team.await(); // phase A -> B: candidates written
                // Phase B (loop 2 * round + 1): mutual candidates are matched.
                long kept = 0;
                for (int c; (c = view.claim(2 * round + 1)) >= 0; ) {
                    int lo = GreedyRounds.chunkStart(c);
                    int k = lo;
                    for (int i = lo, end = lo + len[c]; i < end; i++) {
                        int x = list[i];
                        int y = cand[x];
                        if (cand[y] == x) {
                            mate[x] = y;
                            me.matched++;
                        } else {
                            list[k++] = x;
                        }
                    }
                    len[c] = k - lo;
                    kept += k - lo;
                }
                view.publish(round, w, kept);
                team.await(); // phase B -> A: mates written
                long left = view.total(round);
                if (left <= tuning.tailNodes()) {
                    if (w == 0) {
                        rounds = round;
                        tail = (int) left;
                        finish();
                    }
                    return;
                }
            }
        }

        /**
         * Worker 0, after the last round: matches the edges between the listed (free) nodes greedily in priority
         * order. Each such edge is collected from its smaller end (from both of its arcs there, for a directed
         * graph read with its transpose, and once per parallel arc: the greedy pass rejects the repeats).
         */
        private void finish() {
            long[] off = view.off;
            int[] tgt = view.tgt;
            long[] inOff = view.inOff;
            int[] inTgt = view.inTgt;
            int count = 0;
            for (int c = 0; c < len.length; c++) {
                for (int i = GreedyRounds.chunkStart(c), end = i + len[c]; i < end; i++) {
                    int x = list[i];
                    count += (int) (off[x + 1] - off[x]) + (inOff == null ? 0 : (int) (inOff[x + 1] - inOff[x]));
                }
            }
            long[] keys = new long[count];
            int k = 0;
            for (int c = 0; c < len.length; c++) {
                for (int i = GreedyRounds.chunkStart(c), end = i + len[c]; i < end; i++) {
                    int x = list[i];
                    k = collect(x, off, tgt, keys, k);
                    if (inOff != null) {
                        k = collect(x, inOff, inTgt, keys, k);
                    }
                }
            }
            Arrays.sort(keys, 0, k);
            long seedSalt = salt;
            int pairs = 0;
            for (int i = 0; i < k; i++) {
                long pair = GreedyOrder.unmix(keys[i]) - seedSalt; // GreedyOrder.edgeOf without the salt's mix
                int a = (int) (pair >>> 32);
                int b = (int) pair;
                if (mate[a] < 0 && mate[b] < 0) {
                    mate[a] = b;
                    mate[b] = a;
                    pairs++;
                }
            }
            tailPairs = pairs;
        }

        private int collect(int x, long[] off, int[] tgt, long[] keys, int k) {
            for (int e = (int) off[x], end = (int) off[x + 1]; e < end; e++) {
                int y = tgt[e];
                if (y > x && mate[y] < 0) {
                    keys[k++] = GreedyOrder.mix(((long) x << 32 | y) + salt);
                }
            }
            return k;
        }
    }

    /** One worker's scanning code and counts (plain fields, read after the team is joined). */
    private static final class Worker {
        final long salt;
        final int[] mate;
        final int[] cand;
        final long[] off;
        final int[] tgt;
        final long[] inOff;
        final int[] inTgt;
        long arcs;
        long wasted;
        long matched;

        Worker(Job job) {
            this.salt = job.salt;
            this.mate = job.mate;
            this.cand = job.cand;
            this.off = job.view.off;
            this.tgt = job.view.tgt;
            this.inOff = job.view.inOff;
            this.inTgt = job.view.inTgt;
        }

        /**
         * Sets and returns x's candidate: its free neighbour of smallest edge priority, or -1 if it has none (x
         * then stays unmatched). Reads only {@code mate}, which no worker writes during phase A.
         */
        int candidate(int x) {
            boolean again = cand[x] >= 0;
            long best = Long.MAX_VALUE;
            int bestNode = -1;
            long hiKey = (long) x << 32;
            int start = (int) off[x];
            int end = (int) off[x + 1];
            for (int e = start; e < end; e++) {
                int y = tgt[e];
                if (y != x && mate[y] < 0) {
                    long key = y > x ? hiKey | y : ((long) y << 32) | x;
                    long p = GreedyOrder.mix(key + salt);
                    if (p < best || bestNode < 0) {
                        best = p;
                        bestNode = y;
                    }
                }
            }
            long scanned = end - start;
            if (inOff != null) {
                int istart = (int) inOff[x];
                int iend = (int) inOff[x + 1];
                for (int e = istart; e < iend; e++) {
                    int y = inTgt[e];
                    if (y != x && mate[y] < 0) {
                        long key = y > x ? hiKey | y : ((long) y << 32) | x;
                        long p = GreedyOrder.mix(key + salt);
                        if (p < best || bestNode < 0) {
                            best = p;
                            bestNode = y;
                        }
                    }
                }
                scanned += iend - istart;
            }
            arcs += scanned;
            if (again) {
                wasted += scanned;
            }
            cand[x] = bestNode;
            return bestNode;
        }
    }
}
