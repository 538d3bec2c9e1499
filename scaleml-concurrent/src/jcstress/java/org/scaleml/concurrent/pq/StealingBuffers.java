package org.scaleml.concurrent.pq;

/**
 * The owner's and the thief's side of the {@link StealingMultiQueueSlot} buffer protocol as the stealing-buffer
 * jcstress tests drive it, and the check of a thief's copy.
 */
final class StealingBuffers {

    private StealingBuffers() {
    }

    /**
     * Owner: writes {@code pairs} (interleaved {@code (priority, payload)}, ascending) into the buffer of a slot whose
     * state is the even {@code emptyState} and publishes them.
     */
    static void publish(StealingMultiQueueSlot slot, long emptyState, long[] pairs) {
        System.arraycopy(pairs, 0, slot.buffer, StealingMultiQueueSlot.OFFSET, pairs.length);
        slot.publish(emptyState, pairs.length / 2);
    }

    /**
     * Thief: if the buffer's state is full, copies and claims it into {@code loot}, as a thief of
     * {@link StealingMultiQueue} does. Returns the number of elements claimed, 0 if the state was empty or the
     * claim failed.
     */
    static int steal(StealingMultiQueueSlot slot, long[] loot) {
        long s = slot.stateAcquire();
        return StealingMultiQueueSlot.isFull(s) ? slot.claim(s, loot) : 0;
    }

    /**
     * Whether {@code copy} holds exactly {@code n} elements equal to {@code expected}, given as interleaved
     * {@code (priority, payload)} pairs (so {@code n == expected.length / 2}).
     */
    static boolean matches(long[] copy, int n, long... expected) {
        if (2 * n != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (copy[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
