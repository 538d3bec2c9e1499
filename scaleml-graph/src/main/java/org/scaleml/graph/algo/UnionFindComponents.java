package org.scaleml.graph.algo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.scaleml.concurrent.uf.ConcurrentUnionFind;
import org.scaleml.concurrent.uf.UnionFinds;
import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Connected components on the concurrent union-find ({@link UnionFinds}), with the sampling shortcut of Afforest
 * for undirected graphs: the same {@link Components} as {@link SequentialComponents}, on a caller-chosen number of
 * threads.
 *
 * <p><b>Contract.</b> Returns labels equal to the smallest node id of each component (weakly connected components
 * for a directed graph), identical to {@link SequentialComponents#run}. Thread-safe and stateless; each call starts
 * its own {@code threads - 1} helper threads (daemon, named {@code scaleml-cc-K}) and joins them before it returns;
 * with {@code threads == 1} everything runs on the caller. Memory: the union-find's {@code int[n]} and the
 * returned {@code int[n]} labels.
 *
 * <p><b>Statistics.</b> {@link RunStats} with scheduler and queue {@link #METHOD}, tasks = arcs passed to
 * {@code union}, wasted = 0, steals = -1 (no such notion); counters {@link #SKIPPED_NODES} (nodes whose remaining
 * arcs the sampling phase made unnecessary) and {@link #MERGES} (unions that merged two sets: n minus the number
 * of components).
 */
public final class UnionFindComponents {
    /** The method name in {@link RunStats#scheduler()}. */
    public static final String METHOD = "uf-afforest";
    /** Counter: nodes whose arcs after the first {@link #NEIGHBOUR_ROUNDS} were skipped. */
    public static final String SKIPPED_NODES = "skippedNodes";
    /** Counter: successful merges. */
    public static final String MERGES = "merges";
    /** The union-find specification used by default. */
    public static final String DEFAULT_UNION_FIND = "uf:link=rank,compact=splitting";
    /** Neighbour rounds before sampling (Afforest links each node to its first two neighbours). */
    static final int NEIGHBOUR_ROUNDS = 2;
    /** Nodes sampled to find the largest intermediate component. */
    static final int SAMPLES = 1024;
    /**
     * The sampled component is skipped only if at least 1/this of the samples fall in it; otherwise (road networks,
     * whose first neighbours join only short chains) step 3 visits each undirected edge once, from its larger end.
     */
    static final int GIANT_SHARE_DENOMINATOR = 10;
    /** Nodes per work chunk claimed by a thread. */
    static final int CHUNK = 4096;

    /*
     * Algorithm (after Sutton, Ben-Nun and Barak, "Optimizing parallel graph connectivity computation via subgraph
     * sampling", IPDPS 2018, on the union-find of Alistarh, Fedorov and Koval, OPODIS 2019):
     *
     *  1. Neighbour rounds: every node is united with its first NEIGHBOUR_ROUNDS neighbours. On most graphs this
     *     already joins the bulk of the nodes into one intermediate component.
     *  2. Sampling: SAMPLES random nodes vote with their root; the most frequent root c is (with high probability)
     *     the largest intermediate component.
     *  3. The remaining arcs of every node not in c are united. (If c holds under a tenth of the samples, there is
     *     nothing worth skipping; each undirected edge is then united once, from its larger end, as in
     *     SequentialComponents.) Nodes in c are skipped: in an undirected graph
     *     (each edge stored in both directions) an edge from c to a node outside c is seen from the outside end,
     *     and edges inside c change nothing. For a directed graph that argument fails (only out-arcs are stored),
     *     so step 3 then visits every node's remaining arcs.
     *  4. Labels: every node's root, then per root the smallest member, so the labels match the sequential
     *     reference exactly whatever root the concurrent linking chose.
     *
     * Each step is a parallel loop over node chunks claimed from an AtomicInteger; the steps are separated by
     * joining the helper threads of the loop, which also publishes the union-find's state to the next step.
     */

    private UnionFindComponents() {
    }

    /** @return the components of {@code g}'s undirected view on {@code threads} threads, default union-find */
    public static Run<Components> run(CsrGraph g, int threads) {
        return run(g, threads, DEFAULT_UNION_FIND, 0x5CA1EL);
    }

    /**
     * @param unionFind a thread-safe {@link UnionFinds} specification (or {@code uf-seq} with one thread)
     * @param seed      seeds the union-find's randomness and the sample
     * @return the components of {@code g}'s undirected view
     * @throws IllegalArgumentException if {@code threads < 1}, or the specification is invalid or not thread-safe
     *                                  with more than one thread
     */
    public static Run<Components> run(CsrGraph g, int threads, String unionFind, long seed) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads > 1 && !UnionFinds.isThreadSafe(unionFind)) {
            throw new IllegalArgumentException("union-find '" + unionFind + "' is not thread-safe; use it with one "
                    + "thread or choose one of " + UnionFinds.names());
        }
        long t0 = System.nanoTime();
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        boolean undirected = !g.isDirected();
        ConcurrentUnionFind uf = UnionFinds.create(unionFind, n, seed);
        AtomicInteger merges = new AtomicInteger();
        LongAdder arcs = new LongAdder();

        // 1. neighbour rounds
        for (int r = 0; r < NEIGHBOUR_ROUNDS; r++) {
            int round = r;
            WorkerTeam.parallelFor(n, CHUNK, threads, "cc", (lo, hi) -> {
                int merged = 0;
                long seen = 0;
                for (int u = lo; u < hi; u++) {
                    long e = off[u] + round;
                    if (e < off[u + 1]) {
                        seen++;
                        if (uf.union(u, tgt[(int) e])) {
                            merged++;
                        }
                    }
                }
                merges.addAndGet(merged);
                arcs.add(seen);
            });
        }
        // 2. sampling (sequential: SAMPLES finds)
        int giant = undirected && n > 0 ? mostFrequentRoot(uf, n, seed) : -1;
        // Without a dominant component, an undirected graph is better served by half of its arcs (each edge once)
        boolean halfArcs = undirected && giant < 0;
        AtomicInteger skipped = new AtomicInteger();
        // 3. the remaining arcs of the nodes outside the largest intermediate component
        WorkerTeam.parallelFor(n, CHUNK, threads, "cc", (lo, hi) -> {
            int merged = 0;
            int skip = 0;
            long seen = 0;
            for (int u = lo; u < hi; u++) {
                long from = off[u] + NEIGHBOUR_ROUNDS;
                long end = off[u + 1];
                if (from >= end) {
                    continue;
                }
                if (giant >= 0 && uf.sameSet(u, giant)) {
                    skip++;
                    continue;
                }
                for (int e = (int) from; e < end; e++) {
                    int v = tgt[e];
                    if (halfArcs && v > u) {
                        continue;
                    }
                    seen++;
                    if (uf.union(u, v)) {
                        merged++;
                    }
                }
            }
            merges.addAndGet(merged);
            skipped.addAndGet(skip);
            arcs.add(seen);
        });
        // 4. labels: smallest member per root
        int[] labels = new int[n];
        WorkerTeam.parallelFor(n, CHUNK, threads, "cc", (lo, hi) -> {
            for (int v = lo; v < hi; v++) {
                labels[v] = uf.find(v); // quiescent now: find returns the one root of v's set
            }
        });
        int[] smallest = new int[n];
        Arrays.fill(smallest, -1);
        int count = 0;
        for (int v = 0; v < n; v++) { // ascending, so the first member seen is the smallest
            int root = labels[v];
            if (smallest[root] < 0) {
                smallest[root] = v;
                count++;
            }
        }
        WorkerTeam.parallelFor(n, CHUNK, threads, "cc", (lo, hi) -> {
            for (int v = lo; v < hi; v++) {
                labels[v] = smallest[labels[v]];
            }
        });
        RunStats stats = new RunStats(METHOD, METHOD, threads, arcs.sum(), 0, 0, -1, System.nanoTime() - t0);
        return new Run<>(new Components(labels, count), stats,
                Map.of(SKIPPED_NODES, (long) skipped.get(), MERGES, (long) merges.get()));
    }

    /** The method name of {@link #runMinLink} in {@link RunStats#scheduler()}. */
    public static final String MIN_LINK_METHOD = "uf-minlink";

    /**
     * Components on the lock-free union-find specialised for labelling ({@link MinLinkUnionFind}, shared with
     * {@link ParallelMsf}): a root is always the smallest id of its set (the larger root is linked under the smaller
     * with one CAS on the parent array), so the final parents give the labels without a relabelling pass. Each
     * undirected edge is visited once (from its larger end), every arc of a directed graph once. Same result and contract as {@link #run}; the statistics
     * count the arcs visited, counter {@link #MERGES}.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Run<Components> runMinLink(CsrGraph g, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long t0 = System.nanoTime();
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        boolean undirected = !g.isDirected();
        int[] parent = new int[n];
        for (int v = 0; v < n; v++) {
            parent[v] = v;
        }
        AtomicInteger merges = new AtomicInteger();
        LongAdder arcs = new LongAdder();
        WorkerTeam.parallelFor(n, CHUNK, threads, "cc", (lo, hi) -> {
            int merged = 0;
            long seen = 0;
            for (int u = lo; u < hi; u++) {
                for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                    int v = tgt[e];
                    if (v == u || (undirected && v > u)) {
                        continue;
                    }
                    seen++;
                    if (MinLinkUnionFind.union(parent, u, v)) {
                        merged++;
                    }
                }
            }
            merges.addAndGet(merged);
            arcs.add(seen);
        });
        // Quiescent (the loop's threads are joined): point every node at its root, the smallest id of its set.
        int count = 0;
        for (int v = 0; v < n; v++) {
            int p = parent[v];
            if (p == v) {
                count++;
            } else {
                parent[v] = parent[p]; // p < v already points at its root (ascending order)
            }
        }
        RunStats stats = new RunStats(MIN_LINK_METHOD, MIN_LINK_METHOD, threads, arcs.sum(), 0, 0, -1,
                System.nanoTime() - t0);
        return new Run<>(new Components(parent, count), stats, Map.of(MERGES, (long) merges.get()));
    }

    /**
     * The root that most of {@link #SAMPLES} random nodes report (ties: the first to reach the top count), or -1 if
     * it holds less than 1/{@link #GIANT_SHARE_DENOMINATOR} of them.
     */
    private static int mostFrequentRoot(ConcurrentUnionFind uf, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        HashMap<Integer, Integer> votes = new HashMap<>();
        int best = -1;
        int bestVotes = 0;
        for (int i = 0; i < SAMPLES; i++) {
            int root = uf.find(rnd.nextInt(n));
            int c = votes.merge(root, 1, Integer::sum);
            if (c > bestVotes) {
                bestVotes = c;
                best = root;
            }
        }
        return bestVotes * GIANT_SHARE_DENOMINATOR >= SAMPLES ? best : -1;
    }
}
