package org.scaleml.concurrent.pq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the stealing-buffer header of {@link StealingMultiQueueSlot}. */
abstract class StealingMultiQueueSlotPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/**
 * The stealing-buffer header: read by every thief that compares with this slot, written by the owner when it
 * refills the buffer, and CAS-ed by whoever claims the buffer. On a cache line of its own.
 */
abstract class StealingMultiQueueSlotBufferFields extends StealingMultiQueueSlotPad0 {
    /** Odd: buffer full (claimable); even: empty (the owner may refill). +1 on every transition. Via STATE. */
    volatile long state;
    /** Priority of the best buffered element; valid while {@code state} is odd. Via TOP (opaque). */
    long top;
    /** Number of buffered elements, in [1, batch]; valid while {@code state} is odd. Via COUNT (opaque). */
    int count;
}

/** Padding between the buffer header and the owner-status fields. */
abstract class StealingMultiQueueSlotPad1 extends StealingMultiQueueSlotBufferFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}

/** Owner status: written by the owner (privCount whenever its private buffer changes), read by size(). */
abstract class StealingMultiQueueSlotOwnerFields extends StealingMultiQueueSlotPad1 {
    /** Elements in the owner's private buffer, for size(). Via PRIV (release/acquire). */
    volatile int privCount;
    /** 1 while a handle owns the slot; 0 after close, when register() may adopt the slot. Via OWNED. */
    volatile int owned;
}

/** Padding after the owner-status fields. */
abstract class StealingMultiQueueSlotPad2 extends StealingMultiQueueSlotOwnerFields {
    long r00, r01, r02, r03, r04, r05, r06, r07;
    long r08, r09, r10, r11, r12, r13, r14, r15;
}

/**
 * One registry entry of {@link StealingMultiQueue}: a heap, locked by its owner for each operation, and a
 * stealing buffer of up to {@code batch} elements that anyone may claim with one CAS. This class holds the buffer protocol; the policy (when to refill, steal, reclaim) is in
 * {@link StealingMultiQueue}, whose class comment explains both.
 *
 * <p>The buffer array stores {@code (priority, payload)} pairs interleaved, ascending (best first), starting at
 * index {@link #OFFSET}; the array is padded at both ends so that its elements never share a cache line with
 * another object's fields.
 */
final class StealingMultiQueueSlot extends StealingMultiQueueSlotPad2 {
    private static final VarHandle STATE;
    private static final VarHandle TOP;
    private static final VarHandle COUNT;
    private static final VarHandle PRIV;
    private static final VarHandle OWNED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(StealingMultiQueueSlotBufferFields.class, "state", long.class);
            TOP = l.findVarHandle(StealingMultiQueueSlotBufferFields.class, "top", long.class);
            COUNT = l.findVarHandle(StealingMultiQueueSlotBufferFields.class, "count", int.class);
            PRIV = l.findVarHandle(StealingMultiQueueSlotOwnerFields.class, "privCount", int.class);
            OWNED = l.findVarHandle(StealingMultiQueueSlotOwnerFields.class, "owned", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Index of the first buffered priority in {@link #buffer}: 64 bytes of padding before it. */
    static final int OFFSET = 8;

    /** Position in the registry; fixed. */
    final int index;
    /** The slot's heap; locked by its owner for each operation, and by a thief only when the buffer is empty. */
    final LockableHeap heap;
    /** Buffer storage, {@code OFFSET + 2 * batch + OFFSET} longs; see the class comment. */
    final long[] buffer;
    /** Capacity of the buffer in elements. */
    final int batch;

    StealingMultiQueueSlot(int index, int arity, int batch, int initialHeapCapacity) {
        this.index = index;
        this.heap = new LockableHeap(arity, initialHeapCapacity);
        this.batch = batch;
        this.buffer = new long[2 * OFFSET + 2 * batch];
        OWNED.setRelease(this, 1);
    }

    // ------------------------------------------------------------------------------------- buffer protocol

    static boolean isFull(long state) {
        return (state & 1L) != 0;
    }

    /** The buffer state, acquire read: a full state makes the elements, top and count written before it visible. */
    long stateAcquire() {
        return (long) STATE.getAcquire(this);
    }

    /** Published top of a full buffer (opaque; meaningful only together with a full state read before it). */
    long topOpaque() {
        return (long) TOP.getOpaque(this);
    }

    /** Published element count of a full buffer (opaque; as {@link #topOpaque()}). */
    int countOpaque() {
        return (int) COUNT.getOpaque(this);
    }

    /**
     * Owner only, with {@code emptyState} (even) read by {@link #stateAcquire()} and the {@code n >= 1} elements
     * already written to {@link #buffer}, ascending: publishes them (release store of the next, odd, state).
     */
    void publish(long emptyState, int n) {
        TOP.setOpaque(this, buffer[OFFSET]);
        COUNT.setOpaque(this, n);
        STATE.setRelease(this, emptyState + 1);
    }

    /**
     * Owner only: takes its own full buffer (observed in {@code fullState}) back. On success the owner may read
     * {@link #buffer}, which nobody else writes; on failure a thief took it and the state is
     * {@code fullState + 1} (only the owner makes the state odd again).
     */
    boolean reclaim(long fullState) {
        return STATE.compareAndSet(this, fullState, fullState + 1);
    }

    /**
     * Thief: copies the buffer observed full in {@code fullState} into {@code dst[0, 2n)} and claims it. The copy
     * is optimistic (the owner may be overwriting the array after a reclaim and refill); the CAS succeeds only
     * if the state never left {@code fullState}, in which case the copy is exactly what was published (see the
     * class comment of {@link StealingMultiQueue}, "Why a thief's copy is consistent"). Returns the number of
     * elements claimed, or 0 if the buffer was taken, reclaimed or refilled meanwhile.
     */
    int claim(long fullState, long[] dst) {
        final int n = countOpaque();
        if (n < 1 || n > batch) {
            return 0; // not the count published with fullState: the state has moved on, the CAS would fail
        }
        System.arraycopy(buffer, OFFSET, dst, 0, 2 * n); // plain racy reads, validated by the CAS below
        return STATE.compareAndSet(this, fullState, fullState + 1) ? n : 0;
    }

    // ------------------------------------------------------------------------------------- owner status

    int privCountAcquire() {
        return (int) PRIV.getAcquire(this);
    }

    void publishPrivCount(int n) {
        PRIV.setRelease(this, n);
    }

    /** register(): takes over a closed slot; at most one caller succeeds per close. */
    boolean tryAdopt() {
        return (int) OWNED.getAcquire(this) == 0 && OWNED.compareAndSet(this, 0, 1);
    }

    /** close(): makes the slot adoptable; everything the closing handle did happens-before the adoption. */
    void disown() {
        OWNED.setRelease(this, 0);
    }
}
