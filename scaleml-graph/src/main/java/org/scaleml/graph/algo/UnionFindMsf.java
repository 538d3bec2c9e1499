package org.scaleml.graph.algo;

import java.util.Arrays;
import java.util.Map;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Minimum spanning forest of the undirected view by Kruskal's algorithm on a parallel radix sort: the same forest
 * as {@link SequentialMsf} (the same arcs, in the same order), on a caller-chosen number of threads.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph, read as undirected exactly like {@link SequentialMsf}: candidates are the arcs
 *       {@code u -> v} with {@code u < v} of an undirected graph and every non-loop arc of a directed one; any
 *       {@code int} weights (negative too), 1 per arc if unweighted.</li>
 *   <li><b>Output:</b> a minimum spanning forest: total weight and edge count always equal {@link
 *       SequentialMsf#run}'s. When the weights differ (or one worker runs), edges are ordered by {@code (weight,
 *       arc index)} exactly as there, so the arcs chosen and their order are identical too. When all weights are
 *       equal (unweighted graphs) and several workers run, ties go first to edges inside one worker's node range,
 *       then to the edges between ranges, each in arc order: the arcs are then a spanning forest of the same size
 *       that may differ from the reference's (it depends on the number of workers), returned in increasing arc
 *       order.</li>
 *   <li><b>Threads:</b> thread-safe and stateless; each call starts {@code threads - 1} helper threads ({@link
 *       WorkerTeam}: daemon, named {@code scaleml-msf-K}) for the candidate and sort phases and joins them before
 *       it returns; the final scan runs on the caller. With {@code threads == 1} everything runs on the
 *       caller. Graphs with fewer than 2<sup>17</sup> arcs per thread run on fewer workers (counter {@link
 *       #WORKERS}); {@link RunStats#threads()} is the number asked for.</li>
 *   <li><b>Cost:</b> O(m * b / 11) for the sort, b the number of bits of {@code maxWeight - minWeight} (0 passes
 *       for an unweighted graph, 2 for road networks), plus the near-linear union-find scan; memory 16 bytes per
 *       arc and 16 per candidate edge (the keys and the endpoints, each in two sort buffers) and {@code int[n]} for
 *       the union-find; equal weights need no sort: 8 bytes per edge between workers' ranges, 4 per node.</li>
 *   <li><b>Statistics:</b> {@link RunStats} with scheduler and queue {@link #METHOD}, tasks = candidate edges,
 *       wasted = 0, steals = -1; counters {@link #CANDIDATES}, {@link #SORT_PASSES} and {@link #WORKERS}.</li>
 * </ul>
 */
public final class UnionFindMsf {
    /** The method name in {@link RunStats#scheduler()} (a {@code --method} value). */
    public static final String METHOD = "kruskal";
    /** Counter: candidate edges sorted. */
    public static final String CANDIDATES = "candidates";
    /** Counter: radix-sort passes (0 when all weights are equal). */
    public static final String SORT_PASSES = "sortPasses";
    /** Counter: workers actually used ({@code threads}, or fewer on a small graph). */
    public static final String WORKERS = "workers";
    /** At most this many bits per radix digit (2048 buckets: the per-worker counts stay in L1/L2). */
    static final int MAX_DIGIT_BITS = 11;

    /*
     * Algorithm: Kruskal [1] as in SequentialMsf, with the O(m log m) comparison sort replaced by a parallel
     * least-significant-digit radix sort on the weight, which is where SequentialMsf spends most of its time.
     *
     *  1. Candidates (parallel, no synchronisation): the nodes are cut into T contiguous ranges of about m/T
     *     arcs. Worker k writes the key weight << 32 | e of each candidate arc, and beside it its ends
     *     u << 32 | v, in increasing e, compactly at the start of its own slice off[lo]..off[hi] of buffer A; it
     *     also notes its smallest and largest weight. The ends travel with the keys through the sort, so the
     *     final scan reads both in order instead of looking up each arc's endpoints at random.
     *  2. Barrier. Every worker derives the same plan: d = weight - minWeight takes b bits; p = ceil(b / 11)
     *     passes of ceil(b / p) bits each.
     *  3. Each pass (stable, Blelloch-style split [2]): worker k counts the digits of its share of the input (in
     *     pass 0 its own candidate run, later the k-th of T equal slices of the compact array); barrier; from all
     *     workers' counts it computes where its elements of each digit go (after every smaller digit, and after
     *     the same digit of the workers before it) and scatters its share in order; barrier. Stability and the
     *     initial order (worker by worker, each in increasing e, i.e. increasing arc index) give the order
     *     (weight, arc index) after the last pass, exactly SequentialMsf's sort order, without the index in the
     *     radix digits.
     *  4. Scan (caller, sequential): union-find (min-link, path halving, as UnionFind) over the sorted keys, keeping an edge when its ends are in
     *     different sets, stopping at n - 1 edges: the same decisions in the same order as SequentialMsf.
     *
     * Equal weights (every forest is minimum; a road network read without its distances): no sort at all. Each
     * worker unites the candidates inside its node range with a plain union-find on its slice of the parent
     * array, keeping the arcs that merge (Kruskal on its local edges in arc order), and buffers the cross edges;
     * after a barrier worker 0 runs Kruskal on the cross edges in arc order over the union of the local forests;
     * after another, each worker merges its local and accepted cross arcs into its share of the output. This is
     * Kruskal for the order (weight, cross?, arc index), so the result is a minimum spanning forest.
     *
     * Kruskal rather than Boruvka: on road networks a Boruvka round costs a full pass over all edges with two
     * finds and min-CASes per edge, and about log n rounds; the sort is the only O(m log m) part of Kruskal and a
     * radix sort makes it a few linear passes, leaving a scan as cheap as one Boruvka round; and it gives the
     * reference's exact edge set.
     *
     * [1] J. B. Kruskal, Proc. AMS, 1956. [2] G. E. Blelloch et al., "A comparison of sorting algorithms for the
     * Connection Machine CM-2", SPAA 1991 (the parallel radix sort's count / offset / scatter steps).
     */

    private UnionFindMsf() {
    }

    /**
     * @return a minimum spanning forest of {@code g}'s undirected view, equal to {@link SequentialMsf#run}'s
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Run<SpanningForest> run(CsrGraph g, int threads) {
        return run(g, threads, UnionFindComponents.MIN_ARCS_PER_WORKER);
    }

    /** {@link #run(CsrGraph, int)} with a chosen minimum of arcs per worker (tests use all threads on small graphs). */
    static Run<SpanningForest> run(CsrGraph g, int requestedThreads, int minArcsPerWorker) {
        if (requestedThreads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + requestedThreads);
        }
        long t0 = System.nanoTime();
        int threads = UnionFindComponents.workers(g.arcs(), requestedThreads, minArcsPerWorker);
        if (!g.hasWeights() || g.minWeight() == g.maxWeight()) {
            return runEqualWeights(g, requestedThreads, threads, t0);
        }
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] w = g.weights();
        boolean undirected = !g.isDirected();
        int m = tgt.length;
        int[] bounds = UnionFindComponents.arcBalancedRanges(off, n, threads);
        // keys (weight << 32 | arc) and ends (u << 32 | v), ping-ponged between A (arc-sized: every worker writes
        // its candidates at its own arcs' offset) and B (candidate-sized, allocated once the count is known)
        long[] keysA = new long[m];
        long[] endsA = new long[m];
        long[][] bufB = new long[2][];
        int[] counts = new int[threads];
        int[] mins = new int[threads];
        int[] maxs = new int[threads];
        int[][] histograms = new int[threads][];
        int[] plan = new int[2]; // passes, and which buffer holds the result (0: A, 1: B)
        WorkerTeam.run(threads, "msf", null, (k, team) -> {
            // 1. candidates
            int lo = bounds[k];
            int hi = bounds[k + 1];
            int base = (int) off[lo];
            int c = base;
            int mn = Integer.MAX_VALUE;
            int mx = Integer.MIN_VALUE;
            for (int u = lo; u < hi; u++) {
                for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                    int v = tgt[e];
                    if (v == u || (undirected && v < u)) {
                        continue;
                    }
                    int wt = w[e];
                    mn = Math.min(mn, wt);
                    mx = Math.max(mx, wt);
                    keysA[c] = ((long) wt << 32) | e;
                    endsA[c++] = ((long) u << 32) | v;
                }
            }
            counts[k] = c - base;
            mins[k] = mn;
            maxs[k] = mx;
            team.await();
            // 2. plan
            int total = 0;
            int minW = Integer.MAX_VALUE;
            int maxW = Integer.MIN_VALUE;
            for (int j = 0; j < threads; j++) {
                total += counts[j];
                minW = Math.min(minW, mins[j]);
                maxW = Math.max(maxW, maxs[j]);
            }
            int bits = total == 0 ? 0 : 64 - Long.numberOfLeadingZeros((long) maxW - minW);
            int passes = (bits + MAX_DIGIT_BITS - 1) / MAX_DIGIT_BITS;
            int digitBits = passes == 0 ? 0 : (bits + passes - 1) / passes;
            int buckets = 1 << digitBits;
            int mask = buckets - 1;
            long bias = minW;
            if (k == 0) {
                plan[0] = passes;
                plan[1] = passes & 1;
                bufB[0] = new long[passes == 0 ? 0 : total]; // read by the others only after the next barrier
                bufB[1] = new long[passes == 0 ? 0 : total];
            }
            // 3. radix passes
            int[] hist = new int[buckets];
            int[] pos = new int[buckets];
            histograms[k] = hist;
            long[] srcKeys = keysA;
            long[] srcEnds = endsA;
            long[] dstKeys = null;
            long[] dstEnds = null;
            for (int p = 0; p < passes; p++) {
                int shift = p * digitBits; // digit p of (key >> 32) - minWeight
                int from = p == 0 ? base : (int) ((long) total * k / threads);
                int to = p == 0 ? base + counts[k] : (int) ((long) total * (k + 1) / threads);
                Arrays.fill(hist, 0);
                for (int i = from; i < to; i++) {
                    hist[(int) ((((srcKeys[i] >> 32) - bias) >>> shift) & mask)]++;
                }
                team.await();
                if (p == 0) {
                    dstKeys = bufB[0];
                    dstEnds = bufB[1];
                }
                int at = 0;
                for (int d = 0; d < buckets; d++) {
                    for (int j = 0; j < threads; j++) {
                        if (j == k) {
                            pos[d] = at;
                        }
                        at += histograms[j][d];
                    }
                }
                for (int i = from; i < to; i++) {
                    long key = srcKeys[i];
                    int at2 = pos[(int) ((((key >> 32) - bias) >>> shift) & mask)]++;
                    dstKeys[at2] = key;
                    dstEnds[at2] = srcEnds[i];
                }
                team.await(); // the scatter is complete, and nobody still reads this pass's counts
                long[] t = srcKeys;
                srcKeys = dstKeys;
                dstKeys = t;
                t = srcEnds;
                srcEnds = dstEnds;
                dstEnds = t;
            }
        });
        // 4. scan
        int passes = plan[0];
        long[] keys = plan[1] == 0 ? keysA : bufB[0];
        long[] ends = plan[1] == 0 ? endsA : bufB[1];
        int[] parent = new int[n];
        for (int v = 0; v < n; v++) {
            parent[v] = v;
        }
        int[] chosen = new int[Math.max(0, n - 1)];
        int edges = 0;
        long totalWeight = 0;
        int candidates = 0;
        for (int j = 0; j < threads; j++) {
            candidates += counts[j];
        }
        // after a pass the keys are compact; without one they still sit in each worker's run, in order
        for (int j = 0; j < (passes == 0 ? threads : 1) && edges < n - 1; j++) {
            int from = passes == 0 ? (int) off[bounds[j]] : 0;
            int to = passes == 0 ? from + counts[j] : candidates;
            for (int i = from; i < to && edges < n - 1; i++) {
                long uv = ends[i];
                int ru = UnionFindComponents.findPlain(parent, (int) (uv >>> 32));
                int rv = UnionFindComponents.findPlain(parent, (int) uv);
                if (ru != rv) {
                    parent[Math.max(ru, rv)] = Math.min(ru, rv);
                    long key = keys[i];
                    chosen[edges++] = (int) key;
                    totalWeight += (int) (key >> 32);
                }
            }
        }
        RunStats stats = new RunStats(METHOD, METHOD, requestedThreads, candidates, 0, 0, -1,
                System.nanoTime() - t0);
        return new Run<>(new SpanningForest(totalWeight, edges, Arrays.copyOf(chosen, edges)), stats,
                Map.of(CANDIDATES, (long) candidates, SORT_PASSES, (long) passes, WORKERS, (long) threads));
    }

    /**
     * The equal-weights case ({@link #runEqualWeights}): any spanning forest is minimum, so the order only breaks
     * ties. Local edges (both ends in one worker's range) come before cross edges here, each group in arc order:
     * the workers unite their local edges at once, as in {@link UnionFindComponents#run}, and worker 0 the few
     * cross edges after them. With one worker this is exactly Kruskal's arc order.
     */
    private static Run<SpanningForest> runEqualWeights(CsrGraph g, int requestedThreads, int threads, long t0) {
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        long weight = g.hasWeights() && tgt.length > 0 ? g.minWeight() : 1;
        boolean undirected = !g.isDirected();
        int[] bounds = UnionFindComponents.arcBalancedRanges(off, n, threads);
        int[] parent = new int[n];
        int[][] local = new int[threads][];
        int[] localCount = new int[threads];
        int[][] cross = new int[threads][];
        int[] crossCount = new int[threads];
        int[] crossChosenCount = new int[threads];
        int[] candidates = new int[threads];
        int[][] out = new int[1][];
        WorkerTeam.run(threads, "msf", null, (k, team) -> {
            int lo = bounds[k];
            int hi = bounds[k + 1];
            for (int v = lo; v < hi; v++) {
                parent[v] = v;
            }
            int[] mine = new int[Math.max(0, hi - lo - 1)]; // a forest on the range's nodes
            int chosen = 0;
            int[] buf = new int[64];
            int pairs = 0;
            int seen = 0;
            for (int u = lo; u < hi; u++) {
                for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                    int v = tgt[e];
                    if (v == u || (undirected && v < u)) {
                        continue;
                    }
                    seen++;
                    if (v < lo || v >= hi) {
                        if (2 * pairs + 2 > buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 2);
                        }
                        buf[2 * pairs] = e;
                        buf[2 * pairs + 1] = u;
                        pairs++;
                        continue;
                    }
                    int ru = UnionFindComponents.findPlain(parent, u);
                    int rv = UnionFindComponents.findPlain(parent, v);
                    if (ru != rv) {
                        parent[Math.max(ru, rv)] = Math.min(ru, rv);
                        mine[chosen++] = e;
                    }
                }
            }
            local[k] = mine;
            localCount[k] = chosen;
            cross[k] = buf;
            crossCount[k] = pairs;
            candidates[k] = seen;
            team.await();
            if (k == 0) { // cross edges, in arc order, on the union of the local forests
                int[] accepted = new int[64];
                int count = 0;
                for (int j = 0; j < threads; j++) {
                    int[] b = cross[j];
                    int before = count;
                    for (int i = 0, end = 2 * crossCount[j]; i < end; i += 2) {
                        int e = b[i];
                        int ra = UnionFindComponents.findPlain(parent, b[i + 1]);
                        int rb = UnionFindComponents.findPlain(parent, tgt[e]);
                        if (ra != rb) {
                            parent[Math.max(ra, rb)] = Math.min(ra, rb);
                            if (count == accepted.length) {
                                accepted = Arrays.copyOf(accepted, count * 2);
                            }
                            accepted[count++] = e;
                        }
                    }
                    crossChosenCount[j] = count - before;
                }
                cross[0] = accepted; // worker 0's own cross buffer is no longer needed
                int total = count;
                for (int j = 0; j < threads; j++) {
                    total += localCount[j];
                }
                out[0] = new int[total];
            }
            team.await();
            // each worker merges its local and its accepted cross edges into its share of the output, in arc order
            int at = 0;
            int crossFrom = 0;
            for (int j = 0; j < k; j++) {
                at += localCount[j] + crossChosenCount[j];
                crossFrom += crossChosenCount[j];
            }
            int[] result = out[0];
            int[] acc = cross[0];
            int i = 0;
            int c = crossFrom;
            int cEnd = crossFrom + crossChosenCount[k];
            while (i < chosen || c < cEnd) {
                result[at++] = c == cEnd || (i < chosen && mine[i] < acc[c]) ? mine[i++] : acc[c++];
            }
        });
        int[] arcs = out[0];
        int total = 0;
        for (int c : candidates) {
            total += c;
        }
        RunStats stats = new RunStats(METHOD, METHOD, requestedThreads, total, 0, 0, -1, System.nanoTime() - t0);
        return new Run<>(new SpanningForest(weight * arcs.length, arcs.length, arcs), stats,
                Map.of(CANDIDATES, (long) total, SORT_PASSES, 0L, WORKERS, (long) threads));
    }

}
