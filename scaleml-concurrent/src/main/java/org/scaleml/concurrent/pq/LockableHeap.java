package org.scaleml.concurrent.pq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.scaleml.concurrent.heap.DaryHeap;

/** Padding before the hot fields of {@link LockableHeap}, so two heaps never share a cache line. */
abstract class LockableHeapPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The contended fields: the lock word, the published top priority and the published size. */
abstract class LockableHeapFields extends LockableHeapPadBefore {
    volatile int lock;     // 0 = free, 1 = held; accessed through LOCK
    volatile long top;     // priority of the minimum, Long.MAX_VALUE when empty; accessed through TOP
    volatile int count;    // number of elements; accessed through COUNT
}

/** Padding after the hot fields. */
abstract class LockableHeapPadAfter extends LockableHeapFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}

/**
 * A {@link DaryHeap} behind a test-and-set spin lock, with its minimum priority and size published for
 * lock-free peeking. This is the per-queue building block of the MultiQueue family.
 *
 * <p><b>Memory ordering.</b> The lock is acquired with a CAS (volatile semantics) and released with a release
 * store, so everything done to the heap under the lock happens-before the next holder's actions. {@code top}
 * and {@code count} are written only by the lock holder, with release stores, and read without the lock with
 * acquire loads: a reader sees a value that was true at some moment, which is all the two-choice comparison
 * needs (it re-checks under the lock before popping).
 *
 * <p>The empty heap publishes {@code top = Long.MAX_VALUE}; since an element may itself have priority
 * {@code Long.MAX_VALUE}, emptiness is decided by {@code count}, never by {@code top}.
 */
final class LockableHeap extends LockableHeapPadAfter {
    private static final VarHandle LOCK;
    private static final VarHandle TOP;
    private static final VarHandle COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(LockableHeapFields.class, "lock", int.class);
            TOP = l.findVarHandle(LockableHeapFields.class, "top", long.class);
            COUNT = l.findVarHandle(LockableHeapFields.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DaryHeap heap;

    LockableHeap(int arity, int initialCapacity) {
        this.heap = new DaryHeap(arity, initialCapacity);
        TOP.setRelease(this, Long.MAX_VALUE);
    }

    /** One attempt to take the lock; never blocks. */
    boolean tryLock() {
        return (int) LOCK.getOpaque(this) == 0 && LOCK.compareAndSet(this, 0, 1);
    }

    /** Takes the lock, spinning (then yielding) while another thread holds it. */
    void lock() {
        int spins = 0;
        while (!tryLock()) {
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    /** Published minimum priority (acquire read, no lock); {@link Long#MAX_VALUE} when empty. */
    long topPriority() {
        return (long) TOP.getAcquire(this);
    }

    /** Published size (acquire read, no lock). */
    int publishedSize() {
        return (int) COUNT.getAcquire(this);
    }

    // ---- the following require the lock to be held ----

    boolean isEmptyLocked() {
        return heap.isEmpty();
    }

    int sizeLocked() {
        return heap.size();
    }

    long minPriorityLocked() {
        return heap.minPriority();
    }

    long minPayloadLocked() {
        return heap.minPayload();
    }

    void insertLocked(long priority, long payload) {
        heap.insert(priority, payload);
        publish();
    }

    /** Removes the minimum without publishing; call {@link #publish()} after a batch of removals. */
    void removeMinLockedNoPublish() {
        heap.removeMin();
    }

    /** Inserts without publishing; call {@link #publish()} after a batch of insertions. */
    void insertLockedNoPublish(long priority, long payload) {
        heap.insert(priority, payload);
    }

    void removeMinLocked() {
        heap.removeMin();
        publish();
    }

    /** Publishes the current top and size; call under the lock after mutating. */
    void publish() {
        TOP.setRelease(this, heap.minPriority());
        COUNT.setRelease(this, heap.size());
    }
}
