package org.scaleml.concurrent.heap;

import java.util.Arrays;

/**
 * A d-ary min-heap of {@code (long priority, long payload)} pairs, priorities and payloads in two parallel
 * {@code long[]} arrays.
 *
 * <p><b>Contract.</b> Not thread-safe: single-owner code uses it directly, and the MultiQueue family wraps it
 * behind a lock. Any arity of at least 2 works (child indices are computed in {@code long}). Equal priorities leave
 * in an order fixed by the sequence of operations (no randomness). Capacity doubles on demand up to
 * {@link #MAX_CAPACITY}.
 *
 * <p><b>Complexity.</b> {@link #insert} O(log<sub>d</sub> n), {@link #removeMin} O(d log<sub>d</sub> n),
 * {@link #clear} O(1). Memory: 16 bytes per element plus growth slack.
 */
public final class DaryHeap {
    /*
     * Layout. A sift-down compares the d children of a node and moves one; only the children's priorities are
     * compared, so they live in an array of their own: the four priorities of a 4-ary node's children are 32
     * consecutive bytes, where interleaved pairs spanned 64. The payload array is touched once per level, for the
     * one element that moves. Measured with the schedulers on one thread (NY road SSSP, smq): 0.73-0.77 of the
     * sequential Dijkstra's speed before, 0.79-0.80 after. A branch-free tournament over the four children
     * (conditional moves) was tried and was slower (0.62): the comparisons of these heaps predict well.
     *
     * Sift-up moves the hole up past every strictly larger parent; sift-down moves the hole at the root down past
     * the smallest child while that child is strictly smaller (SiftDown.smallerChild).
     */

    /** Largest number of elements (the largest array the JVMs in use allocate, with a little room). */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private final int arity;
    private long[] prio;
    private long[] pay;
    private int size;

    /**
     * An empty heap.
     *
     * @param arity children per node, at least 2 (4 is the usual choice: the children share a cache line)
     * @param initialCapacity elements held before the first growth (at least 4 are allocated)
     * @throws IllegalArgumentException if {@code arity < 2}
     */
    public DaryHeap(int arity, int initialCapacity) {
        if (arity < 2) {
            throw new IllegalArgumentException("heap arity must be at least 2, got " + arity);
        }
        this.arity = arity;
        int cap = Math.max(4, initialCapacity);
        this.prio = new long[cap];
        this.pay = new long[cap];
    }

    public int arity() {
        return arity;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Priority of the minimum; {@link Long#MAX_VALUE} if empty (test {@link #isEmpty()} when it matters). */
    public long minPriority() {
        return size == 0 ? Long.MAX_VALUE : prio[0];
    }

    /** Payload of the minimum. Undefined when empty. */
    public long minPayload() {
        return pay[0];
    }

    /**
     * Adds a pair.
     *
     * @throws IllegalStateException if the heap already holds {@link #MAX_CAPACITY} elements
     */
    public void insert(long priority, long payload) {
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

    /** Removes the minimum. Undefined when empty. */
    public void removeMin() {
        int n = --size;
        if (n == 0) {
            return;
        }
        final long[] p = prio;
        final long[] v = pay;
        final long priority = p[n];
        final int d = arity;
        int i = 0;
        int child;
        while ((child = SiftDown.smallerChild(p, n, (long) d * i + 1, d, priority)) >= 0) {
            p[i] = p[child];
            v[i] = v[child];
            i = child;
        }
        p[i] = priority;
        v[i] = v[n];
    }

    /** Removes every element in O(1). */
    public void clear() {
        size = 0;
    }
}
