package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;

/**
 * Parallel breadth-first search by frontiers: level-synchronous, each level's frontier split in chunks between a
 * caller-chosen number of threads, small frontiers expanded by one thread, and Beamer's bottom-up step on levels
 * whose frontier touches a large share of the arcs.
 *
 * <pre>{@code
 * Run<BfsTree> r = FrontierBfs.run(g, source, 2);
 * r.result().levels();              // exactly SequentialBfs.levels(g, source)
 * r.counter(FrontierBfs.LEVELS);    // levels expanded
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Output:</b> exactly the levels of {@link SequentialBfs} (out-arcs followed, weights ignored, {@link
 *       SequentialBfs#UNREACHED} = -1 where unreachable) at every thread count, as a {@link BfsTree} whose
 *       checksum is computed during the run (parents derived on first use, after the run).</li>
 *   <li><b>Statistics:</b> a {@link RunStats} with scheduler {@link #METHOD}, queue {@code "frontier"}, tasks =
 *       nodes visited (each node is claimed exactly once, so wasted = 0), empty polls = 0 and steals = -1 (chunks
 *       are claimed from a shared cursor, nobody owns work to steal); wall time of the whole call, thread
 *       start-up included. Counters {@link #LEVELS}, {@link #PARALLEL_LEVELS} and {@link #BOTTOM_UP_LEVELS}.</li>
 *   <li><b>Bottom-up step:</b> needs the in-arcs of every node: used on undirected graphs (in-arcs are the
 *       out-arcs), and on directed graphs only when the caller passes the transpose (it is not built here: that
 *       costs more than one search). Without it every level is top-down; the answer is the same.</li>
 *   <li><b>Threads:</b> worker 0 is the calling thread; workers 1..T-1 run on threads from the caller's {@link
 *       ThreadFactory} (default: new daemon threads), started only when a frontier first grows large enough to
 *       split, and never on a graph of fewer than 2^18 arcs (there the calling thread searches alone: starting
 *       a thread costs more than the split saves; {@link RunStats#threads()} still reports the threads asked
 *       for). They are not joined: when {@code run} returns they have nothing left to do and end on their own
 *       (a worker the OS keeps descheduled ends when it next runs) without touching the result. No pool is
 *       kept between calls.</li>
 *   <li><b>Complexity:</b> O(n + m) work (one claim per node; a bottom-up level scans the unvisited nodes' in-arcs
 *       until it finds a parent); memory: the {@code int[n]} levels (returned) and an {@code int[n]} queue.</li>
 *   <li><b>Thread safety:</b> stateless; concurrent calls on one (immutable) graph are independent. The
 *       returned arrays are fully written when {@code run} returns.</li>
 * </ul>
 */
public final class FrontierBfs {
    /*
     * Algorithm. One int[n] queue holds every visited node in discovery order, as in SequentialBfs: the frontier of
     * the current level is the segment [start, end), the next level is appended behind it. A level is expanded in
     * one of three ways, chosen between levels from the frontier's size:
     *
     *  - sequential top-down (frontier out-arcs < parallelMinArcs, or one thread): plain reads and writes, by the
     *    thread that completed the previous level while no other can touch the search (see below); a run of
     *    small levels is expanded in one go.
     *  - parallel top-down: workers claim chunks of [start, end) by CAS on a shared cursor (below); for each
     *    out-neighbour u of a claimed node, a plain (racy) read of level[u] filters out visited nodes and a CAS
     *    -1 -> depth+1 claims the others, so each node is claimed, and appended, exactly once. Claimed nodes go to
     *    a small per-thread buffer, copied into the queue behind a getAndAdd on the shared tail when it is full
     *    and at the end of each claim: one atomic per BUFFER nodes at most, no shared operation per node.
     *  - parallel bottom-up [1]: workers claim chunks of the node range; an unvisited node scans its in-arcs for
     *    a node of the current depth and, on the first found, takes level depth+1 with a plain write (only its
     *    chunk's owner writes it; concurrent readers compare with depth and so ignore both old and new value).
     *    Found nodes are appended as above, so the queue stays the frontier of the next level.
     *
     * Switch rule (Beamer, Asanovic, Patterson [1], with their constants): with mf = out-arcs of the frontier and
     * mu = out-arcs of the nodes not yet visited, go bottom-up when mf > mu / ALPHA (ALPHA = 15); come back top-down
     * when the frontier has shrunk since the last level and holds fewer than n / BETA nodes (BETA = 18). Only
     * frontiers with at least parallelMinArcs out-arcs go bottom-up (a bottom-up level scans all n nodes). Bottom-up
     * pays on low-diameter graphs (R-MAT, social graphs) whose middle levels hold most of the graph; it does not
     * pay on a directed graph of which the source reaches a small part (wiki-Vote from node 0 reaches a third of
     * the nodes: each bottom-up level rescans the in-arcs of the unreachable two thirds), which is one more reason
     * why directed graphs go bottom-up only when the caller passes the transpose; on road
     * networks mf never comes near mu / 15 and every level stays top-down. Arc counts are the out-degrees summed
     * when nodes are appended (one shared add per chunk); without in-arcs the bottom-up step is impossible and
     * mf is estimated as the frontier's size times the average degree (it only decides sequential or parallel).
     *
     * Back-off: a parallel level costs a CAS per claimed node and shared cache lines, which pays only if another
     * thread takes part. On a loaded machine the helpers are often descheduled or parked when a level opens, and
     * the thread that opened it expands it alone. So the worker completing a parallel level notes whether it
     * claimed all of it itself; if so the threshold parallelMinArcs doubles (up to 2^16 arcs), and a level that
     * was shared halves it again (down to the tuned value). Levels above the raised threshold still go parallel,
     * so helpers that return bring it back down. The answer never depends on it.
     *
     * Synchronisation: no barrier that waits for every thread. A parallel level is published as an epoch e (a
     * release write); its claims come from one shared long CURSOR = (e << 32) | units left, taken by CAS, so a
     * claim succeeds only while level e is open and has units left, whatever stale view of the level fields the
     * claimer holds. Each claim is reported, after its nodes are in the queue and its arcs added, by a getAndAdd
     * on DONE_UNITS; the worker whose report completes the level runs the level step (advance) alone: every other
     * claim of the level is reported, no new one can succeed, so it owns the search until it publishes e + 1 (or
     * -1, done). The getAndAdd chain orders every worker's writes (levels, queue, counters) before the step, and
     * the epoch's release/acquire orders the step's writes before every reader of the next level. A worker that
     * read the fields of level e, then slept while later levels were set up, cannot use the wrong fields: its
     * claim CAS fails (the fields are rewritten only after the level's last claim is reported, which happens
     * after the reads that preceded any successful claim). So a thread that the OS deschedules between levels
     * delays nobody; one descheduled inside a chunk delays its level by that chunk only. The level step
     * expands small frontiers sequentially before publishing: on road networks the first and last hundreds of
     * levels are a handful of nodes each and cost no synchronisation at all. Waiting workers spin, then yield,
     * then park until the next level's publisher unparks them (it looks for sleepers after each publication), so
     * a long sequential stretch neither burns a shared core nor wakes a sleeper that would preempt the worker. The caller runs
     * the first sequential stretch before any thread starts: a search that never grows large starts none. The
     * workers are not joined: once the search is published done they only return (every claim fails).
     *
     * [1] S. Beamer, K. Asanovic, D. Patterson, "Direction-Optimizing Breadth-First Search", SC 2012.
     */

    /** {@link RunStats#scheduler()} of these runs, and the name a {@code --method} flag would use. */
    public static final String METHOD = "frontier";
    /** Counter: levels expanded, the last one finding no new node (the source's eccentricity plus one). */
    public static final String LEVELS = "levels";
    /** Counter: levels expanded by all threads (top-down or bottom-up); the rest ran on one thread. */
    public static final String PARALLEL_LEVELS = "parallelLevels";
    /** Counter: levels expanded bottom-up. */
    public static final String BOTTOM_UP_LEVELS = "bottomUpLevels";

    /**
     * Thresholds of the mode switches.
     *
     * @param parallelMinArcs a frontier with fewer out-arcs is expanded by one thread, top-down
     * @param minGraphArcs    a graph with fewer arcs is searched by the calling thread alone (starting a thread
     *                        costs more than the parallel levels save)
     * @param alpha           go bottom-up when the frontier's out-arcs exceed the unvisited nodes' out-arcs / alpha
     *                        (0: never)
     * @param beta            go back top-down when a shrinking frontier holds fewer than n / beta nodes
     */
    record Tuning(long parallelMinArcs, long minGraphArcs, long alpha, long beta) {
        static final Tuning DEFAULT = new Tuning(1024, 1 << 18, 15, 18);
    }

    private FrontierBfs() {
    }

    /**
     * Hop levels from {@code source} on {@code threads} threads (the caller and new daemon threads).
     *
     * @throws IllegalArgumentException if {@code source} is out of range or {@code threads < 1}
     */
    public static Run<BfsTree> run(CsrGraph g, int source, int threads) {
        return run(g, null, source, threads, null);
    }

    /**
     * Hop levels from {@code source}, workers 1..T-1 on threads of {@code threadFactory} (null: new daemon threads).
     *
     * @param transpose {@code g.transpose()} to allow bottom-up levels on a directed graph, or null
     * @throws IllegalArgumentException if {@code source} is out of range, {@code threads < 1}, or {@code transpose}
     *                                  has another number of nodes or arcs than {@code g}
     * @throws IllegalStateException    if a worker thread could not be started or failed
     */
    public static Run<BfsTree> run(CsrGraph g, CsrGraph transpose, int source, int threads,
                                   ThreadFactory threadFactory) {
        return run(g, transpose, source, threads, threadFactory, Tuning.DEFAULT);
    }

    static Run<BfsTree> run(CsrGraph g, CsrGraph transpose, int source, int threads, ThreadFactory threadFactory,
                            Tuning tuning) {
        Objects.requireNonNull(g, "g");
        SequentialDijkstra.checkNode(g, source, "source");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (transpose != null && (transpose.nodes() != g.nodes() || transpose.arcs() != g.arcs())) {
            throw new IllegalArgumentException("transpose has " + transpose.nodes() + " nodes and " + transpose.arcs()
                    + " arcs, the graph " + g.nodes() + " and " + g.arcs());
        }
        long t0 = System.nanoTime();
        CsrGraph in = transpose != null ? transpose : g.isDirected() ? null : g;
        Search s = new Search(g, in, source, g.arcs() < tuning.minGraphArcs() ? 1 : threads, tuning);
        s.advance(); // the first sequential stretch, on the caller alone
        if (s.mode != Search.DONE) {
            s.runWorkers(threadFactory);
        }
        DistanceChecksum checksum = new DistanceChecksum(s.levelSum, s.end);
        RunStats stats = new RunStats(METHOD, METHOD, threads, s.end, 0, 0, -1, System.nanoTime() - t0);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(LEVELS, (long) s.levels);
        counters.put(PARALLEL_LEVELS, (long) s.parallelLevels);
        counters.put(BOTTOM_UP_LEVELS, (long) s.bottomUpLevels);
        return new Run<>(BfsTree.of(g, source, s.level, checksum), stats, counters);
    }

    /** The state of one search, shared by its workers. */
    static final class Search {
        static final int TOP_DOWN = 0;
        static final int BOTTOM_UP = 1;
        static final int DONE = 2;
        /** Nodes a worker collects before copying them into the queue. */
        static final int BUFFER = 512;
        /** Highest sequential/parallel threshold the back-off reaches (see the class comment). */
        static final long MAX_PARALLEL_MIN_ARCS = 1 << 16;
        /** Nodes per bottom-up chunk. */
        static final int BOTTOM_UP_CHUNK = 1024;
        /** Waiting for the next level: spins, then yields, then parks until the level's publisher unparks it. */
        private static final int SPINS = 1 << 10;
        private static final int YIELDS = 1 << 6;

        /** Padded slots of the shared counters, 128 bytes apart and away from the array header. */
        private static final int CURSOR = 16;
        private static final int DONE_UNITS = 32;
        private static final int TAIL = 48;
        private static final int ARCS = 64;
        private static final int EPOCH = 80;
        private static final int SLEEPERS = 96;
        private static final VarHandle LONGS = ParallelRuns.LONGS;

        final int n;
        final long[] off;
        final int[] tgt;
        /** In-arcs for the bottom-up step, null when it is not available. */
        final long[] inOff;
        final int[] inTgt;
        final int[] level;
        final int[] queue;
        final int threads;
        final Tuning tuning;
        /**
         * Out-arcs per node, at least 1: without in-arcs (no bottom-up step) the frontier's out-arcs are estimated
         * as its size times this, which saves reading the degree of every node as it is appended.
         */
        final long averageDegree;
        /** CURSOR: (epoch << 32) | units left to claim; DONE_UNITS, TAIL, ARCS, EPOCH: see the class comment. */
        private final long[] shared = new long[SLEEPERS + 16];
        /** The worker threads, the caller's first; written before any is started. */
        private Thread[] workers;
        private volatile Throwable failure;

        // Level state: written by the thread running advance() before it publishes the epoch, read after it.
        int mode = TOP_DOWN;
        /** Level of the frontier's nodes. */
        int depth;
        int start;
        int end;
        /** Units (frontier nodes or bottom-up nodes) of the level, and per claim. */
        int units;
        int chunk;
        int epoch;
        long frontierArcs;
        long unvisitedArcs;
        int previousFrontier;
        long levelSum;
        int levels;
        int parallelLevels;
        int bottomUpLevels;
        /** True while the workers build the level behind {@code end}; its counts are closed by advance(). */
        private boolean pendingLevel;
        /** False when the worker that completed the last parallel level had claimed all of it itself. */
        private boolean helped;
        /** The sequential/parallel threshold in force: tuning.parallelMinArcs(), raised while nobody helps. */
        private long parallelMinArcs;

        Search(CsrGraph g, CsrGraph in, int source, int threads, Tuning tuning) {
            n = g.nodes();
            off = g.offsets();
            tgt = g.targets();
            inOff = in == null ? null : in.offsets();
            inTgt = in == null ? null : in.targets();
            this.threads = threads;
            this.tuning = tuning;
            level = new int[n];
            Arrays.fill(level, SequentialBfs.UNREACHED);
            queue = new int[n];
            level[source] = 0;
            queue[0] = source;
            end = 1;
            frontierArcs = off[source + 1] - off[source];
            unvisitedArcs = off[n] - frontierArcs;
            averageDegree = Math.max(1, off[n] / n);
            parallelMinArcs = tuning.parallelMinArcs();
        }

        /**
         * The level step, run by one thread while no other can touch the search (before the workers start, or by
         * the worker that completed the level): closes the level the workers just built (if any), picks the next
         * level's mode, expanding small frontiers sequentially on the way, and sets up the claims of the next
         * parallel level. The caller publishes it with the epoch.
         */
        void advance() {
            if (pendingLevel) {
                closeLevel((int) (long) LONGS.getOpaque(shared, TAIL), (long) LONGS.getOpaque(shared, ARCS));
                pendingLevel = false;
                parallelMinArcs = helped ? Math.max(tuning.parallelMinArcs(), parallelMinArcs / 2)
                        : Math.min(parallelMinArcs * 2, MAX_PARALLEL_MIN_ARCS);
            }
            for (;;) {
                int size = end - start;
                if (size == 0) {
                    mode = DONE;
                    return;
                }
                boolean large = frontierArcs >= parallelMinArcs;
                if (inOff != null && large && tuning.alpha() > 0 && (mode == TOP_DOWN
                        ? frontierArcs > unvisitedArcs / tuning.alpha()
                        : size >= previousFrontier || size >= n / tuning.beta())) {
                    mode = BOTTOM_UP;
                    bottomUpLevels++;
                    parallelLevels += threads > 1 ? 1 : 0;
                    openLevel(n, BOTTOM_UP_CHUNK);
                    return;
                }
                mode = TOP_DOWN;
                if (threads > 1 && large) {
                    parallelLevels++;
                    openLevel(size, Math.max(16, Math.min(1024, size / (threads * 8))));
                    return;
                }
                expandSequentially();
            }
        }

        /** Sets up the claims of a parallel level of {@code units} units, {@code chunk} per claim. */
        private void openLevel(int units, int chunk) {
            this.units = units;
            this.chunk = chunk;
            epoch++;
            LONGS.setOpaque(shared, TAIL, (long) end);
            LONGS.setOpaque(shared, ARCS, 0L);
            LONGS.setOpaque(shared, DONE_UNITS, 0L);
            LONGS.setOpaque(shared, CURSOR, ((long) epoch << 32) | units);
            pendingLevel = true;
        }

        /** Records the level appended behind {@code end}: it becomes the frontier. */
        private void closeLevel(int tail, long arcs) {
            levels++;
            previousFrontier = end - start;
            depth++;
            start = end;
            end = tail;
            levelSum += (long) depth * (end - start);
            frontierArcs = inOff != null ? arcs : (end - start) * averageDegree;
            unvisitedArcs -= frontierArcs;
        }

        /** Expands the frontier with plain accesses (one thread alone). */
        private void expandSequentially() {
            boolean countArcs = inOff != null;
            int next = depth + 1;
            int tail = end;
            long arcs = 0;
            for (int i = start; i < end; i++) {
                int v = queue[i];
                for (int e = (int) off[v], stop = (int) off[v + 1]; e < stop; e++) {
                    int u = tgt[e];
                    if (level[u] < 0) {
                        level[u] = next;
                        queue[tail++] = u;
                        if (countArcs) {
                            arcs += off[u + 1] - off[u];
                        }
                    }
                }
            }
            closeLevel(tail, arcs);
        }

        /** Publishes the level set up by advance(); every field written before is visible to its readers. */
        private void publish() {
            release(mode == DONE ? -1 : epoch);
        }

        /**
         * Publishes {@code e} and unparks the parked workers. The volatile write and the volatile read of SLEEPERS
         * pair with the sleeper's increment and re-read of the epoch (both sides store, then load): either the
         * sleeper sees {@code e} or this sees the sleeper.
         */
        private void release(long e) {
            LONGS.setVolatile(shared, EPOCH, e);
            if ((long) LONGS.getVolatile(shared, SLEEPERS) > 0) {
                Thread[] w = workers;
                for (int k = 0; w != null && k < w.length; k++) {
                    if (w[k] != null) {
                        LockSupport.unpark(w[k]);
                    }
                }
            }
        }

        /** Starts workers 1..T-1 and runs worker 0 here until the search is done. */
        void runWorkers(ThreadFactory factory) {
            Thread[] w = new Thread[threads];
            w[0] = Thread.currentThread();
            workers = w;
            publish();
            for (int k = 1; k < threads; k++) {
                Runnable body = this::work;
                Thread t;
                try {
                    if (factory == null) {
                        t = new Thread(body, "scaleml-bfs-" + k);
                        t.setDaemon(true);
                    } else {
                        t = factory.newThread(body);
                        if (t == null) {
                            throw new IllegalStateException("thread factory returned null for worker " + k);
                        }
                    }
                    w[k] = t;
                    t.start();
                } catch (RuntimeException | Error e) {
                    fail(e);
                    throw e instanceof IllegalStateException ? (IllegalStateException) e
                            : new IllegalStateException("could not start worker " + k + ": " + e, e);
                }
            }
            work();
            Throwable t = failure;
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("BFS worker failed: " + t, t);
            }
        }

        private void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
            release(-1); // releases every waiter
        }

        /** One worker: takes part in every level it sees published, until the search is done or failed. */
        private void work() {
            int[] buffer = new int[BUFFER];
            long seen = 0; // the first published epoch is at least 1
            try {
                for (;;) {
                    long e = awaitEpochAfter(seen);
                    if (e < 0) {
                        return;
                    }
                    seen = e;
                    takePart((int) e, buffer);
                }
            } catch (RuntimeException | Error x) {
                fail(x);
            }
        }

        /** Waits until the published epoch differs from {@code seen}; returns it (-1: done or failed). */
        private long awaitEpochAfter(long seen) {
            long e;
            for (int waited = 0; (e = (long) LONGS.getAcquire(shared, EPOCH)) == seen; waited++) {
                if (waited < SPINS) {
                    Thread.onSpinWait();
                } else if (waited < SPINS + YIELDS) {
                    Thread.yield();
                } else {
                    LONGS.getAndAdd(shared, SLEEPERS, 1L);
                    while ((e = (long) LONGS.getVolatile(shared, EPOCH)) == seen) {
                        LockSupport.park(this);
                    }
                    LONGS.getAndAdd(shared, SLEEPERS, -1L);
                    return e;
                }
            }
            return e;
        }

        /** Claims and expands chunks of level {@code e} until none is left; the worker completing it moves on. */
        private void takePart(int e, int[] buffer) {
            // A snapshot of the level, valid for every successful claim below (see the class comment).
            boolean bottomUp = mode == BOTTOM_UP;
            int from0 = start;
            int total = units;
            int step = chunk;
            int d = depth;
            int mine = 0;
            for (;;) {
                long c = (long) LONGS.getVolatile(shared, CURSOR);
                int left = (int) c;
                if ((int) (c >>> 32) != e || left == 0) {
                    return;
                }
                int take = Math.min(step, left);
                if (!LONGS.compareAndSet(shared, CURSOR, c, c - take)) {
                    continue;
                }
                int first = total - left;
                long arcs = bottomUp ? bottomUp(first, first + take, d, buffer)
                        : topDown(from0 + first, from0 + first + take, d, buffer);
                if (arcs > 0) {
                    LONGS.getAndAdd(shared, ARCS, arcs);
                }
                mine += take;
                if ((long) LONGS.getAndAdd(shared, DONE_UNITS, (long) take) + take == total) {
                    helped = mine < total;
                    advance(); // this worker completed the level: every other claim of it is reported
                    publish();
                    return;
                }
            }
        }

        /**
         * Top-down expansion of queue[from, to) at depth {@code d}: appends the nodes it claims to the queue
         * (through {@code buffer}); returns the sum of their out-degrees (0 without in-arcs: not needed).
         */
        private long topDown(int from, int to, int d, int[] buffer) {
            boolean countArcs = inOff != null;
            int next = d + 1;
            int count = 0;
            long arcs = 0;
            for (int i = from; i < to; i++) {
                int v = queue[i];
                for (int e = (int) off[v], last = (int) off[v + 1]; e < last; e++) {
                    int u = tgt[e];
                    if (level[u] < 0 && INTS.compareAndSet(level, u, SequentialBfs.UNREACHED, next)) {
                        if (countArcs) {
                            arcs += off[u + 1] - off[u];
                        }
                        buffer[count++] = u;
                        if (count == BUFFER) {
                            count = flush(buffer, count);
                        }
                    }
                }
            }
            flush(buffer, count);
            return arcs;
        }

        /** Bottom-up step over nodes [from, to) at depth {@code d}; same result as topDown. */
        private long bottomUp(int from, int to, int d, int[] buffer) {
            int next = d + 1;
            int count = 0;
            long arcs = 0;
            for (int v = from; v < to; v++) {
                if (level[v] >= 0) {
                    continue;
                }
                for (int e = (int) inOff[v], last = (int) inOff[v + 1]; e < last; e++) {
                    if (level[inTgt[e]] == d) {
                        level[v] = next;
                        arcs += off[v + 1] - off[v];
                        buffer[count++] = v;
                        if (count == BUFFER) {
                            count = flush(buffer, count);
                        }
                        break;
                    }
                }
            }
            flush(buffer, count);
            return arcs;
        }

        /** Copies {@code count} buffered nodes behind the queue's shared tail; returns 0. */
        private int flush(int[] buffer, int count) {
            if (count > 0) {
                int at = (int) (long) LONGS.getAndAdd(shared, TAIL, (long) count);
                System.arraycopy(buffer, 0, queue, at, count);
            }
            return 0;
        }
    }
}
