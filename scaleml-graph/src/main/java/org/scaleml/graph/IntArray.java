package org.scaleml.graph;

import java.util.Arrays;

/** A growable {@code int} array (amortised O(1) append). Not thread-safe. */
final class IntArray {
    static final int MAX_LENGTH = (int) CsrGraph.MAX_ARCS;

    int[] a;
    int size;

    IntArray(long initialCapacity) {
        a = new int[(int) Math.max(4, Math.min(initialCapacity, MAX_LENGTH))];
    }

    void add(int v) {
        if (size == a.length) {
            grow();
        }
        a[size++] = v;
    }

    private void grow() {
        if (a.length >= MAX_LENGTH) {
            throw new IllegalStateException("more than " + MAX_LENGTH + " entries: this version stores at most "
                    + CsrGraph.MAX_ARCS + " arcs per graph");
        }
        long next = Math.min(MAX_LENGTH, a.length + (long) (a.length >> 1) + 16);
        a = Arrays.copyOf(a, (int) next);
    }

    /** Releases the storage; the array is unusable afterwards. */
    void clear() {
        a = null;
        size = 0;
    }
}
