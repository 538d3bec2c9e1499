package org.scaleml.graph.incremental;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.scaleml.graph.algo.Run;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Comparison sorting by binary-search-tree insertion in a random order, sequentially or on the relaxed
 * scheduler: both build exactly the same (unbalanced) tree, whose in-order walk is the sorted keys.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any {@code long} keys, duplicates allowed; not modified. At most {@link #MAX_KEYS}.</li>
 *   <li><b>Output:</b> the {@link BinarySearchTree} of inserting the keys in the order of {@code orderSeed}
 *       ({@link InsertionOrder#permutation}); {@link BinarySearchTree#sortedKeys()} equals
 *       {@code Arrays.sort}.</li>
 *   <li><b>Relaxation cost:</b> one task per key, priority = its position in the order. A pop of a key whose
 *       parent in the final tree is not yet inserted fails (counted as wasted); the key parks and its parent
 *       pushes it again once inserted. So tasks = n + wasted, wasted at most n, and an exact scheduler on one
 *       thread wastes nothing.</li>
 *   <li><b>Complexity:</b> expected O(n log n) comparisons (the random tree's depth); the parallel version
 *       does them as in-place partitions of contiguous ranges (quicksort's memory pattern), about 45 bytes
 *       per key.</li>
 *   <li><b>Thread safety:</b> stateless; results complete when a method returns.</li>
 * </ul>
 */
public final class BstSort {
    /*
     * Sequential: the textbook insertion, descending from the root for each key in turn.
     *
     * Parallel, in the conflict-list formulation of [2]: the empty slots of the current tree partition the
     * uninserted keys by the interval they fall into, and the key that will fill a slot is the earliest one in
     * its interval (the random BST is the treap of the insertion times). We keep every slot's keys as a
     * contiguous range of one array (perm, with the keys copied beside it in permKeys for locality). The item
     * (position in the order) that fills a slot is the minimum item of its range: it is READY, knows its range
     * [lo, hi), and depends only on its parent in the final tree, which computed that. Executing a ready item x
     * partitions its range around key(x) (smaller keys left, the rest right, as the sequential descent goes),
     * which puts x at its final sorted position, records the minimum item of each side as x's children, gives
     * them their ranges and marks them READY. Item 0 is ready at the start with the whole array.
     *
     * Relaxation [1]: every item is a task with priority = item. A popped item that is not ready is a failed
     * pop: its parent has not been inserted. It parks (flag set, then the ready flag read again); the parent,
     * after marking a child ready, takes the park flag back with a CAS and pushes the child. Volatile accesses
     * on both sides (ready then park by the parent, park then ready by the child) make sure one of them sees
     * the other, and the CAS makes sure only one pushes. Ranges of different slots are disjoint, so fillers
     * never share data; the ready flag's release/acquire publishes the range.
     *
     * Exactness: by induction on the tree, each READY item fills the slot the sequential run would fill with
     * it, and its partition is the sequential descent's comparison at that node, so the trees are identical.
     *
     * [1] D. Alistarh, G. Nadiradze, N. Koval, "Efficiency Guarantees for Parallel Incremental Algorithms under
     *     Relaxed Schedulers", SPAA 2019. [2] G. E. Blelloch, Y. Gu, J. Shun, Y. Sun, "Parallelism in
     *     Randomized Incremental Algorithms", SPAA 2016 (BST insertion as quicksort with dependencies).
     */
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);

    /** Most keys accepted. */
    public static final int MAX_KEYS = 200_000_000;

    private static final byte WAITING = 0;
    private static final byte READY = 1;
    private static final byte DONE = 2;

    private BstSort() {
    }

    /** The items' keys: {@code out[i] = keys[order[i]]}. */
    private static long[] itemKeys(long[] keys, long orderSeed) {
        if (keys.length > MAX_KEYS) {
            throw new IllegalArgumentException("too many keys: " + keys.length + " (at most " + MAX_KEYS + ")");
        }
        int[] order = InsertionOrder.permutation(keys.length, orderSeed);
        long[] k = new long[keys.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = keys[order[i]];
        }
        return k;
    }

    /** The plain sequential insertion (statistics of an exact schedule: n tasks, none wasted, one thread). */
    public static Run<BinarySearchTree> sequential(long[] keys, long orderSeed) {
        long start = System.nanoTime();
        long[] key = itemKeys(keys, orderSeed);
        int n = key.length;
        int[] left = new int[n];
        int[] right = new int[n];
        Arrays.fill(left, -1);
        Arrays.fill(right, -1);
        for (int i = 1; i < n; i++) {
            long k = key[i];
            int v = 0;
            for (;;) {
                if (k < key[v]) {
                    if (left[v] < 0) {
                        left[v] = i;
                        break;
                    }
                    v = left[v];
                } else {
                    if (right[v] < 0) {
                        right[v] = i;
                        break;
                    }
                    v = right[v];
                }
            }
        }
        RunStats stats = new RunStats("sequential", "sequential", 1, n, 0, 0, -1, System.nanoTime() - start);
        return new Run<>(new BinarySearchTree(key, left, right), stats);
    }

    /** Inserts on {@code scheduler}'s workers; returns exactly {@link #sequential}'s tree. */
    public static Run<BinarySearchTree> parallel(long[] keys, long orderSeed, Scheduler scheduler) {
        long start = System.nanoTime();
        final long[] key = itemKeys(keys, orderSeed);
        final int n = key.length;
        final int[] left = new int[n];
        final int[] right = new int[n];
        final int[] lo = new int[n];
        final int[] hi = new int[n];
        final int[] perm = new int[n];
        final long[] permKeys = key.clone();
        final byte[] status = new byte[n];
        final byte[] parked = new byte[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (n > 0) {
            lo[0] = 0;
            hi[0] = n;
            status[0] = READY;
        }
        RunStats stats = scheduler.runPartitioned((worker, workers, sink) -> {
            // Strided, so that every worker's part of the queue holds early and late items alike (queues that
            // prefer a worker's own part, e.g. smq, would otherwise hand one worker only the end of the order).
            for (int i = worker; i < n; i += workers) {
                sink.push(i, i);
            }
        }, (priority, payload, ctx) -> {
            int x = (int) payload;
            if ((byte) BYTES.getVolatile(status, x) != READY) {
                BYTES.setVolatile(parked, x, (byte) 1);
                if ((byte) BYTES.getVolatile(status, x) == READY && BYTES.compareAndSet(parked, x, (byte) 1, (byte) 0)) {
                    ctx.push(x, x); // became ready meanwhile, and the parent did not push it
                }
                return false;
            }
            int a = lo[x];
            int b = hi[x];
            long kx = key[x];
            // Move x to the front of its range, then partition the rest: keys < kx left, the others right.
            for (int j = a; j < b; j++) {
                if (perm[j] == x) {
                    perm[j] = perm[a];
                    permKeys[j] = permKeys[a];
                    perm[a] = x;
                    permKeys[a] = kx;
                    break;
                }
            }
            int i = a + 1;
            int minL = Integer.MAX_VALUE;
            int minR = Integer.MAX_VALUE;
            for (int j = a + 1; j < b; j++) {
                long kj = permKeys[j];
                int y = perm[j];
                if (kj < kx) {
                    perm[j] = perm[i];
                    permKeys[j] = permKeys[i];
                    perm[i] = y;
                    permKeys[i] = kj;
                    i++;
                    if (y < minL) {
                        minL = y;
                    }
                } else if (y < minR) {
                    minR = y;
                }
            }
            // x goes between the sides: its final sorted position.
            perm[a] = perm[i - 1];
            permKeys[a] = permKeys[i - 1];
            perm[i - 1] = x;
            permKeys[i - 1] = kx;
            left[x] = minL == Integer.MAX_VALUE ? -1 : minL;
            right[x] = minR == Integer.MAX_VALUE ? -1 : minR;
            BYTES.setRelease(status, x, DONE);
            if (minL != Integer.MAX_VALUE) {
                ready(minL, a, i - 1, lo, hi, status, parked, ctx);
            }
            if (minR != Integer.MAX_VALUE) {
                ready(minR, i, b, lo, hi, status, parked, ctx);
            }
            return true;
        });
        RunStats total = new RunStats(stats.scheduler(), stats.queue(), stats.threads(), stats.tasks(),
                stats.wastedTasks(), stats.emptyPolls(), stats.steals(), System.nanoTime() - start);
        Map<String, Long> counters = new LinkedHashMap<>();
        return new Run<>(new BinarySearchTree(key, left, right), total, counters);
    }

    private static void ready(int c, int from, int to, int[] lo, int[] hi, byte[] status, byte[] parked,
                              org.scaleml.sched.TaskContext ctx) {
        lo[c] = from;
        hi[c] = to;
        BYTES.setVolatile(status, c, READY);
        if ((byte) BYTES.getVolatile(parked, c) == 1 && BYTES.compareAndSet(parked, c, (byte) 1, (byte) 0)) {
            ctx.push(c, c);
        }
    }
}
