package org.scaleml.graph.incremental;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Per-item lists of parked tasks: a task blocked by an unfinished item parks on that item's list instead of
 * spinning through the queue, and whoever finishes the item closes the list and pushes the waiters again.
 * Lock-free (Treiber-style pushes, one atomic swap to close); each list is closed once, so there is no ABA. A
 * waiter must be parked on at most one list at a time. (The same scheme as the greedy graph algorithms'.)
 */
final class WaitLists {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int EMPTY = -1;
    private static final int CLOSED = -2;
    private final int[] head;
    private final int[] next;

    WaitLists(int items) {
        head = new int[items];
        Arrays.fill(head, EMPTY);
        next = new int[items];
    }

    /** Parks {@code waiter} on {@code item}; false if the item is already finished (the caller retries). */
    boolean park(int item, int waiter) {
        int h = (int) INTS.getAcquire(head, item);
        for (;;) {
            if (h == CLOSED) {
                return false;
            }
            next[waiter] = h;
            int witness = (int) INTS.compareAndExchange(head, item, h, waiter);
            if (witness == h) {
                return true;
            }
            h = witness;
        }
    }

    /** Closes {@code item}'s list (once, after its result is published) and hands every waiter to {@code wake}. */
    void close(int item, IntConsumer wake) {
        int w = (int) INTS.getAndSet(head, item, CLOSED);
        while (w >= 0) {
            int nw = next[w];
            wake.accept(w);
            w = nw;
        }
    }
}
