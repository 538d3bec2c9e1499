package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;

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
 * Parallel connected components by union-find: the same {@link Components} as {@link SequentialComponents}, on a
 * caller-chosen number of threads. Two methods:
 * <ul>
 *   <li>{@link #run(CsrGraph, int)} ({@link #METHOD} {@code "uf"}, the default): partitioned min-link union-find.
 *       Each worker first unites the edges inside its own contiguous node range with a plain sequential
 *       union-find on its own slice of the parent array (no atomics, no sharing), then the edges between ranges
 *       are united with the lock-free {@link MinLinkUnionFind}, then every worker points its nodes at their roots.
 *       Fast on graphs numbered with locality (road networks, meshes), and never worse than the min-link
 *       union-find on all edges on the others.</li>
 *   <li>{@link #runAfforest} ({@link #AFFOREST_METHOD} {@code "uf-afforest"}): Afforest-style neighbour rounds and
 *       sampling on any thread-safe {@link UnionFinds} structure; kept to compare the general union-finds, slower
 *       than {@code "uf"} and than the sequential reference on every shared graph.</li>
 * </ul>
 *
 * <p><b>Contract.</b> Returns labels equal to the smallest node id of each component (weakly connected components
 * for a directed graph) and the component count, identical to {@link SequentialComponents#run}; self loops are
 * ignored. Thread-safe and stateless; each call starts its own {@code threads - 1} helper threads ({@link
 * WorkerTeam}: daemon, named {@code scaleml-cc-K}) and joins them before it returns; with {@code threads == 1}
 * everything runs on the caller; {@code "uf"} runs graphs with fewer than 2<sup>17</sup> arcs per thread on fewer
 * workers (counter {@link #WORKERS}; {@link RunStats#threads()} is the number asked for). Memory ({@code "uf"}): the returned {@code int[n]} labels, which serve as the
 * parent array, plus 8 bytes per edge between two workers' ranges. Time O(n + m) scans plus near-constant finds.
 *
 * <p><b>Statistics.</b> {@link RunStats} with scheduler and queue {@link #METHOD} (or {@link #AFFOREST_METHOD}),
 * tasks = arcs passed to a union, wasted = 0, steals = -1 (no such notion); counters {@link #MERGES} (unions that
 * merged two sets: n minus the number of components) for both, {@link #CROSS_EDGES} (edges between two workers'
 * ranges, united after the local phase) and {@link #WORKERS} for {@code "uf"}, {@link #SKIPPED_NODES} (nodes whose remaining arcs the
 * sampling made unnecessary) for {@code "uf-afforest"}.
 */
public final class UnionFindComponents {
    /** The method name of {@link #run(CsrGraph, int)} in {@link RunStats#scheduler()} (a {@code --method} value). */
    public static final String METHOD = "uf";
    /** The method name of {@link #runAfforest} in {@link RunStats#scheduler()}. */
    public static final String AFFOREST_METHOD = "uf-afforest";
    /** Counter: nodes whose arcs after the first {@link #NEIGHBOUR_ROUNDS} were skipped ({@code uf-afforest}). */
    public static final String SKIPPED_NODES = "skippedNodes";
    /** Counter: successful merges. */
    public static final String MERGES = "merges";
    /** Counter: edges whose ends lie in different workers' node ranges ({@code uf}). */
    public static final String CROSS_EDGES = "crossEdges";
    /** The union-find specification {@link #runAfforest(CsrGraph, int)} uses. */
    public static final String DEFAULT_UNION_FIND = "uf:link=rank,compact=splitting";
    /**
     * Up to this many cross edges in all, worker 0 unites them alone with plain writes while the others wait (a
     * CAS per link and shared cache lines cost more than they save); above it every worker unites its own with
     * the lock-free union-find.
     */
    static final int SEQUENTIAL_CROSS_EDGES = 1 << 14;
    /**
     * Each worker gets at least this many arcs: smaller graphs run on fewer workers (wiki-Vote's 104k arcs on one),
     * since starting a thread and two barriers cost more than the work they would share.
     */
    static final int MIN_ARCS_PER_WORKER = 1 << 17;
    /** Counter: workers actually used ({@code threads}, or fewer on a small graph). */
    public static final String WORKERS = "workers";

    /*
     * Algorithm of "uf" (partitioned min-link union-find; the partition-local phase is the idea behind the
     * distributed and GPU union-find connectivity codes, e.g. Jaiganesh and Burtscher, "A high-performance
     * connected components implementation for GPUs", HPDC 2018, and Afforest's observation that most of the work
     * needs no synchronisation [Sutton, Ben-Nun, Barak, IPDPS 2018]):
     *
     *  0. The nodes are cut into T contiguous ranges of about m/T arcs each (binary search on the offsets).
     *     Invariant of the whole run: every root is the smallest id of its set and parent[v] <= v.
     *  1. Local phase, no synchronisation: worker k initialises parent[v] = v on its range [lo, hi) and unites
     *     every arc u -> v with both ends in the range using a plain sequential union-find (larger root under
     *     the smaller, path halving). Such links only ever point from the range into the range, so each worker
     *     reads and writes only its own slice. For an undirected graph only arcs v < u are taken (each edge
     *     once) and u is visited in increasing order, so u is still a singleton when its turn comes: its root
     *     is u and then min(root, rv), tracked in a register, one find per arc instead of two. Arcs with the
     *     other end outside the range (cross edges) are appended to the worker's buffer.
     *  2. Barrier (publishes every slice). Cross edges: if there are few (road networks numbered spatially have
     *     a few hundred), worker 0 unites them with the plain union-find while the others wait; otherwise
     *     every worker unites its own buffer with MinLinkUnionFind (find with halving by a weak release CAS,
     *     link by one CAS of the larger root's own slot, so concurrent links of one root cannot both win).
     *  3. Barrier. Labels: worker k visits its range in increasing order; for a node whose parent p lies in the
     *     range, p < v was already pointed at its root, so parent[v] = parent[p]; otherwise the chain is
     *     followed (read-only) into the lower ranges, whose slots may be rewritten concurrently, but only ever
     *     from an ancestor to the root, so any value read is on the way to the same root. Roots are the
     *     smallest ids, so parent[] is then exactly SequentialComponents' labels.
     */

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
     * Algorithm of "uf-afforest" (after Sutton, Ben-Nun and Barak, "Optimizing parallel graph connectivity computation via subgraph
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

    /**
     * The partitioned min-link union-find ({@link #METHOD}).
     *
     * @return the components of {@code g}'s undirected view on {@code threads} threads
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Run<Components> run(CsrGraph g, int threads) {
        return run(g, threads, SEQUENTIAL_CROSS_EDGES, MIN_ARCS_PER_WORKER);
    }

    /**
     * {@link #run(CsrGraph, int)} with a chosen {@link #SEQUENTIAL_CROSS_EDGES} and {@link #MIN_ARCS_PER_WORKER}
     * (tests force every branch on small graphs).
     */
    static Run<Components> run(CsrGraph g, int requestedThreads, int sequentialCrossEdges, int minArcsPerWorker) {
        if (requestedThreads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + requestedThreads);
        }
        long t0 = System.nanoTime();
        int threads = workers(g.arcs(), requestedThreads, minArcsPerWorker);
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        boolean undirected = !g.isDirected();
        int[] parent = new int[n];
        int[] bounds = arcBalancedRanges(off, n, threads);
        int[][] cross = new int[threads][];
        int[] crossCount = new int[threads];
        // per worker, 16 longs (a cache line and more) apart: merges, arcs, roots
        long[] perWorker = new long[(threads + 1) * 16];
        WorkerTeam.run(threads, "cc", null, (k, team) -> {
            int lo = bounds[k];
            int hi = bounds[k + 1];
            for (int v = lo; v < hi; v++) {
                parent[v] = v;
            }
            // 1. local phase
            int[] buf = new int[64];
            int pairs = 0;
            long merged = 0;
            long seen = 0;
            for (int u = lo; u < hi; u++) {
                int ru = undirected ? u : -1; // undirected: u is still a singleton here
                for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                    int v = tgt[e];
                    if (undirected ? v >= u : v == u) {
                        continue;
                    }
                    seen++;
                    if (v < lo || v >= hi) {
                        if (2 * pairs + 2 > buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 2);
                        }
                        buf[2 * pairs] = u;
                        buf[2 * pairs + 1] = v;
                        pairs++;
                        continue;
                    }
                    if (ru < 0) {
                        ru = findPlain(parent, u);
                    }
                    int rv = findPlain(parent, v);
                    if (rv != ru) {
                        merged++;
                        if (rv < ru) {
                            parent[ru] = rv;
                            ru = rv;
                        } else {
                            parent[rv] = ru;
                        }
                    }
                }
            }
            cross[k] = buf;
            crossCount[k] = pairs;
            team.await();
            // 2. cross edges
            int total = 0;
            for (int c : crossCount) {
                total += c;
            }
            if (total <= sequentialCrossEdges) {
                if (k == 0) {
                    for (int w = 0; w < cross.length; w++) {
                        int[] b = cross[w];
                        for (int i = 0, end = 2 * crossCount[w]; i < end; i += 2) {
                            int ra = findPlain(parent, b[i]);
                            int rb = findPlain(parent, b[i + 1]);
                            if (ra != rb) {
                                merged++;
                                parent[Math.max(ra, rb)] = Math.min(ra, rb);
                            }
                        }
                    }
                }
            } else {
                for (int i = 0, end = 2 * pairs; i < end; i += 2) {
                    if (MinLinkUnionFind.union(parent, buf[i], buf[i + 1])) {
                        merged++;
                    }
                }
            }
            team.await();
            // 3. labels
            long roots = 0;
            for (int v = lo; v < hi; v++) {
                int p = parent[v];
                if (p == v) {
                    roots++;
                } else if (p >= lo) {
                    parent[v] = parent[p]; // p < v: already its root
                } else {
                    int r = p;
                    for (int q; (q = (int) INTS.getOpaque(parent, r)) != r; ) {
                        r = q;
                    }
                    parent[v] = r;
                }
            }
            int slot = (k + 1) * 16;
            perWorker[slot] = merged;
            perWorker[slot + 1] = seen;
            perWorker[slot + 2] = roots;
        });
        long merges = 0;
        long arcs = 0;
        long count = 0;
        long crossEdges = 0;
        for (int k = 0; k < threads; k++) {
            int slot = (k + 1) * 16;
            merges += perWorker[slot];
            arcs += perWorker[slot + 1];
            count += perWorker[slot + 2];
            crossEdges += crossCount[k];
        }
        RunStats stats = new RunStats(METHOD, METHOD, requestedThreads, arcs, 0, 0, -1, System.nanoTime() - t0);
        return new Run<>(new Components(parent, (int) count), stats,
                Map.of(MERGES, merges, CROSS_EDGES, crossEdges, WORKERS, (long) threads));
    }

    /** Workers for a graph of {@code arcs} arcs: at most {@code threads}, each with at least {@code minArcs}. */
    static int workers(long arcs, int threads, int minArcs) {
        return (int) Math.max(1, Math.min(threads, arcs / Math.max(1, minArcs)));
    }

    /** The root of x's tree in a slice owned by the caller alone, halving the path with plain writes. */
    static int findPlain(int[] parent, int x) {
        int p;
        while ((p = parent[x]) != x) {
            int gp = parent[p];
            parent[x] = gp;
            x = gp;
        }
        return x;
    }

    /**
     * Cuts {@code 0..n-1} into {@code parts} contiguous ranges of about equal arc counts: range k is {@code
     * bounds[k]..bounds[k+1]-1}.
     */
    static int[] arcBalancedRanges(long[] off, int n, int parts) {
        int[] bounds = new int[parts + 1];
        long m = off[n];
        for (int k = 1; k < parts; k++) {
            long want = m * k / parts;
            int lo = bounds[k - 1];
            int hi = n;
            while (lo < hi) { // smallest u >= bounds[k-1] with off[u] >= want
                int mid = (lo + hi) >>> 1;
                if (off[mid] < want) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            bounds[k] = lo;
        }
        bounds[parts] = n;
        return bounds;
    }

    /**
     * Afforest on the {@link #DEFAULT_UNION_FIND}.
     *
     * @return the components of {@code g}'s undirected view on {@code threads} threads
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Run<Components> runAfforest(CsrGraph g, int threads) {
        return runAfforest(g, threads, DEFAULT_UNION_FIND, 0x5CA1EL);
    }

    /**
     * Afforest on a chosen union-find.
     *
     * @param unionFind a thread-safe {@link UnionFinds} specification (or {@code uf-seq} with one thread)
     * @param seed      seeds the union-find's randomness and the sample
     * @return the components of {@code g}'s undirected view
     * @throws IllegalArgumentException if {@code threads < 1}, or the specification is invalid or not thread-safe
     *                                  with more than one thread
     */
    public static Run<Components> runAfforest(CsrGraph g, int threads, String unionFind, long seed) {
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
        RunStats stats = new RunStats(AFFOREST_METHOD, AFFOREST_METHOD, threads, arcs.sum(), 0, 0, -1, System.nanoTime() - t0);
        return new Run<>(new Components(labels, count), stats,
                Map.of(SKIPPED_NODES, (long) skipped.get(), MERGES, (long) merges.get()));
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
