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


    /** Pops the minimum of the locked, non-empty heap {@code h} into the result slot and unlocks it. */
    @Override
    void takeLocked(LockableHeap h) {
        priority = h.minPriorityLocked();
        payload = h.minPayloadLocked();
        h.removeMinLocked();
        h.unlock();
    }


    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** This class's own compiled copy of the interface's default (see {@link Handles#insertEachThenDeleteMin}). */
    @Override
    public boolean insertAllThenDeleteMin(long[] pairs, int count) {
        return Handles.insertEachThenDeleteMin(this, pairs, count);
    }
}
