package org.scaleml.graph.algo;

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
 * Parallel breadth-first search by frontiers: level-synchronous, each level's frontier cut into one part per
 * thread (a caller-chosen number), small frontiers expanded by one thread, no atomic operation per node, and
 * Beamer's bottom-up step on levels whose frontier touches a large share of the arcs.
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
 *       nodes reached (exact), wasted = 0, empty polls = 0 and steals = -1 (parts are claimed from a shared
 *       cursor, nobody owns work to steal); wall time of the whole call, thread start-up included. Counters {@link
 *       #LEVELS}, {@link #PARALLEL_LEVELS} and {@link #BOTTOM_UP_LEVELS}. A node that two threads discover at the
 *       same instant is expanded by both (rare, see the class comment); the repeat is not counted as a task.</li>
 *   <li><b>Bottom-up step:</b> needs the in-arcs of every node: used on undirected graphs (in-arcs are the
 *       out-arcs), and on directed graphs only when the caller passes the transpose (it is not built here: that
 *       costs more than one search). Without it every level is top-down; the answer is the same.</li>
 *   <li><b>Threads:</b> worker 0 is the calling thread; workers 1..T-1 run on threads from the caller's {@link
 *       ThreadFactory} (default: new daemon threads), started only when a frontier first grows large enough to
 *       split, and never on a graph of fewer than 2^18 arcs (there the calling thread searches alone: starting
 *       a thread costs more than the split saves; {@link RunStats#threads()} still reports the threads asked
 *       for). They are not joined: when {@code run} returns they have nothing left to do and end on their own
 *       (a worker the OS keeps descheduled ends when it next runs) without touching the result. Inside {@link
 *       GraphWorkers#call} (and without a thread factory) workers 1..T-1 are the caller's kept threads instead,
 *       which saves the thread start (0.2 to 6 ms on the VMs this was measured on); they are back in their pool
 *       when {@code run} returns. No level waits for a thread that has not started it: on a loaded machine the running
 *       threads take its part.</li>
 *   <li><b>Complexity:</b> O(n + m) work (a bottom-up level scans the unvisited nodes' in-arcs until it finds a
 *       parent); memory: the {@code int[n]} levels (returned), an {@code int[n]} list of the nodes found by the
 *       calling thread and, per other thread, an {@code int[n]} list of the nodes it found (allocated by
 *       that thread).</li>
 *   <li><b>Thread safety:</b> stateless; concurrent calls on one (immutable) graph are independent. The
 *       returned arrays are fully written when {@code run} returns.</li>
 * </ul>
 */
public final class FrontierBfs {
    /*
     * Algorithm. Level-synchronous BFS. Each worker appends the nodes it discovers to its own list (the caller's
     * and the others' hold n, allocated by their own threads: a list grown by copying while the search runs made
     * the helper twice as slow per node on road networks; a worker never appends a node twice, see below); the
     * frontier of a level is the concatenation of at most T segments of these lists (segList/segFrom/segTo). A
     * level is expanded in one of three ways, chosen between levels from the frontier's out-arcs:
     *
     *  - sequential top-down (frontier out-arcs < parallelMinArcs, 128 by default, or one thread): plain reads and
     *    writes by the thread that completed the previous level while no other can touch the search (see below);
     *    a run of small levels is expanded in one go (a "stretch"). On road networks the first and last hundreds
     *    of levels are a handful of nodes each and cost no synchronisation at all.
     *  - parallel top-down: segment k of the frontier holds what worker k found in the previous level and is
     *    worker k's range; a range is cut into parts (PARTS_PER_WORKER per worker, at least MIN_CHUNK nodes each;
     *    frontiers of DYNAMIC_MIN_NODES nodes or more: parts of a few hundred nodes, for skewed degrees), claimed
     *    from the range's own cursor, one CAS per part. A worker claims its own range's parts first (its cache
     *    holds those nodes and, on road networks, the level[] entries of their neighbours: each worker keeps to
     *    its part of the wave front), then the other ranges' parts that are left (a slow worker's parts are
     *    taken by the others). A single-segment frontier (after a sequential level) is the range of the worker
     *    that expanded it. For
     *    each out-neighbour u of its nodes a worker reads level[u] and, if it is -1, writes depth + 1 and appends
     *    u, both with plain accesses: no CAS per node. Every writer of level[u] in this level writes the same
     *    value, and nothing in the level reads it except to compare it with -1, so the levels are exact. Two
     *    workers can both read -1 for the same u before either write reaches the other: u is then appended by
     *    both and expanded twice in the next level, which writes the same levels again (a worker never appends a
     *    node twice: it sees its own write). Because of these rare repeats the frontier sizes are not exact node
     *    counts; when a parallel top-down level ran, a last parallel round (COUNT) scans level[] in T parts for
     *    the exact number of nodes reached and the level sum of the checksum.
     *  - parallel bottom-up [1]: parts of BOTTOM_UP_CHUNK nodes of [0, n); an unvisited node scans its in-arcs for
     *    a node of the current depth and, on the first found, takes level depth + 1 with a plain write (only its
     *    part's claimer writes it; concurrent readers compare with depth and so ignore both old and new value)
     *    and is appended to the claimer's list, exactly once.
     *
     * Switch rule (Beamer, Asanovic, Patterson [1], with their constants): with mf = out-arcs of the frontier and
     * mu = out-arcs of the nodes not yet visited, go bottom-up when mf > mu / ALPHA (ALPHA = 15); come back top-down
     * when the frontier has shrunk since the last level and holds fewer than n / BETA nodes (BETA = 18). Only
     * frontiers with at least bottomUpMinArcs (1024) out-arcs go bottom-up (a bottom-up level scans all n nodes).
     * Bottom-up pays on low-diameter graphs (R-MAT, social graphs) whose middle levels hold most of the graph; it
     * does not pay on a directed graph of which the source reaches a small part (wiki-Vote from node 0 reaches a
     * third of the nodes: each bottom-up level rescans the in-arcs of the unreachable two thirds), which is one
     * more reason why directed graphs go bottom-up only when the caller passes the transpose; on road networks mf
     * never comes near mu / 15 and every level stays top-down. Arc counts are the out-degrees summed when nodes are
     * appended; without in-arcs the bottom-up step is impossible and mf is estimated as the frontier's size times
     * the average degree (it only decides sequential or parallel). With one thread the calling thread runs every
     * level itself, bottom-up ones included, and the counts are exact.
     *
     * Synchronisation: no barrier that waits for every thread (a worker the OS deschedules would stall every level
     * on a shared machine). A parallel round is published as an epoch e (a release write); its parts come from T
     * cursors, one per range (bottom-up and counting rounds: T equal slices of [0, n)), each a long
     * (e << 32) | parts left in the range, taken by CAS, so a claim succeeds only while round e is open and the
     * range has parts left, whatever stale view of the round fields the claimer holds; the claimer reads the
     * round's fields (range bounds, part size) only after its claim succeeded. (A cursor holding a position
     * instead of a count of parts left would let a claimer that read a finished round's cursor, then the next
     * round's bounds, succeed: the cursor still holds the old value until the next round rewrites it.)
     * A worker records what it found in the round (list, segment, out-arcs, tagged e) in its padded Slot before
     * reporting each part by a getAndAdd on
     * DONE_PARTS; the worker whose report completes the round gathers the slots tagged e into the next frontier
     * and plans the next round alone (complete, plan): every other part of the round is reported, no new claim can
     * succeed, so it owns the search until it publishes e + 1 (or -1, done). The getAndAdd chain orders every
     * worker's writes (levels, lists, slots) before the step, and the epoch's release/acquire orders the step's
     * writes before every claimer of the next round. A worker that read the fields of round e, then slept while
     * later rounds were set up, cannot use the wrong fields: its claim CAS fails (the fields are rewritten only
     * after the round's last part is reported, which happens after the reads that preceded any successful claim).
     * So a worker descheduled between rounds delays nobody (the others claim its part); one descheduled inside a
     * part delays its round by that part only. Waiting workers spin, then yield, then park until the next round's
     * publisher unparks them (it looks for sleepers after each publication), so a long sequential stretch neither
     * burns a shared core nor wakes a sleeper that would preempt the worker. The caller runs the first stretch
     * before any thread starts: a search that never grows large starts none.
     *
     * Back-off: a parallel level pays only if another thread takes part. On a loaded machine the helpers are often
     * descheduled when a round opens, and the thread that opened it runs every part itself. So the worker
     * completing a parallel round notes whether it claimed all of it; if so, and every worker has started (the
     * first rounds of a search often run before the new threads do), the threshold parallelMinArcs doubles
     * (up to 2^16 arcs), and a round that was shared halves it again (down to the tuned value). Levels above the
     * raised threshold still go parallel, so helpers that return bring it back down, and after REPROBE_LEVELS (64)
     * levels kept sequential by the raised threshold alone it drops back to the tuned value once, to look for
     * helpers again. The answer never depends on it.
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
     * @param bottomUpMinArcs a frontier with fewer out-arcs is never expanded bottom-up
     * @param minGraphArcs    a graph with fewer arcs is searched by the calling thread alone (starting a thread
     *                        costs more than the parallel levels save)
     * @param alpha           go bottom-up when the frontier's out-arcs exceed the unvisited nodes' out-arcs / alpha
     *                        (0: never)
     * @param beta            go back top-down when a shrinking frontier holds fewer than n / beta nodes
     */
    record Tuning(long parallelMinArcs, long bottomUpMinArcs, long minGraphArcs, long alpha, long beta) {
        static final Tuning DEFAULT = new Tuning(128, 1024, 1 << 18, 15, 18);

        /** The same threshold for splitting a level and for going bottom-up. */
        Tuning(long minArcs, long minGraphArcs, long alpha, long beta) {
            this(minArcs, minArcs, minGraphArcs, alpha, beta);
        }
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
        s.search(threadFactory);
        State st = s.st;
        DistanceChecksum checksum = new DistanceChecksum(st.levelSum, st.reached);
        RunStats stats = new RunStats(METHOD, METHOD, threads, st.reached, 0, 0, -1, System.nanoTime() - t0);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(LEVELS, (long) st.levels);
        counters.put(PARALLEL_LEVELS, (long) st.parallelLevels);
        counters.put(BOTTOM_UP_LEVELS, (long) st.bottomUpLevels);
        return new Run<>(BfsTree.of(g, source, s.level, checksum), stats, counters);
    }

    /** The search state every worker keeps a copy of; worker 0's is the answer. */
    /** The search state, owned by one thread at a time (see the class comment). */
    static final class State {
        /** Level of the frontier's nodes. */
        int depth;
        /** TOP_DOWN or BOTTOM_UP: how the last level was expanded (the switch rule depends on it). */
        int mode;
        int frontierSize;
        int previousFrontier;
        long frontierArcs;
        long unvisitedArcs;
        int levels;
        int parallelLevels;
        int bottomUpLevels;
        long levelSum;
        int reached;
        /** A parallel top-down level ran: frontier sizes may count repeats, so the counts are taken at the end. */
        boolean repeats;
    }

    /** Padding before the fields of a {@link Slot}. */
    abstract static class SlotPad {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
    }

    /** The fields of a {@link Slot}. */
    abstract static class SlotFields extends SlotPad {
        /** The round these fields describe; older values are ignored. */
        int epoch;
        /** The worker's list; its nodes [from, to) are what it found in that round. */
        int[] list;
        int from;
        int to;
        /** Out-arcs of those nodes (0 when not counted). */
        long arcs;
        /** A counting round: nodes reached and the sum of their levels in the parts this worker scanned. */
        long scanCount;
        long scanSum;
    }

    /** What one worker found in a round; padded against false sharing with the other workers' slots. */
    static final class Slot extends SlotFields {
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
    }

    /** One worker's list of found nodes, and where its nodes of the current round begin. */
    static final class Worker {
        final int index;
        final Slot out;
        final int cap;
        int[] list;
        int count;
        long arcs;
        /** The round of {@link #from} and {@link #arcs}. */
        int epoch;
        int from;
        /** Parts of the round claimed by this worker. */
        int claimed;

        Worker(int index, Slot out, int initial, int cap) {
            this.index = index;
            this.out = out;
            this.cap = cap;
            this.list = new int[initial];
        }

        /** A list of twice the length (at most n) holding the same nodes. */
        int[] grow() {
            list = Arrays.copyOf(list, (int) Math.min(cap, 2L * list.length));
            return list;
        }
    }

    /** The state of one search, shared by its workers. */
    static final class Search {
        static final int TOP_DOWN = 0;
        static final int BOTTOM_UP = 1;
        /** Kinds of round; DONE ends the search. */
        static final int DONE = 0;
        static final int SEQUENTIAL = 1;
        static final int PARALLEL_TOP_DOWN = 2;
        static final int PARALLEL_BOTTOM_UP = 3;
        static final int COUNT = 4;
        /** Nodes per bottom-up part. */
        static final int BOTTOM_UP_CHUNK = 1024;
        /** Frontiers of at least this many nodes are cut in parts of a few hundred nodes rather than T parts. */
        static final int DYNAMIC_MIN_NODES = 4096;
        /** Least frontier nodes per part of a smaller frontier. */
        static final int MIN_CHUNK = 32;
        /** Parts per worker of a frontier smaller than DYNAMIC_MIN_NODES (at least MIN_CHUNK nodes each). */
        static final long PARTS_PER_WORKER = 4;
        /** Highest sequential/parallel threshold the back-off reaches (see the class comment). */
        static final long MAX_PARALLEL_MIN_ARCS = 1 << 16;
        /** Levels kept sequential by the back-off after which the tuned threshold is tried again. */
        static final int REPROBE_LEVELS = 64;
        /** Waiting for the next round: spins, then yields, then parks until the round's publisher unparks it. */
        private static final int SPINS = 1 << 12;
        private static final int YIELDS = 1 << 6;
        /** Padded slots of the shared counters, 128 bytes apart and away from the array header. */
        private static final int CURSORS = 96;
        private static final int DONE_PARTS = 32;
        private static final int EPOCH = 48;
        private static final int SLEEPERS = 64;
        private static final int STARTED = 80;
        private static final VarHandle LONGS = ParallelRuns.LONGS;

        final int n;
        final long[] off;
        final int[] tgt;
        /** In-arcs for the bottom-up step, null when it is not available. */
        final long[] inOff;
        final int[] inTgt;
        final boolean countArcs;
        final int[] level;
        final int threads;
        final Tuning tuning;
        /** Out-arcs per node, at least 1: the frontier's out-arcs are estimated with it when they are not counted. */
        final long averageDegree;
        final int source;
        final Slot[] slots;
        /** CURSORS + 16k: (epoch << 32) | parts left in range k; DONE_PARTS: parts reported; EPOCH: the open round. */
        private final long[] shared;
        /** The worker threads (for unparking), the caller's first; written before any is started. */
        private final Thread[] workerThreads;
        private volatile Throwable failure;
        final State st = new State();
        /** Nodes expanded twice in a level (see the class comment), known after a counting round; for tests. */
        long repeatedNodes;

        // The round: written by the thread that sets it up, before it publishes the epoch (see the class comment).
        int epoch;
        int kind;
        int parts;
        /** Units (frontier positions or nodes) of the round, and per part. */
        long units;
        long chunk;
        /** The frontier: the concatenation of segCount segments segList[i][segFrom[i], segTo[i]). */
        int segCount;
        final int[][] segList;
        final int[] segFrom;
        final int[] segTo;
        /** The worker whose list holds the frontier when it is a single segment (segCount == 1). */
        int segOwner;
        /** The round's range of units per worker: worker k claims parts of [rangeLo[k], rangeHi[k]) first. */
        final long[] rangeLo;
        final long[] rangeHi;
        final int[] rangeParts;
        /** The sequential/parallel threshold in force: tuning.parallelMinArcs(), raised while nobody helps. */
        long parallelMinArcs;
        /** Levels kept sequential by the back-off since the last probe. */
        int backedOff;

        Search(CsrGraph g, CsrGraph in, int source, int threads, Tuning tuning) {
            n = g.nodes();
            off = g.offsets();
            tgt = g.targets();
            inOff = in == null ? null : in.offsets();
            inTgt = in == null ? null : in.targets();
            countArcs = inOff != null;
            this.threads = threads;
            this.tuning = tuning;
            this.source = source;
            level = new int[n];
            Arrays.fill(level, SequentialBfs.UNREACHED);
            averageDegree = Math.max(1, off[n] / Math.max(1, n));
            workerThreads = new Thread[threads];
            slots = new Slot[threads];
            for (int k = 0; k < threads; k++) {
                slots[k] = new Slot();
            }
            segList = new int[Math.max(1, threads)][];
            segFrom = new int[segList.length];
            segTo = new int[segList.length];
            rangeLo = new long[segList.length];
            rangeHi = new long[segList.length];
            rangeParts = new int[segList.length];
            shared = new long[CURSORS + 16 * (threads + 1)];
            parallelMinArcs = tuning.parallelMinArcs();
        }

        /** Runs the search: the first stretch on the caller, then the workers if a frontier grew large. */
        void search(ThreadFactory factory) {
            Worker w0 = new Worker(0, slots[0], n, n);
            level[source] = 0;
            w0.list[0] = source;
            w0.count = 1;
            setFrontier(0, w0.list, 0, 1);
            long sourceArcs = off[source + 1] - off[source];
            st.frontierSize = 1;
            st.reached = 1;
            st.frontierArcs = countArcs ? sourceArcs : averageDegree;
            st.unvisitedArcs = off[n] - sourceArcs;
            if (threads == 1) {
                alone(w0);
                return;
            }
            plan(w0);
            if ((long) LONGS.getOpaque(shared, EPOCH) < 0) {
                return; // the search never grew large: no thread started, counts exact
            }
            runWorkers(factory, w0);
        }

        /**
         * Runs workers 1..T-1 on the caller's kept {@link GraphWorkers} (inside {@link GraphWorkers#call}; they
         * return once the end is published), else starts them, and runs worker 0 here until the search is done.
         * Started workers are not joined: once the end is published they only return (joining would wait for a
         * descheduled worker to run again).
         */
        private void runWorkers(ThreadFactory factory, Worker w0) {
            workerThreads[0] = Thread.currentThread();
            GraphWorkers kept = factory == null ? GraphWorkers.current() : null;
            if (kept != null && kept.runJob(new WorkerTeam(threads), (k, team) -> {
                if (k == 0) {
                    work(w0);
                } else {
                    // written before this worker can count itself a sleeper, so release() sees it
                    workerThreads[k] = Thread.currentThread();
                    work(new Worker(k, slots[k], n, n));
                }
            })) {
                rethrowFailure();
                return;
            }
            for (int k = 1; k < threads; k++) {
                int index = k;
                Runnable body = () -> work(new Worker(index, slots[index], n, n));
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
                    workerThreads[k] = t;
                    t.start();
                } catch (RuntimeException | Error e) {
                    fail(e);
                    throw e instanceof IllegalStateException ? (IllegalStateException) e
                            : new IllegalStateException("could not start worker " + k + ": " + e, e);
                }
            }
            work(w0);
            rethrowFailure();
        }

        private void rethrowFailure() {
            Throwable t = failure;
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("BFS worker failed: " + t, t);
            }
        }

        /** Records the first failure and releases every waiting worker. */
        private void fail(Throwable t) {
            synchronized (this) {
                if (failure == null) {
                    failure = t;
                }
            }
            release(-1);
        }

        /** The whole search on the calling thread (one thread): top-down and bottom-up levels, exact counts. */
        private void alone(Worker w) {
            while (st.frontierSize > 0) {
                int start = w.count;
                w.arcs = 0;
                if (isBottomUp()) {
                    st.mode = BOTTOM_UP;
                    st.bottomUpLevels++;
                    bottomUp(w, 0, n, st.depth);
                } else {
                    st.mode = TOP_DOWN;
                    expand(w, 0, st.frontierSize, st.depth + 1);
                }
                close(w.count - start, w.arcs);
                setFrontier(w.index, w.list, start, w.count);
            }
        }

        /** Whether the switch rule of the class comment asks for a bottom-up level. */
        private boolean isBottomUp() {
            long mf = st.frontierArcs;
            return inOff != null && tuning.alpha() > 0 && mf >= tuning.bottomUpMinArcs() && (st.mode == TOP_DOWN
                    ? mf > st.unvisitedArcs / tuning.alpha()
                    : st.frontierSize >= st.previousFrontier || st.frontierSize >= n / tuning.beta());
        }

        /** Closes the level just expanded: its new nodes (maybe with repeats) become the frontier. */
        private void close(int size, long arcs) {
            st.levels++;
            st.previousFrontier = st.frontierSize;
            st.depth++;
            st.frontierSize = size;
            st.levelSum += (long) st.depth * size;
            st.reached += size;
            st.frontierArcs = countArcs ? arcs : size * averageDegree;
            st.unvisitedArcs -= st.frontierArcs;
        }

        private void setFrontier(int owner, int[] list, int from, int to) {
            segOwner = owner;
            segCount = 1;
            segList[0] = list;
            segFrom[0] = from;
            segTo[0] = to;
        }

        /**
         * Run by one thread while no other can touch the search (before the workers start, or by the worker that
         * completed the last round): expands small frontiers on {@code w}'s list, then opens the next round of
         * parts (or publishes the end).
         */
        private void plan(Worker w) {
            for (;;) {
                if (st.frontierSize == 0) {
                    if (st.repeats) {
                        open(COUNT, n, (n + threads - 1) / threads);
                    } else {
                        release(-1);
                    }
                    return;
                }
                if (isBottomUp()) {
                    st.mode = BOTTOM_UP;
                    st.bottomUpLevels++;
                    st.parallelLevels++;
                    open(PARALLEL_BOTTOM_UP, n, BOTTOM_UP_CHUNK);
                    return;
                }
                st.mode = TOP_DOWN;
                int size = st.frontierSize;
                if (st.frontierArcs >= parallelMinArcs) {
                    st.parallelLevels++;
                    st.repeats = true;
                    open(PARALLEL_TOP_DOWN, size, size < DYNAMIC_MIN_NODES
                            ? Math.max(MIN_CHUNK, (size + PARTS_PER_WORKER * threads - 1)
                                    / (PARTS_PER_WORKER * threads))
                            : Math.max(256, size / (threads * 16)));
                    return;
                }
                if (st.frontierArcs >= tuning.parallelMinArcs() && ++backedOff >= REPROBE_LEVELS) {
                    backedOff = 0;
                    parallelMinArcs = tuning.parallelMinArcs(); // the next large level probes for helpers again
                }
                int start = w.count;
                w.arcs = 0;
                expand(w, 0, size, st.depth + 1);
                close(w.count - start, w.arcs);
                setFrontier(w.index, w.list, start, w.count);
            }
        }

        /** Sets up a round of {@code units} units in parts of {@code chunk} and publishes it. */
        private void open(int kind, long units, long chunk) {
            this.kind = kind;
            this.units = units;
            this.chunk = chunk;
            if (kind == PARALLEL_TOP_DOWN) {
                // each worker first expands the nodes it found itself (its cache holds them and their neighbours)
                if (segCount == 1) {
                    Arrays.fill(rangeLo, 0L);
                    Arrays.fill(rangeHi, 0L);
                    rangeHi[segOwner] = units;
                } else {
                    long base = 0;
                    for (int k = 0; k < threads; k++) {
                        rangeLo[k] = base;
                        base += segTo[k] - segFrom[k];
                        rangeHi[k] = base;
                    }
                }
            } else {
                for (int k = 0; k < threads; k++) {
                    rangeLo[k] = units * k / threads;
                    rangeHi[k] = units * (k + 1) / threads;
                }
            }
            int p = 0;
            for (int k = 0; k < threads; k++) {
                rangeParts[k] = (int) ((rangeHi[k] - rangeLo[k] + chunk - 1) / chunk);
                p += rangeParts[k];
            }
            parts = p;
            epoch++;
            LONGS.setOpaque(shared, DONE_PARTS, 0L);
            for (int k = 0; k < threads; k++) {
                LONGS.setOpaque(shared, CURSORS + 16 * k, ((long) epoch << 32) | rangeParts[k]);
            }
            release(epoch);
        }

        /**
         * Publishes epoch {@code e} (-1: done; every write before it is visible to the workers that see it) and
         * unparks the parked workers. The volatile write and the volatile read of SLEEPERS pair with the sleeper's
         * increment and re-read of the epoch (both sides store, then load): either the sleeper sees {@code e} or
         * this sees the sleeper.
         */
        private void release(long e) {
            LONGS.setVolatile(shared, EPOCH, e);
            if ((long) LONGS.getVolatile(shared, SLEEPERS) > 0) {
                for (Thread t : workerThreads) {
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            }
        }

        /** One worker: takes part in every round it sees published, until the search is done or a worker failed. */
        private void work(Worker w) {
            try {
                rounds(w);
            } catch (RuntimeException | Error x) {
                fail(x);
            }
        }

        private void rounds(Worker w) {
            LONGS.getAndAdd(shared, STARTED, 1L);
            long seen = 0;
            for (;;) {
                long e;
                for (int spins = 0; (e = (long) LONGS.getAcquire(shared, EPOCH)) == seen; spins++) {
                    if (spins < SPINS) {
                        Thread.onSpinWait();
                    } else if (spins < SPINS + YIELDS) {
                        Thread.yield();
                    } else {
                        LONGS.getAndAdd(shared, SLEEPERS, 1L);
                        while ((e = (long) LONGS.getVolatile(shared, EPOCH)) == seen) {
                            LockSupport.park(this);
                        }
                        LONGS.getAndAdd(shared, SLEEPERS, -1L);
                        break;
                    }
                }
                if (e < 0) {
                    return;
                }
                seen = e;
                takePart(w, (int) e);
            }
        }

        /** Claims and runs parts of round {@code e} until none is left; the worker completing it moves on. */
        private void takePart(Worker w, int e) {
            for (int i = 0; i < threads; i++) {
                if (takeParts(w, e, (w.index + i) % threads)) {
                    return;
                }
            }
        }

        /**
         * Claims and runs parts of worker {@code r}'s range of round {@code e} until none is left there; true when
         * this worker completed the round (and has moved on).
         */
        private boolean takeParts(Worker w, int e, int r) {
            int cursor = CURSORS + 16 * r;
            for (;;) {
                long c = (long) LONGS.getVolatile(shared, cursor);
                int left = (int) c;
                if ((int) (c >>> 32) != e || left == 0) {
                    return false;
                }
                if (!LONGS.compareAndSet(shared, cursor, c, c - 1)) {
                    continue;
                }
                // claimed: round e cannot complete before this part is reported, so its fields stay (see the
                // class comment); they are read only now
                int k = kind;
                int total = parts;
                long step = chunk;
                long lo = rangeLo[r] + (rangeParts[r] - left) * step;
                long hi = Math.min(rangeHi[r], lo + step);
                Slot out = w.out;
                if (w.epoch != e) {
                    w.epoch = e;
                    w.from = w.count;
                    w.arcs = 0;
                    w.claimed = 0;
                    out.scanCount = 0;
                    out.scanSum = 0;
                }
                w.claimed++;
                if (k == COUNT) {
                    scan(out, (int) lo, (int) hi);
                } else if (k == PARALLEL_BOTTOM_UP) {
                    bottomUp(w, (int) lo, (int) hi, st.depth);
                } else {
                    expand(w, lo, hi, st.depth + 1);
                }
                out.list = w.list;
                out.from = w.from;
                out.to = w.count;
                out.arcs = w.arcs;
                out.epoch = e;
                if ((long) LONGS.getAndAdd(shared, DONE_PARTS, 1L) + 1 == total) {
                    complete(w, e, k, total); // every other part of the round is reported
                    return true;
                }
            }
        }

        /** Run by the worker that completed round {@code e}: gathers what the workers found, plans the next. */
        private void complete(Worker w, int e, int k, int total) {
            if (k == COUNT) {
                long count = 0;
                long sum = 0;
                for (Slot s : slots) {
                    if (s.epoch == e) {
                        count += s.scanCount;
                        sum += s.scanSum;
                    }
                }
                repeatedNodes = st.reached - count;
                st.reached = (int) count;
                st.levelSum = sum;
                release(-1);
                return;
            }

            if (w.claimed < total) {
                parallelMinArcs = Math.max(tuning.parallelMinArcs(), parallelMinArcs / 2);
            } else if ((long) LONGS.getOpaque(shared, STARTED) == threads) {
                // nobody helped, though every worker is running (not merely still starting up): back off
                parallelMinArcs = Math.min(parallelMinArcs * 2, MAX_PARALLEL_MIN_ARCS);
            }
            long size = 0;
            long arcs = 0;
            for (int i = 0; i < threads; i++) {
                // segment i holds worker i's nodes (possibly none): it expands them first in the next round
                Slot s = slots[i];
                if (s.epoch == e && s.to > s.from) {
                    segList[i] = s.list;
                    segFrom[i] = s.from;
                    segTo[i] = s.to;
                    size += s.to - s.from;
                    arcs += s.arcs;
                } else {
                    segList[i] = null;
                    segFrom[i] = 0;
                    segTo[i] = 0;
                }
            }
            segCount = threads;
            close((int) size, arcs);
            plan(w);
        }

        /** Counts the reached nodes of [from, to) and sums their levels into {@code out}. */
        private void scan(Slot out, int from, int to) {
            long count = 0;
            long sum = 0;
            for (int v = from; v < to; v++) {
                int l = level[v];
                if (l >= 0) {
                    count++;
                    sum += l;
                }
            }
            out.scanCount += count;
            out.scanSum += sum;
        }

        /** Top-down expansion of the positions [lo, hi) of the frontier (the concatenated segments). */
        private void expand(Worker w, long lo, long hi, int next) {
            long base = 0;
            for (int i = 0; i < segCount && base < hi; i++) {
                int size = segTo[i] - segFrom[i];
                long a = Math.max(lo, base);
                long b = Math.min(hi, base + size);
                if (a < b) {
                    topDown(w, segList[i], segFrom[i] + (int) (a - base), segFrom[i] + (int) (b - base), next);
                }
                base += size;
            }
        }

        /**
         * Top-down expansion of {@code src[from, to)}: every unvisited out-neighbour gets level {@code next} (plain
         * read and write, see the class comment) and is appended to the worker's list, its out-degree to its sum.
         */
        private void topDown(Worker w, int[] src, int from, int to, int next) {
            long[] off = this.off;
            int[] tgt = this.tgt;
            int[] level = this.level;
            int[] list = w.list;
            int count = w.count;
            long arcs = 0;
            boolean counting = countArcs;
            for (int i = from; i < to; i++) {
                int v = src[i];
                for (int e = (int) off[v], last = (int) off[v + 1]; e < last; e++) {
                    int u = tgt[e];
                    if (level[u] < 0) {
                        level[u] = next;
                        if (count == list.length) {
                            list = w.grow();
                        }
                        list[count++] = u;
                        if (counting) {
                            arcs += off[u + 1] - off[u];
                        }
                    }
                }
            }
            w.count = count;
            w.arcs += arcs;
        }

        /** Bottom-up step over nodes [from, to) at depth {@code d}; same result as topDown, without repeats. */
        private void bottomUp(Worker w, int from, int to, int d) {
            long[] off = this.off;
            long[] inOff = this.inOff;
            int[] inTgt = this.inTgt;
            int[] level = this.level;
            int[] list = w.list;
            int count = w.count;
            int next = d + 1;
            long arcs = 0;
            for (int v = from; v < to; v++) {
                if (level[v] >= 0) {
                    continue;
                }
                for (int e = (int) inOff[v], last = (int) inOff[v + 1]; e < last; e++) {
                    if (level[inTgt[e]] == d) {
                        level[v] = next;
                        arcs += off[v + 1] - off[v];
                        if (count == list.length) {
                            list = w.grow();
                        }
                        list[count++] = v;
                        break;
                    }
                }
            }
            w.count = count;
            w.arcs += arcs;
        }
    }
}
