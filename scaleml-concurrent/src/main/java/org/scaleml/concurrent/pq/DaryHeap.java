package org.scaleml.concurrent.pq;

import java.util.Arrays;

/**
 * A sequential d-ary min-heap of {@code (long priority, long payload)} pairs stored interleaved in one
 * {@code long[]} ({@code [2i]} = priority, {@code [2i+1]} = payload), so a sift touches one array.
 *
 * <p>Not thread-safe. Used directly by single-owner code and, wrapped in {@link LockableHeap}, as the building
 * block of every MultiQueue variant and of the coarse-locked exact baseline.
 *
 * <p>Complexity: insert O(log_d n), removeMin O(d log_d n). Memory: 16 bytes per element plus growth slack
 * (capacity doubles).
 */
class DaryHeap {
    private final int arity;
    private long[] data;
    private int size;

    DaryHeap(int arity, int initialCapacity) {
        if (arity < 2) {
            throw new IllegalArgumentException("heap arity must be at least 2, got " + arity);
        }
        this.arity = arity;
        this.data = new long[2 * Math.max(4, initialCapacity)];
    }

    final int arity() {
        return arity;
    }

    final int size() {
        return size;
    }

    final boolean isEmpty() {
        return size == 0;
    }

    /** Priority of the minimum; {@link Long#MAX_VALUE} if empty (callers test {@link #isEmpty()} when it matters). */
    final long minPriority() {
        return size == 0 ? Long.MAX_VALUE : data[0];
    }

    /** Payload of the minimum. Undefined when empty. */
    final long minPayload() {
        return data[1];
    }

    final void insert(long priority, long payload) {
        int i = size;
        if (2 * i + 2 > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        size = i + 1;
        final long[] a = data;
        final int d = arity;
        // Sift up: move parents down until the slot for the new element is found.
        while (i > 0) {
            int parent = (i - 1) / d;
            long pp = a[2 * parent];
            if (pp <= priority) {
                break;
            }
            a[2 * i] = pp;
            a[2 * i + 1] = a[2 * parent + 1];
            i = parent;
        }
        a[2 * i] = priority;
        a[2 * i + 1] = payload;
    }

    /** Removes the minimum. Precondition: not empty. */
    final void removeMin() {
        int n = --size;
        if (n == 0) {
            return;
        }
        final long[] a = data;
        final long priority = a[2 * n];
        final long payload = a[2 * n + 1];
        final int d = arity;
        int i = 0;
        // Sift the last element down from the root.
        while (true) {
            int first = d * i + 1;
            if (first >= n) {
                break;
            }
            int last = Math.min(first + d, n);
            int best = first;
            long bestP = a[2 * first];
            for (int c = first + 1; c < last; c++) {
                long cp = a[2 * c];
                if (cp < bestP) {
                    bestP = cp;
                    best = c;
                }
            }
            if (bestP >= priority) {
                break;
            }
            a[2 * i] = bestP;
            a[2 * i + 1] = a[2 * best + 1];
            i = best;
        }
        a[2 * i] = priority;
        a[2 * i + 1] = payload;
    }

    final void clear() {
        size = 0;
    }
}
