package org.scaleml.graph.algo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.PartitionedSeeder;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Shared plumbing of the {@code Parallel*} algorithms: the array {@link VarHandle}s (declared together, so
 * every algorithm uses the same access modes), the undirected view of a directed graph, block seeding and
 * per-worker counters. Package-private; stateless apart from the immutable handles.
 */
final class ParallelRuns {
    /** Element handles for the per-node state arrays; see each algorithm for the modes it uses. */
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);

    /** Nodes per seeding / phase task for the block-structured algorithms. */
    static final int BLOCK = 256;

    private ParallelRuns() {
    }

    static Scheduler require(Scheduler s) {
        return Objects.requireNonNull(s, "scheduler");
    }

    /**
     * The arcs to scan for "all neighbours" in the undirected view: the graph's own arcs, plus, for a directed
     * graph, those of its transpose (built here: O(n + m) time and a graph-sized copy). For an undirected
     * graph there is one pass.
     */
    static final class Neighbours {
        final long[][] off;
        final int[][] tgt;

        Neighbours(CsrGraph g) {
            if (g.isDirected()) {
                CsrGraph t = g.transpose();
                off = new long[][] {g.offsets(), t.offsets()};
                tgt = new int[][] {g.targets(), t.targets()};
            } else {
                off = new long[][] {g.offsets()};
                tgt = new int[][] {g.targets()};
            }
        }
    }

    /**
     * A seeder that gives worker k the k-th contiguous share of {@code 0..n-1} (contiguous for locality) and
     * calls {@code perNode} for each node of it.
     */
    static PartitionedSeeder byNode(int n, NodeSeeder perNode) {
        return (worker, threads, sink) -> {
            int from = (int) ((long) n * worker / threads);
            int to = (int) ((long) n * (worker + 1) / threads);
            for (int v = from; v < to; v++) {
                perNode.seed(v, sink);
            }
        };
    }

    @FunctionalInterface
    interface NodeSeeder {
        void seed(int node, org.scaleml.sched.TaskSink sink);
    }

    /** Number of {@link #BLOCK}-node blocks covering {@code 0..n-1}. */
    static int blocks(int n) {
        return (int) (((long) n + BLOCK - 1) / BLOCK);
    }

    /** A seeder pushing one task {@code (block, block)} per block, the blocks split evenly over the workers. */
    static PartitionedSeeder byBlock(int n) {
        int b = blocks(n);
        return (worker, threads, sink) -> {
            int from = (int) ((long) b * worker / threads);
            int to = (int) ((long) b * (worker + 1) / threads);
            for (int k = from; k < to; k++) {
                sink.push(k, k);
            }
        };
    }

    /**
     * Per-worker {@code long} counters, one cache line (16 longs, 128 bytes with the stride) apart so that
     * workers do not share lines. Each slot is written only by its worker with plain writes; read after the
     * run, which happens-after every task ({@link Scheduler} contract).
     */
    static final class Counters {
        private static final int LINE = 16;
        private final long[] slots;
        private final int per;
        private final int threads;

        Counters(int threads, int kinds) {
            this.threads = threads;
            this.per = (kinds + LINE - 1) / LINE * LINE;
            this.slots = new long[LINE + threads * per + LINE]; // a line of padding at both ends
        }

        void add(int worker, int kind, long delta) {
            slots[LINE + worker * per + kind] += delta;
        }

        long sum(int kind) {
            long s = 0;
            for (int w = 0; w < threads; w++) {
                s += slots[LINE + w * per + kind];
            }
            return s;
        }
    }

    /**
     * Per-node lists of parked waiters, for the greedy algorithms' failed pops: a task blocked by an undecided
     * node parks on that node's list instead of spinning through the queue, and whoever decides the node
     * closes the list and pushes the waiters again. Lock-free (Treiber-style pushes, one atomic swap to close).
     *
     * <p>Each list only grows until it is closed, once, so there is no ABA. A waiter id must be parked on at
     * most one list at a time (true here: a parked task is not in the queue). {@code head} and {@code next}
     * are accessed through volatile CAS / getAndSet on {@code head} (which orders the plain writes of {@code
     * next} before them) and plain reads of {@code next} after the closing swap.
     */
    static final class WaitLists {
        static final int EMPTY = -1;
        static final int CLOSED = -2;
        private final int[] head;
        private final int[] next;

        WaitLists(int nodes, int waiters) {
            head = new int[nodes];
            java.util.Arrays.fill(head, EMPTY);
            next = new int[waiters];
        }

        /**
         * Parks {@code waiter} on {@code node}'s list.
         *
         * @return false if the list is already closed (the node was decided): the caller must retry itself
         */
        boolean park(int node, int waiter) {
            int h = (int) INTS.getAcquire(head, node);
            for (;;) {
                if (h == CLOSED) {
                    return false;
                }
                next[waiter] = h;
                int witness = (int) INTS.compareAndExchange(head, node, h, waiter);
                if (witness == h) {
                    return true;
                }
                h = witness;
            }
        }

        /**
         * Closes {@code node}'s list (call once, after the node's decision is published) and hands each parked
         * waiter to {@code wake}, reading its successor before waking it (a woken waiter may park again).
         */
        void close(int node, java.util.function.IntConsumer wake) {
            int w = (int) INTS.getAndSet(head, node, CLOSED);
            while (w >= 0) {
                int nw = next[w];
                wake.accept(w);
                w = nw;
            }
        }
    }

    /** The node whose out-arcs contain arc {@code e}: binary search over the offsets, O(log n). */
    static int sourceOf(long[] off, int e) {
        int lo = 0;
        int hi = off.length - 2; // the last node
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (off[mid] <= e) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Sums the counts of several runs of one scheduler; wall time is the caller's total. */
    static RunStats combine(Scheduler s, RunStats[] runs, int count, long wallNanos) {
        long tasks = 0;
        long wasted = 0;
        long empty = 0;
        String queue = s.queueName();
        for (int i = 0; i < count; i++) {
            tasks += runs[i].tasks();
            wasted += runs[i].wastedTasks();
            empty += runs[i].emptyPolls();
        }
        return new RunStats(s.name(), queue, s.threads(), tasks, wasted, empty, -1, wallNanos);
    }
}
