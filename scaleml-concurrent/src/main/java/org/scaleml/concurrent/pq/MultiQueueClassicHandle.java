package org.scaleml.concurrent.pq;

/** Padding after the fields of {@link MultiQueueClassicHandle}. */
abstract class MultiQueueClassicHandlePadAfter extends MultiQueueHandleBase {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;

    MultiQueueClassicHandlePadAfter(LockableHeap[] heaps, long seedState) {
        super(heaps, seedState);
    }
}

/**
 * Handle of the classic MultiQueue (stickiness 1, no buffers): a fresh random heap for every insertion, a fresh
 * pair of random heaps for every deletion. No stickiness or buffer branches on the hot path; {@link #flush()} is
 * a no-op. Owner-thread only; the algorithm and its invariants are described in {@link MultiQueue}.
 */
final class MultiQueueClassicHandle extends MultiQueueClassicHandlePadAfter {

    MultiQueueClassicHandle(LockableHeap[] heaps, long seedState) {
        super(heaps, seedState);
    }

    @Override
    public void insert(long priority, long payload) {
        final LockableHeap[] hs = heaps;
        final int n = this.n;
        LockableHeap h;
        do {
            h = hs[highIndex(nextRandom(), n)];
        } while (!h.tryLock());
        try {
            h.insertLocked(priority, payload);
        } finally {
            h.unlock();
        }
    }

    @Override
    public boolean tryDeleteMin() {
        final LockableHeap[] hs = heaps;
        final int n = this.n;
        while (true) {
            long r = nextRandom();
            LockableHeap a = hs[highIndex(r, n)];
            LockableHeap b = hs[lowIndex(r, n)];
            LockableHeap h;
            if (a.publishedSize() == 0) {
                if (b.publishedSize() == 0) {
                    int s = scan();
                    if (s != RETRY) {
                        return s == FOUND;
                    }
                    continue;
                }
                h = b;
            } else if (b.publishedSize() == 0 || a.topPriority() <= b.topPriority()) {
                h = a;
            } else {
                h = b;
            }
            if (h.tryLock()) {
                if (!h.isEmptyLocked()) {
                    takeLocked(h);
                    return true;
                }
                h.unlock();
            }
        }
    }

    private static final int FOUND = 0;
    private static final int EMPTY = 1;
    private static final int RETRY = 2;

    /** Pops the minimum of the locked, non-empty heap {@code h} into the result slot and unlocks it. */
    private void takeLocked(LockableHeap h) {
        priority = h.minPriorityLocked();
        payload = h.minPayloadLocked();
        h.removeMinLocked();
        h.unlock();
    }

    /**
     * Visits every heap once from a random offset. FOUND: an element was removed. EMPTY: every heap was observed
     * empty. RETRY: some heap looked non-empty but its lock was busy.
     */
    private int scan() {
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
    public void flush() {
    }

    @Override
    public void close() {
    }
}
