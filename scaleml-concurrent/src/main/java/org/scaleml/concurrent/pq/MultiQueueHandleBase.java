package org.scaleml.concurrent.pq;

/**
 * Padding before the fields of a MultiQueue handle. Handles are often created back to back by one thread and
 * then used by different threads; the padding keeps their hot fields (random state, result slot) on separate
 * cache lines.
 */
abstract class MultiQueueHandlePadBefore implements ConcurrentPriorityQueue.Handle {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/**
 * Fields and helpers shared by the MultiQueue handles: the heap array, the per-handle random generator and the
 * slot holding the last removed element. Owner-thread only; see {@link MultiQueue} for the algorithm.
 */
abstract class MultiQueueHandleBase extends MultiQueueHandlePadBefore {
    /** The queue's heaps (shared, never replaced). */
    final LockableHeap[] heaps;
    /** {@code heaps.length}. */
    final int n;
    /** xorshift64* state, never 0. */
    long rng;
    /** The element removed by the last successful {@code tryDeleteMin}. */
    long priority;
    long payload;

    MultiQueueHandleBase(LockableHeap[] heaps, long seedState) {
        this.heaps = heaps;
        this.n = heaps.length;
        this.rng = seedState;
    }

    /** Next 64 random bits (xorshift64*, Vigna 2016); advances {@link #rng}. */
    final long nextRandom() {
        long x = rng;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        rng = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    /** Index in [0, n) from the high 32 bits of {@code r} (Lemire's multiply-shift, no division). */
    static int highIndex(long r, int n) {
        return (int) (((r >>> 32) * n) >>> 32);
    }

    /** Index in [0, n) from the low 32 bits of {@code r}. */
    static int lowIndex(long r, int n) {
        return (int) (((r & 0xFFFFFFFFL) * n) >>> 32);
    }

    @Override
    public final long priority() {
        return priority;
    }

    @Override
    public final long payload() {
        return payload;
    }
}
