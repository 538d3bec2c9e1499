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

    /** Results of {@link #scan()}. */
    static final int FOUND = 0;
    static final int EMPTY = 1;
    static final int RETRY = 2;

    /**
     * Takes the element(s) this handle wants from the locked, non-empty heap {@code h}, sets the result slot,
     * and unlocks {@code h}.
     */
    abstract void takeLocked(LockableHeap h);

    /**
     * Visits every heap once from a random offset. FOUND: {@link #takeLocked} took from a heap. EMPTY: every heap
     * was observed empty (published size 0, or empty under its lock). RETRY: some heap looked non-empty but its
     * lock was busy, so emptiness was not established.
     */
    final int scan() {
        final LockableHeap[] hs = heaps;
        final int n = this.n;
        int i = highIndex(nextRandom(), n);
        boolean busy = false;
        for (int k = 0; k < n; k++, i = (i + 1 == n) ? 0 : i + 1) {
            LockableHeap h = hs[i];
            if (h.publishedSize() != 0) {
                if (h.tryLock()) {
                    if (!h.isEmptyLocked()) {
                        takeLocked(h);
                        return FOUND;
                    }
                    h.unlock();
                } else {
                    busy = true;
                }
            }
        }
        return busy ? RETRY : EMPTY;
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
