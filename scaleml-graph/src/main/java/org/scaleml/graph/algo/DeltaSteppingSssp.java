package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.LONGS;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Parallel single-source shortest paths by delta-stepping on a team of caller-owned threads: buckets of width
 * delta (a power of two) processed in order, each bucket's entries shared out in chunks to all threads as they
 * appear, new entries kept in thread-local buckets, one barrier per non-empty bucket.
 *
 * <pre>{@code
 * Run<ShortestPaths> r = DeltaSteppingSssp.run(g, source, 2);
 * r.result().dist();                        // equals SequentialDijkstra.distances(g, source)
 * r.counter(DeltaSteppingSssp.PHASES);      // buckets processed (barriers)
 * r.stats().tasks() - r.result().checksum().reachable();   // extra work over Dijkstra
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any {@link CsrGraph} with non-negative weights (weight 1 per arc if unweighted); out-arcs are
 *       followed; parallel arcs, self loops and zero weights are fine.</li>
 *   <li><b>Output:</b> exactly the distances of {@link SequentialDijkstra} ({@link SequentialDijkstra#UNREACHABLE}
 *       where unreachable) at every thread count and delta, as {@link ShortestPaths} whose checksum is computed
 *       during the run and whose parents are derived from the distances on first use, after the run.</li>
 *   <li><b>Delta:</b> {@code delta <= 0} picks it from the graph ({@link #automaticDelta}: the mean arc weight,
 *       sampled, times {@value #DELTA_FACTOR}). Any delta is rounded down to a power of two (bucket index = a
 *       shift), raised if needed so that the arcs span at most {@value #MAX_BUCKETS} buckets, and lowered if
 *       needed to 2<sup>63 - b</sup> ({@code b} = bits of a node id; distances within a bucket are packed with
 *       the node). The delta used is reported as the counter {@link #DELTA}. Delta only changes the speed and
 *       the extra work, never the result.</li>
 *   <li><b>Statistics:</b> a {@link RunStats} with scheduler and queue {@link #METHOD}, tasks = bucket entries
 *       taken (a node is entered once per strict improvement of its distance), wasted = entries found stale (the
 *       node's distance improved after the entry was made; skipped without scanning arcs), empty polls 0,
 *       steals -1; wall time of the whole call, thread start-up included. {@code tasks - wasted} is {@link
 *       ShortestPaths#settled()}: the reachable nodes plus re-settlements (a node relaxed with a distance that
 *       later improved). Counters {@link #PHASES} and {@link #DELTA}.</li>
 *   <li><b>Threads:</b> worker 0 is the calling thread; workers 1..T-1 come from the caller's {@link ThreadFactory}
 *       (default: new daemon threads) and are joined before {@code run} returns (see {@code WorkerTeam}). With
 *       one thread the search runs on the caller with plain memory accesses and no atomics. No pool is kept.</li>
 *   <li><b>Complexity:</b> O(n + m) memory: the {@code long[n]} distances (returned) and the bucket entries (8
 *       bytes each, at most one per strict distance improvement alive at a time). Work O(n + m) per entry
 *       plus re-settlements, which grow with delta; one barrier per non-empty bucket, so the number of phases
 *       falls as delta grows: the trade-off {@link #automaticDelta} balances.</li>
 *   <li><b>Thread safety:</b> stateless; concurrent calls on one graph are independent. The graph is only read.
 *       Everything the run writes happens-before {@code run} returns.</li>
 * </ul>
 */
public final class DeltaSteppingSssp {
    /*
     * Algorithm: delta-stepping [1] in the style of the GAP benchmark suite's implementation [2]: thread-local
     * buckets, no per-task objects. dist[] starts at +inf except dist[source] = 0. A bucket entry is a node with the
     * distance it had when entered; the entry of distance d lives in bucket d >> shift (delta = 2^shift) of the
     * worker that made it. Every phase processes the smallest non-empty bucket b of all workers:
     *
     *  1. A worker whose own published list is claimed to the end and whose local bucket b is not empty publishes
     *     that bucket: it detaches the list (replaced by a free buffer), invalidates its claim word (round << 32 |
     *     MAX, by getAndSet), writes the list and its count, and opens the word (new round << 32 | 0, release).
     *  2. Workers claim chunks of CHUNK entries, own list first, then the others': read the word (acquire), the
     *     list and count, and CAS the word forward. The CAS succeeds only if the word is unchanged, and the owner
     *     changes the list only after invalidating the word, so a successful claim always refers to the list it
     *     read (no ABA: rounds only grow). An entry (v, d) with d > dist[v] is stale: skipped (wasted). Otherwise
     *     v's out-arcs are relaxed: for each arc (v, u, w) dist[u] is lowered to d + w by a min-CAS loop (after a
     *     plain-read filter) and, if and only if this worker's CAS installed the value, (u, d + w) is appended to
     *     this worker's local bucket (d + w) >> shift. Every strict decrease is owned by one entry.
     *  3. Entries of bucket b made during the phase are published again by step 1, so the whole bucket, however
     *     many rounds of light arcs it takes, is shared within one phase. (GAP instead lets each thread process
     *     its own small bins alone, "bin fusion"; on road networks that left one of two workers with almost all
     *     the work here, because most of a bucket is made inside it.) The phase ends when the pending balance is
     *     zero: entries of bucket b present at its start (known to all from the proposals, below) plus entries of
     *     b made minus entries processed. Each worker sums its made-minus-processed locally and adds it to one
     *     shared counter only when it publishes (before the list becomes claimable) and before it checks for the
     *     end. The shared total never undercounts what is left: an entry is counted before anyone else can take
     *     it, and a worker's unflushed sum includes at least one processed entry (counted, so still in the total)
     *     for every entry it has made and not flushed, so the total is positive while any entry waits anywhere.
     *  4. Each worker writes the smallest non-empty bucket it holds and that bucket's size into its proposal slots
     *     (two slot sets used alternately by phase parity) and waits at the team barrier; then every worker reads
     *     all proposals and moves to their minimum, or stops when there is none. After the barrier every list
     *     published in the phase has been processed, so its buffer is free again.
     *
     * Correctness is that of label correcting: an entry exists for every strict decrease, and each is processed
     * (or found stale because a later decrease has its own entry) before the run stops, so at the end every arc
     * (v, u) has dist[u] <= dist[v] + w, and dist[] holds lengths of real paths: the exact distances. The bucket
     * order only bounds the re-settlements. Buckets below b are always empty (pushes never go below the distance
     * being relaxed, which is in bucket b), and live entries lie in buckets b .. b + 1 + maxWeight >> shift, so a
     * ring of a power-of-two number of buckets, at least that span, never wraps onto a live bucket.
     *
     * Entries are longs: ((d & (delta - 1)) << bits) | node, the node in the low bits; the bucket supplies d's high
     * part. One word per entry, no objects, no boxing.
     *
     * Memory ordering. dist[] is read with opaque reads (the filter; a stale read is only larger, and the CAS
     * corrects it) and lowered with a volatile compareAndExchange. An entry carries its own distance, so
     * processing it needs no other datum from its producer; the published lists are plain arrays written before
     * the claim word's release store and read after the claimer's acquire read of it. The invalidating getAndSet
     * (a volatile read-modify-write) keeps the owner's later plain writes of the list and count from moving before
     * it. Proposals are plain writes before the barrier, read after it (WorkerTeam's barrier orders them); the
     * pending counter is only touched by getAndAdd and read with getVolatile. With one thread there is no sharing,
     * no atomics, and each bucket is drained in order by the caller.
     *
     * [1] U. Meyer, P. Sanders, "Delta-stepping: a parallelizable shortest path algorithm", J. Algorithms 49, 2003.
     * [2] S. Beamer, K. Asanovic, D. Patterson, "The GAP Benchmark Suite", arXiv:1508.03619, 2015 (sssp.cc: thread-
     *     local bins, bulk transfer of the next bin, bin fusion).
     */

    /** The method's name, as a {@code --method} flag and in {@link RunStats}. */
    public static final String METHOD = "delta";
    /** Counter: phases, i.e. non-empty buckets processed by the team (one barrier each). */
    public static final String PHASES = "phases";
    /** Counter: the bucket width used (a power of two). */
    public static final String DELTA = "delta";
    /** The automatic delta is the mean arc weight times this, rounded down to a power of two. */
    static final double DELTA_FACTOR = 8.0;
    /** Largest number of buckets in a worker's ring. */
    static final int MAX_BUCKETS = 1 << 16;
    /** Entries per claim from a published bucket. */
    static final int CHUNK = 32;
    /** Arcs sampled for the mean weight. */
    static final int SAMPLE = 1 << 12;
    /** Spins while waiting for another worker's list before yielding. */
    private static final int SPINS = 1 << 10;
    /** No bucket. */
    private static final long NONE = Long.MAX_VALUE;

    private DeltaSteppingSssp() {
    }

    /**
     * Distances from {@code source} on {@code threads} threads (new daemon threads besides the caller), with the
     * automatic delta.
     *
     * @throws IllegalArgumentException if {@code source} is out of range, a weight is negative or {@code threads
     *                                  < 1}
     * @throws NullPointerException     if {@code g} is null
     */
    public static Run<ShortestPaths> run(CsrGraph g, int source, int threads) {
        return run(g, source, threads, 0, null);
    }

    /**
     * Distances from {@code source} on {@code threads} threads.
     *
     * @param delta   bucket width; {@code <= 0} for {@link #automaticDelta}; rounded as the class documentation says
     * @param factory source of worker threads 1..T-1, or null for new daemon threads
     * @throws IllegalArgumentException if {@code source} is out of range, a weight is negative or {@code threads
     *                                  < 1}
     * @throws IllegalStateException    if a worker thread could not be started
     * @throws NullPointerException     if {@code g} is null
     */
    public static Run<ShortestPaths> run(CsrGraph g, int source, int threads, long delta, ThreadFactory factory) {
        Objects.requireNonNull(g, "g");
        long t0 = System.nanoTime();
        SequentialDijkstra.checkNode(g, source, "source");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        int maxWeight = SequentialDijkstra.maxWeightNonNegative(g);
        Search s = new Search(g, source, threads, shiftFor(g, delta <= 0 ? automaticDelta(g) : delta, maxWeight));
        if (threads == 1) {
            s.runSequential();
        } else {
            WorkerTeam.run(threads, "sssp", factory, s::work);
        }
        long tasks = 0;
        long wasted = 0;
        long sum = 0;
        int reachable = 0;
        for (Bins b : s.bins) {
            tasks += b.tasks;
            wasted += b.wasted;
            sum += b.distSum;
            reachable += b.reachable;
        }
        RunStats stats = new RunStats(METHOD, METHOD, threads, tasks, wasted, 0, -1, System.nanoTime() - t0);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(PHASES, s.phases);
        counters.put(DELTA, 1L << s.shift);
        return new Run<>(ShortestPaths.withDerivedParents(g, source, s.dist, tasks - wasted,
                new DistanceChecksum(sum, reachable)), stats, counters);
    }

    /**
     * The delta {@link #run(CsrGraph, int, int)} uses: {@value #DELTA_FACTOR} times the mean weight of up to
     * {@value #SAMPLE} evenly spaced arcs (1 for an unweighted graph), at least 1, before the rounding described
     * in the class documentation. O(1) after the graph's first weight scan.
     */
    static long automaticDelta(CsrGraph g) {
        long m = g.arcs();
        if (!g.hasWeights() || m == 0) {
            return Math.max(1, (long) DELTA_FACTOR);
        }
        int[] w = g.weights();
        long step = Math.max(1, m / SAMPLE);
        long sum = 0;
        long count = 0;
        for (long e = 0; e < m; e += step) {
            sum += w[(int) e];
            count++;
        }
        return Math.max(1, (long) (DELTA_FACTOR * sum / count));
    }

    /** log2 of the delta used: {@code delta} rounded down to a power of two, within the bounds of the class doc. */
    static int shiftFor(CsrGraph g, long delta, int maxWeight) {
        int shift = 63 - Long.numberOfLeadingZeros(Math.max(1, delta));
        while (((long) maxWeight >> shift) + 2 > MAX_BUCKETS) {
            shift++;
        }
        return Math.min(shift, 63 - SequentialDijkstra.nodeBits(g.nodes()));
    }

    /** One worker's ring of buckets, its counters and its share of the checksum. */
    static final class Bins {
        private static final long[] EMPTY = new long[0];
        final long[][] list;
        final int[] size;
        /** Bit k set when bucket slot k is non-empty. */
        final long[] nonEmpty;
        final int mask;
        /** A free buffer to swap in when a bucket is drained by the one-thread search. */
        long[] fuseSpare = EMPTY;
        /** Buffers free for reuse, and buffers published in the current phase (reusable after its barrier). */
        private long[][] free = new long[8][];
        private int freeCount;
        private long[][] used = new long[8][];
        private int usedCount;
        /** Lists this worker has published so far (the claim word's tag). */
        int round;
        /** Entries of the current bucket made minus processed by this worker, not yet added to the shared total. */
        long balance;
        long tasks;
        long wasted;
        long distSum;
        int reachable;

        Bins(int slots) {
            list = new long[slots][];
            Arrays.fill(list, EMPTY);
            size = new int[slots];
            nonEmpty = new long[(slots + 63) >>> 6];
            mask = slots - 1;
        }

        long[] freshList() {
            return freeCount > 0 ? free[--freeCount] : EMPTY;
        }

        void inUse(long[] l) {
            if (l.length == 0) {
                return;
            }
            if (usedCount == used.length) {
                used = Arrays.copyOf(used, usedCount * 2);
            }
            used[usedCount++] = l;
        }

        /** After a barrier: the lists published before it are free again. */
        void recycle() {
            while (usedCount > 0) {
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, freeCount * 2);
                }
                free[freeCount++] = used[--usedCount];
                used[usedCount] = null;
            }
        }

        void push(long bucket, long entry) {
            int s = (int) bucket & mask;
            int k = size[s];
            long[] l = list[s];
            if (k == l.length) {
                l = list[s] = Arrays.copyOf(l, Math.max(16, k * 2));
            }
            l[k] = entry;
            size[s] = k + 1;
            if (k == 0) {
                nonEmpty[s >>> 6] |= 1L << s;
            }
        }

        /** Removes slot {@code s}'s list, leaving {@code replacement} (emptied) in its place; returns the list. */
        long[] detach(int s, long[] replacement) {
            long[] l = list[s];
            list[s] = replacement;
            size[s] = 0;
            nonEmpty[s >>> 6] &= ~(1L << s);
            return l;
        }

        /** @return the smallest non-empty bucket {@code >= b} held here (b is the smallest possible), or NONE */
        long next(long b) {
            int start = (int) b & mask;
            int words = nonEmpty.length;
            int word = start >>> 6;
            long bits = nonEmpty[word] & (-1L << start); // slots start .. end of its word (shift is mod 64)
            for (int i = 0;;) {
                if (bits != 0) {
                    int found = (word << 6) + Long.numberOfTrailingZeros(bits);
                    return b + ((found - start) & mask);
                }
                if (++i > words) {
                    return NONE;
                }
                word = word + 1 == words ? 0 : word + 1;
                bits = nonEmpty[word];
                if (i == words) {
                    bits &= (1L << start) - 1; // back at start's word: only the slots below start
                }
            }
        }
    }

    /** The state of one run, shared by its workers. */
    static final class Search {
        final long[] off;
        /** The graph's arc words: target in the low half, weight in the high half. */
        final long[] arcs;
        final long[] dist;
        final int n;
        final int source;
        final int threads;
        final int shift;
        final int bits;
        final long nodeMask;
        final long lowMask;
        final Bins[] bins;
        /** Published lists and counts per worker (the claim words in {@link #claims}). */
        final long[][] published;
        final int[] publishedCount;
        /** Claim word of worker k at index 16 * (k + 1): (round << 32) | next unclaimed index of its list. */
        final long[] claims;
        /** Proposals of phase parity p by worker k at index 16 * (2 * k + p + 1), and their bucket sizes. */
        final long[] proposals;
        final long[] proposalCounts;
        /** At {@link #PENDING}: entries made in the current bucket minus entries processed, summed over phases. */
        final long[] pending = new long[48];
        static final int PENDING = 16;
        long phases;

        Search(CsrGraph g, int source, int threads, int shift) {
            this.off = g.offsets();
            this.arcs = g.arcWords();
            this.n = g.nodes();
            this.dist = new long[n];
            this.source = source;
            this.threads = threads;
            this.shift = shift;
            this.bits = SequentialDijkstra.nodeBits(n);
            this.nodeMask = (1L << bits) - 1;
            this.lowMask = (1L << shift) - 1;
            int maxWeight = Math.max(0, g.hasWeights() ? g.maxWeight() : 1);
            long span = ((long) maxWeight >> shift) + 2;
            int slots = Math.max(64, Integer.highestOneBit((int) span - 1) << 1);
            bins = new Bins[threads];
            for (int k = 0; k < threads; k++) {
                bins[k] = new Bins(slots);
            }
            published = new long[threads][];
            publishedCount = new int[threads];
            claims = new long[16 * (threads + 2)]; // round 0, index 0 of an empty list
            proposals = new long[16 * (2 * threads + 2)];
            proposalCounts = new long[16 * (2 * threads + 2)];
        }

        private long entry(int node, long d) {
            return ((d & lowMask) << bits) | node;
        }

        /** One thread alone: plain accesses, buckets drained completely one after the other. */
        void runSequential() {
            Arrays.fill(dist, SequentialDijkstra.UNREACHABLE);
            Bins my = bins[0];
            dist[source] = 0;
            my.push(0, entry(source, 0));
            long phases = 0;
            for (long b = 0; b != NONE; b = my.next(b)) {
                phases++;
                int s = (int) b & my.mask;
                long base = b << shift;
                while (my.size[s] > 0) {
                    int count = my.size[s];
                    long[] l = my.detach(s, my.fuseSpare);
                    relaxAllPlain(l, count, base, my);
                    my.fuseSpare = l;
                }
            }
            this.phases = phases;
            checksum(0, my);
        }

        private void relaxAllPlain(long[] l, int count, long base, Bins my) {
            final long[] dist = this.dist;
            final long[] off = this.off;
            final long[] arcs = this.arcs;
            long wasted = 0;
            for (int i = 0; i < count; i++) {
                long x = l[i];
                int v = (int) (x & nodeMask);
                long d = base | (x >>> bits);
                if (d > dist[v]) {
                    wasted++;
                    continue;
                }
                for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                    long a = arcs[e];
                    int u = (int) a;
                    long nd = d + (a >>> 32); // weights are non-negative
                    if (nd < dist[u]) {
                        dist[u] = nd;
                        my.push(nd >>> shift, entry(u, nd));
                    }
                }
            }
            my.tasks += count;
            my.wasted += wasted;
        }

        /** Processes entries {@code [from, to)} of {@code l}, all in the bucket starting at {@code base}. */
        private void relaxAll(long[] l, int from, int to, long base, Bins my) {
            final long[] dist = this.dist;
            final long[] off = this.off;
            final long[] arcs = this.arcs;
            long wasted = 0;
            for (int i = from; i < to; i++) {
                long x = l[i];
                int v = (int) (x & nodeMask);
                long d = base | (x >>> bits);
                if (d > (long) LONGS.getOpaque(dist, v)) {
                    wasted++;
                    continue;
                }
                for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                    long a = arcs[e];
                    int u = (int) a;
                    long nd = d + (a >>> 32); // weights are non-negative
                    long cur = (long) LONGS.getOpaque(dist, u);
                    while (nd < cur) {
                        long witness = (long) LONGS.compareAndExchange(dist, u, cur, nd);
                        if (witness == cur) {
                            my.push(nd >>> shift, entry(u, nd));
                            break;
                        }
                        cur = witness;
                    }
                }
            }
            my.tasks += to - from;
            my.wasted += wasted;
        }

        /** Worker {@code k} of the team. */
        void work(int k, WorkerTeam team) {
            Bins my = bins[k];
            int from = (int) ((long) n * k / threads);
            int to = (int) ((long) n * (k + 1) / threads);
            Arrays.fill(dist, from, to, SequentialDijkstra.UNREACHABLE);
            team.await();
            if (k == 0) {
                dist[source] = 0; // seen by the others after the claim word's release that publishes its entry
                my.push(0, entry(source, 0));
            }
            long b = 0;
            long entered = 1; // entries counted into the pending total so far: the source's
            for (int phase = 0;; phase++) {
                processBucket(k, b, entered, my, team);
                long mine = my.next(b);
                int slot = 16 * (2 * k + (phase & 1) + 1);
                proposals[slot] = mine;
                proposalCounts[slot] = mine == NONE ? 0 : my.size[(int) mine & my.mask];
                team.await();
                my.recycle(); // every list published in the phase has been processed
                long next = NONE;
                for (int j = 0; j < threads; j++) {
                    next = Math.min(next, proposals[16 * (2 * j + (phase & 1) + 1)]);
                }
                if (next == NONE) {
                    if (k == 0) {
                        phases = phase + 1;
                    }
                    break;
                }
                for (int j = 0; j < threads; j++) {
                    int at = 16 * (2 * j + (phase & 1) + 1);
                    if (proposals[at] == next) {
                        entered += proposalCounts[at];
                    }
                }
                b = next;
            }
            checksum(k, my);
        }

        /**
         * One phase: every entry of bucket {@code b}, those there at the start and those made during the phase,
         * is processed by some worker; returns when none is left anywhere ({@code entered} + the shared balance
         * of made minus processed entries = 0).
         */
        private void processBucket(int k, long b, long entered, Bins my, WorkerTeam team) {
            int s = (int) b & my.mask;
            long base = b << shift;
            int spins = 0;
            for (;;) {
                if (my.size[s] > 0 && exhausted(k)) {
                    publish(k, s, my);
                }
                boolean claimed = false;
                for (int j = 0; j < threads && !claimed; j++) {
                    int v = k + j < threads ? k + j : k + j - threads; // own list first
                    claimed = claimAndRelax(v, s, base, my);
                }
                if (claimed) {
                    spins = 0;
                    continue;
                }
                if (my.size[s] > 0) {
                    continue; // own list exhausted: publish the new entries
                }
                flushBalance(my);
                if ((long) LONGS.getVolatile(pending, PENDING) + entered == 0) {
                    return;
                }
                if (team.failed()) {
                    throw new IllegalStateException("another worker failed");
                }
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        /** Whether worker {@code v}'s published list has been claimed to the end. */
        private boolean exhausted(int v) {
            return (int) (long) LONGS.getVolatile(claims, 16 * (v + 1)) >= publishedCount[v];
        }

        /** Publishes this worker's entries of bucket slot {@code s} for claiming (its previous list is exhausted). */
        private void publish(int k, int s, Bins my) {
            int at = 16 * (k + 1);
            int count = my.size[s];
            long[] l = my.detach(s, my.freshList());
            my.inUse(l);
            int round = ++my.round;
            // invalidate first (claimers compare the whole word), then the list, then the word that opens it
            LONGS.getAndSet(claims, at, ((long) round << 32) | Integer.MAX_VALUE);
            published[k] = l;
            publishedCount[k] = count;
            flushBalance(my); // the entries made become visible only after they are counted
            LONGS.setRelease(claims, at, (long) round << 32);
        }

        /** Adds this worker's balance of made minus processed entries of the current bucket to the shared total. */
        private void flushBalance(Bins my) {
            if (my.balance != 0) {
                LONGS.getAndAdd(pending, PENDING, my.balance);
                my.balance = 0;
            }
        }

        /**
         * Claims one chunk of worker {@code v}'s published list, processes it and settles the pending balance;
         * false if nothing was left to claim.
         */
        private boolean claimAndRelax(int v, int s, long base, Bins my) {
            int at = 16 * (v + 1);
            for (;;) {
                long word = (long) LONGS.getAcquire(claims, at);
                int i = (int) word;
                long[] l = published[v];
                int count = publishedCount[v];
                if (i >= count) {
                    return false;
                }
                int take = Math.min(CHUNK, count - i);
                // succeeds only if the word, hence the list and count read after it, is unchanged
                if (LONGS.compareAndSet(claims, at, word, word + take)) {
                    int before = my.size[s];
                    relaxAll(l, i, i + take, base, my);
                    my.balance += my.size[s] - before - take;
                    return true;
                }
            }
        }

        /** This worker's share of the checksum (after the last barrier: every distance is final). */
        private void checksum(int k, Bins my) {
            int from = (int) ((long) n * k / threads);
            int to = (int) ((long) n * (k + 1) / threads);
            long sum = 0;
            int reachable = 0;
            for (int v = from; v < to; v++) {
                long d = dist[v];
                if (d != SequentialDijkstra.UNREACHABLE) {
                    sum += d;
                    reachable++;
                }
            }
            my.distSum = sum;
            my.reachable = reachable;
        }
    }
}
