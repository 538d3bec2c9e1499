package org.scaleml.concurrent.heap;

import java.util.Arrays;

/**
 * A sequential d-ary min-heap of {@code (long priority, long payload)} pairs, priorities and payloads in two
 * parallel {@code long[]} arrays.
 *
 * <p>Not thread-safe. Used directly by single-owner code and, wrapped in {@link LockableHeap}, as the building
 * block of every MultiQueue variant and of the coarse-locked exact baseline.
 *
 * <p>Any arity of at least 2 is safe: child indices are computed in {@code long}.
 *
 * <p>Complexity: insert O(log_d n), removeMin O(d log_d n). Memory: 16 bytes per element plus growth slack
 * (capacity doubles).
 */
public final class DaryHeap {
    /*
     * Layout. A sift-down compares the d children of a node and moves one; only the children's priorities are
     * compared, so they live in an array of their own: the four priorities of a 4-ary node's children are 32
     * consecutive bytes, where interleaved pairs spanned 64. The payload array is touched once per level, for the
     * one element that moves. Measured with the schedulers on one thread (NY road SSSP, smq): 0.73-0.77 of the
     * sequential Dijkstra's speed before, 0.79-0.80 after. A branch-free tournament over the four children
     * (conditional moves) was tried and was slower (0.62): the comparisons of these heaps predict well.
     */

    /** Largest number of elements (the largest array the JVMs in use allocate, with a little room). */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private final int arity;
    private long[] prio;
    private long[] pay;
    private int size;

    public DaryHeap(int arity, int initialCapacity) {
        if (arity < 2) {
            throw new IllegalArgumentException("heap arity must be at least 2, got " + arity);
        }
        this.arity = arity;
        int cap = Math.max(4, initialCapacity);
        this.prio = new long[cap];
        this.pay = new long[cap];
    }

    public final int arity() {
        return arity;
    }

    public final int size() {
        return size;
    }

    public final boolean isEmpty() {
        return size == 0;
    }

    /** Priority of the minimum; {@link Long#MAX_VALUE} if empty (callers test {@link #isEmpty()} when it matters). */
    public final long minPriority() {
        return size == 0 ? Long.MAX_VALUE : prio[0];
    }

    /** Payload of the minimum. Undefined when empty. */
    public final long minPayload() {
        return pay[0];
    }

    public final void insert(long priority, long payload) {
        int i = size;
        if (i == prio.length) {
            if (i >= MAX_CAPACITY) {
                throw new IllegalStateException("heap is full: " + i + " elements");
            }
            int cap = (int) Math.min(2L * i, MAX_CAPACITY);
            prio = Arrays.copyOf(prio, cap);
            pay = Arrays.copyOf(pay, cap);
        }
        size = i + 1;
        final long[] p = prio;
        final long[] v = pay;
        final int d = arity;
        // Sift up: move parents down until the slot for the new element is found.
        while (i > 0) {
            int parent = d == 4 ? (i - 1) >>> 2 : (i - 1) / d;
            long pp = p[parent];
            if (pp <= priority) {
                break;
            }
            p[i] = pp;
            v[i] = v[parent];
            i = parent;
        }
        p[i] = priority;
        v[i] = payload;
    }

    public final void removeMin() {
        int n = --size;
        if (n == 0) {
            return;
        }
        final long[] p = prio;
        final long[] v = pay;
        final long priority = p[n];
        final long payload = v[n];
        int i = siftDown(p, v, n, priority);
        p[i] = priority;
        v[i] = payload;
    }

    /** Moves the hole at the root down past every smaller child; returns the slot for {@code priority}. */
    private int siftDown(long[] p, long[] v, int n, long priority) {
        final int d = arity;
        int i = 0;
        while (true) {
            // In long: for a large arity d * i + d passes Integer.MAX_VALUE long before i does.
            long firstChild = (long) d * i + 1;
            if (firstChild >= n) {
                return i;
            }
            int first = (int) firstChild;
            int last = (int) Math.min(firstChild + d, n);
            int best = first;
            long bestP = p[first];
            for (int c = first + 1; c < last; c++) {
                long cp = p[c];
                if (cp < bestP) {
                    bestP = cp;
                    best = c;
                }
            }
            if (bestP >= priority) {
                return i;
            }
            p[i] = bestP;
            v[i] = v[best];
            i = best;
        }
    }

    public final void clear() {
        size = 0;
    }
}
