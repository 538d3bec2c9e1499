package org.scaleml.graph.algo;

import org.scaleml.graph.CsrGraph;

/**
 * Plumbing shared by {@link RoundsGreedyMis} and {@link RoundsGreedyMatching}: the undirected view of a graph
 * (whether its out-arcs already are that view, checked in parallel, else its transpose), the chunks of nodes
 * that workers claim, and the per-round totals that every worker must agree on. Package-private; one instance per run.
 */
final class GreedyRounds {
    /** Nodes per chunk: the unit of work a worker claims in a round (and the span of one in-place list). */
    static final int CHUNK = 4096;
    /** Slots of {@link #slots} are this many longs apart (128 bytes: no false sharing between workers). */
    private static final int LINE = 16;
    /**
     * The symmetry check gives up (and the transpose is built) at a node with more arcs than this: scanning a
     * hub's list once per arc into it would cost more than transposing.
     */
    static final int SYMMETRY_SCAN_LIMIT = 64;

    final CsrGraph g;
    final int n;
    final int threads;
    final long[] off;
    final int[] tgt;
    /** In-arcs of a directed graph whose out-arcs are not symmetric; null when the out-arcs suffice. */
    long[] inOff;
    int[] inTgt;
    /** Two banks (round parity) of one padded slot per worker, for the per-round totals; flags of phase 0. */
    private final long[] slots;
    /** Number of chunks of {@link #CHUNK} nodes covering {@code 0..n-1}. */
    final int chunks;
    /** The claim counter of {@link #claim}, alone on its cache line. */
    private final long[] ticket = new long[3 * LINE];

    GreedyRounds(CsrGraph g, int threads) {
        this.g = g;
        this.n = g.nodes();
        this.threads = threads;
        this.off = g.offsets();
        this.tgt = g.targets();
        this.slots = new long[LINE * (2 * threads + 2)];
        this.chunks = (int) (((long) n + CHUNK - 1) / CHUNK);
    }

    /**
     * Claims the next chunk of parallel loop number {@code loop} (1, 2, ... in the order every worker runs its
     * loops, a barrier between consecutive loops), or returns -1 when all its chunks are claimed. The counter only
     * grows: loop k owns tickets {@code (k-1)*chunks .. k*chunks-1}, and a claim never takes a ticket of the next
     * loop (a compare-and-set below the bound), so at the barrier after loop k the counter is exactly {@code
     * k*chunks} and needs no reset. Dynamic claiming keeps a round short when a worker is descheduled or slow:
     * the others take its chunks.
     */
    int claim(int loop) {
        long end = (long) loop * chunks;
        for (;;) {
            long t = (long) ParallelRuns.LONGS.getVolatile(ticket, LINE);
            if (t >= end) {
                return -1;
            }
            if (t < end - chunks) {
                throw new IllegalStateException("bug: loop " + loop + " claimed before loop " + (loop - 1) + " ended");
            }
            if (ParallelRuns.LONGS.compareAndSet(ticket, LINE, t, t + 1)) {
                return (int) (t - end + chunks);
            }
        }
    }

    /** First node of chunk {@code c}. */
    static int chunkStart(int c) {
        return c * CHUNK;
    }

    /** One past the last node of chunk {@code c}. */
    int chunkEnd(int c) {
        return (int) Math.min(n, (long) (c + 1) * CHUNK);
    }

    /**
     * Phase 0, per chunk: folds chunk {@code c}'s part of the symmetry check (see {@link #decideView}) into this
     * worker's running {@code balance} (start with 0).
     */
    long checkChunk(int c, long balance) {
        if (!g.isDirected() || balance == NOT_SYMMETRIC) {
            return balance;
        }
        long b = forwardMinusBackward(chunkStart(c), chunkEnd(c));
        return b == NOT_SYMMETRIC ? b : balance + b;
    }

    /**
     * End of phase 0, called by every worker once with its {@link #checkChunk} balance. For an undirected graph it
     * does nothing (no barrier). For a directed one: a barrier (so everything written in phase 0 is visible after
     * it); then, if some arc {@code u -> v} has no reverse {@code v -> u}, worker 0 builds the transpose into
     * {@link #inOff}/{@link #inTgt} while the others wait at a second barrier.
     *
     * <p>The check looks up the reverse of the "forward" arcs only ({@code u < v}: half of the random accesses,
     * which are its whole cost) and counts the distinct forward and backward pairs of every list: with every
     * forward pair's reverse present, the reverses are as many distinct backward pairs, so equal totals mean
     * that they are all of them, i.e. every backward arc is the reverse of a forward one.
     */
    void decideView(int worker, WorkerTeam team, long balance) {
        if (!g.isDirected()) {
            return;
        }
        slots[slot(0, worker)] = balance;
        team.await();
        long sum = 0;
        boolean failed = false;
        for (int w = 0; w < threads; w++) {
            long s = slots[slot(0, w)];
            failed |= s == NOT_SYMMETRIC;
            sum += s;
        }
        if (!failed && sum == 0) {
            return;
        }
        if (worker == 0) {
            CsrGraph t = g.transpose();
            inOff = t.offsets();
            inTgt = t.targets();
        }
        team.await();
    }

    /** What {@link #forwardMinusBackward} returns when a forward arc has no reverse (or the check gave up). */
    private static final long NOT_SYMMETRIC = Long.MIN_VALUE;

    /**
     * Distinct forward pairs minus distinct backward pairs of the lists of {@code lo..hi-1}, or {@link
     * #NOT_SYMMETRIC} if some forward arc {@code u -> v} has no arc {@code v -> u} (or a list is longer than
     * {@link #SYMMETRY_SCAN_LIMIT}: the quadratic scans would cost more than transposing).
     */
    private long forwardMinusBackward(int lo, int hi) {
        long balance = 0;
        for (int u = lo; u < hi; u++) {
            int start = (int) off[u];
            int end = (int) off[u + 1];
            if (end - start > SYMMETRY_SCAN_LIMIT) {
                return NOT_SYMMETRIC;
            }
            next:
            for (int e = start; e < end; e++) {
                int v = tgt[e];
                if (v == u) {
                    continue;
                }
                for (int f = start; f < e; f++) {
                    if (tgt[f] == v) {
                        continue next; // a parallel arc: counted and checked at its first copy
                    }
                }
                if (v < u) {
                    balance--;
                    continue;
                }
                balance++;
                int from = (int) off[v];
                int to = (int) off[v + 1];
                if (to - from > SYMMETRY_SCAN_LIMIT) {
                    return NOT_SYMMETRIC;
                }
                boolean found = false;
                for (int f = from; f < to; f++) {
                    if (tgt[f] == u) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return NOT_SYMMETRIC;
                }
            }
        }
        return balance;
    }

    /** Publishes this worker's figure for round {@code round} (plain write; read after the next barrier). */
    void publish(int round, int worker, long value) {
        slots[slot(round, worker)] = value;
    }

    /**
     * The sum of the figures published for {@code round}: the same for every worker once all have passed the
     * barrier after publishing. Two banks by round parity, so a worker that runs ahead into round r + 1 does not
     * overwrite a figure of round r that a slower one is still reading (it cannot reach round r + 2 before the
     * slower one has passed the barrier of round r + 1).
     */
    long total(int round) {
        long s = 0;
        for (int w = 0; w < threads; w++) {
            s += slots[slot(round, w)];
        }
        return s;
    }

    private int slot(int round, int worker) {
        return LINE * (1 + (round & 1) * threads + worker);
    }
}
