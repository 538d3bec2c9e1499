package org.scaleml.concurrent.pq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Owner-thread state of {@link MultiQueueTemporalHandle}: sticky choices and the two buffers. */
abstract class MultiQueueTemporalFields extends MultiQueueHandleBase {
    final MultiQueue owner;
    /** s: operations (batches, when buffered) served by one random choice. */
    final int stickiness;
    /** b_i and b_d; 0 = no such buffer. */
    final int insertCapacity;
    final int deleteCapacity;
    /** Whether this handle buffers anything (and so publishes {@link #buffered} for {@code size()}). */
    final boolean tracked;

    /** Insertion buffer, interleaved [2k] = priority, [2k+1] = payload, unsorted; null when b_i = 0. */
    final long[] ibuf;
    int icount;
    /** Index of a minimal element of the insertion buffer, valid when icount > 0. */
    int imin;

    /** Deletion buffer, interleaved, ascending in [dpos, dlen); null when b_d = 0. */
    final long[] dbuf;
    int dpos;
    int dlen;

    /** Sticky insertion heap and how many more operations may use it without a fresh draw. */
    int insIndex;
    int insLeft;
    /** Sticky pair of deletion heaps and how many more deletions (refills) may use it. */
    int delA;
    int delB;
    int delLeft;

    /** icount + (dlen - dpos), written with opaque stores for {@link MultiQueue#size()}; via BUFFERED. */
    volatile int buffered;

    MultiQueueTemporalFields(MultiQueue owner, LockableHeap[] heaps, long seedState, int stickiness,
                             int insertCapacity, int deleteCapacity) {
        super(heaps, seedState);
        this.owner = owner;
        this.stickiness = stickiness;
        this.insertCapacity = insertCapacity;
        this.deleteCapacity = deleteCapacity;
        this.tracked = insertCapacity > 0 || deleteCapacity > 0;
        this.ibuf = insertCapacity > 0 ? new long[2 * insertCapacity] : null;
        this.dbuf = deleteCapacity > 0 ? new long[2 * deleteCapacity] : null;
    }
}

/** Padding after the fields of {@link MultiQueueTemporalHandle}. */
abstract class MultiQueueTemporalHandlePadAfter extends MultiQueueTemporalFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;

    MultiQueueTemporalHandlePadAfter(MultiQueue owner, LockableHeap[] heaps, long seedState, int stickiness,
                                     int insertCapacity, int deleteCapacity) {
        super(owner, heaps, seedState, stickiness, insertCapacity, deleteCapacity);
    }
}

/**
 * Handle of a MultiQueue with temporal locality (Postnikova et al., PPoPP 2022): sticky random choices,
 * an optional insertion buffer and an optional deletion buffer, in any combination. Owner-thread only; the
 * algorithm, its invariants and its effect on the rank error are described in {@link MultiQueue}.
 *
 * <p>Elements in this handle's buffers are invisible to other handles until {@link #flush()} (or a full
 * insertion buffer, or the deletion buffer running dry); {@link #close()} flushes and leaves the queue's size
 * registry.
 */
final class MultiQueueTemporalHandle extends MultiQueueTemporalHandlePadAfter {
    private static final VarHandle BUFFERED;

    static {
        try {
            BUFFERED = MethodHandles.lookup().findVarHandle(MultiQueueTemporalFields.class, "buffered", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }


    MultiQueueTemporalHandle(MultiQueue owner, LockableHeap[] heaps, long seedState, int stickiness,
                             int insertCapacity, int deleteCapacity) {
        super(owner, heaps, seedState, stickiness, insertCapacity, deleteCapacity);
    }

    /** Buffered element count as last published by the owner (opaque read; any thread). */
    int bufferedCount() {
        return (int) BUFFERED.getOpaque(this);
    }

    private void publishCount() {
        if (tracked) {
            BUFFERED.setOpaque(this, icount + dlen - dpos);
        }
    }

    // ------------------------------------------------------------------------------------------ insertion

    @Override
    public void insert(long priority, long payload) {
        final long[] b = ibuf;
        if (b == null) {
            LockableHeap h = lockInsertHeap();
            try {
                h.insertLocked(priority, payload);
            } finally {
                h.unlock();
            }
            return;
        }
        int c = icount;
        b[2 * c] = priority;
        b[2 * c + 1] = payload;
        if (c == 0 || priority < b[2 * imin]) {
            imin = c;
        }
        icount = ++c;
        if (c == insertCapacity) {
            moveBuffersToHeap(false);
        }
        publishCount();
    }

    /** Locks the sticky insertion heap, or a fresh random one if the streak is over or its lock is busy. */
    private LockableHeap lockInsertHeap() {
        final LockableHeap[] hs = heaps;
        if (insLeft > 0) {
            LockableHeap h = hs[insIndex];
            if (h.tryLock()) {
                insLeft--;
                return h;
            }
        }
        final int n = this.n;
        while (true) {
            int i = highIndex(nextRandom(), n);
            LockableHeap h = hs[i];
            if (h.tryLock()) {
                insIndex = i;
                insLeft = stickiness - 1;
                return h;
            }
        }
    }

    /**
     * Moves the insertion buffer (and, if {@code alsoDeleteBuffer}, what is left of the deletion buffer) into one
     * heap under one lock acquisition and one publish.
     */
    private void moveBuffersToHeap(boolean alsoDeleteBuffer) {
        LockableHeap h = lockInsertHeap();
        try {
            final long[] b = ibuf;
            for (int k = 0, c = icount; k < c; k++) {
                h.insertLockedNoPublish(b[2 * k], b[2 * k + 1]);
            }
            icount = 0;
            if (alsoDeleteBuffer) {
                final long[] d = dbuf;
                for (int k = dpos, e = dlen; k < e; k++) {
                    h.insertLockedNoPublish(d[2 * k], d[2 * k + 1]);
                }
                dpos = 0;
                dlen = 0;
            }
        } finally {
            h.publish();
            h.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- deletion

    /** This class's own compiled copy of the interface's default (see {@link Handles#insertEachThenDeleteMin}). */
    @Override
    public boolean insertAllThenDeleteMin(long[] pairs, int count) {
        return Handles.insertEachThenDeleteMin(this, pairs, count);
    }

    @Override
    public boolean tryDeleteMin() {
        if (dpos < dlen) {
            serveFromBuffers();
            publishCount();
            return true;
        }
        final LockableHeap[] hs = heaps;
        while (true) {
            if (delLeft <= 0) {
                long r = nextRandom();
                delA = highIndex(r, n);
                delB = lowIndex(r, n);
                delLeft = stickiness;
            }
            LockableHeap a = hs[delA];
            LockableHeap b = hs[delB];
            LockableHeap h;
            boolean oneEmpty;
            if (a.publishedSize() == 0) {
                if (b.publishedSize() == 0) {
                    delLeft = 0;
                    if (icount > 0) {
                        takeFromInsertBuffer();
                        publishCount();
                        return true;
                    }
                    int s = scan();
                    if (s != RETRY) {
                        publishCount();
                        return s == FOUND;
                    }
                    continue;
                }
                h = b;
                oneEmpty = true;
            } else if (b.publishedSize() == 0) {
                h = a;
                oneEmpty = true;
            } else {
                h = a.topPriority() <= b.topPriority() ? a : b;
                oneEmpty = false;
            }
            if (icount > 0 && ibuf[2 * imin] < h.topPriority()) {
                // Our own pending insert beats what the heaps offer: return it, without touching a lock. This
                // counts against the stickiness streak too; otherwise a handle that keeps re-inserting what it
                // deletes would compare against the same pair forever and never see a smaller element elsewhere.
                delLeft--;
                takeFromInsertBuffer();
                publishCount();
                return true;
            }
            if (h.tryLock()) {
                if (!h.isEmptyLocked()) {
                    delLeft = oneEmpty ? 0 : delLeft - 1;
                    takeLocked(h);
                    publishCount();
                    return true;
                }
                h.unlock();
            }
            delLeft = 0; // lock busy or heap empty: draw a fresh pair
        }
    }

    /** Serves the head of the deletion buffer or, if smaller, the minimum of the insertion buffer. */
    private void serveFromBuffers() {
        final long[] d = dbuf;
        int k = dpos;
        long dp = d[2 * k];
        if (icount > 0 && ibuf[2 * imin] < dp) {
            takeFromInsertBuffer();
        } else {
            priority = dp;
            payload = d[2 * k + 1];
            dpos = k + 1;
        }
    }

    /** Removes the minimum of the (non-empty) insertion buffer into the result slot. */
    private void takeFromInsertBuffer() {
        final long[] b = ibuf;
        int m = imin;
        priority = b[2 * m];
        payload = b[2 * m + 1];
        int last = --icount;
        if (m != last) {
            b[2 * m] = b[2 * last];
            b[2 * m + 1] = b[2 * last + 1];
        }
        int best = 0;
        long bestP = b[0];
        for (int k = 1; k < last; k++) {
            long p = b[2 * k];
            if (p < bestP) {
                bestP = p;
                best = k;
            }
        }
        imin = best;
    }

    /**
     * Takes from the locked, non-empty heap {@code h} and unlocks it: one element (no deletion buffer), or up to
     * b_d smallest elements into the deletion buffer under one lock and one publish. The result is the smaller
     * of what was taken and the insertion buffer's minimum.
     */
    @Override
    void takeLocked(LockableHeap h) {
        final long[] d = dbuf;
        if (d == null) {
            long p = h.minPriorityLocked();
            if (icount > 0 && ibuf[2 * imin] < p) {
                h.unlock();
                takeFromInsertBuffer();
                return;
            }
            priority = p;
            payload = h.minPayloadLocked();
            h.removeMinLocked();
            h.unlock();
            return;
        }
        int m = Math.min(deleteCapacity, h.sizeLocked());
        for (int k = 0; k < m; k++) {
            d[2 * k] = h.minPriorityLocked();
            d[2 * k + 1] = h.minPayloadLocked();
            h.removeMinLockedNoPublish();
        }
        h.publish();
        h.unlock();
        dpos = 0;
        dlen = m;
        serveFromBuffers();
    }


    // -------------------------------------------------------------------------------------- flush, close

    @Override
    public void flush() {
        if (icount > 0 || dpos < dlen) {
            moveBuffersToHeap(true);
            publishCount();
        }
    }

    @Override
    public void close() {
        flush();
        if (tracked) {
            owner.deregister(this);
        }
    }
}
