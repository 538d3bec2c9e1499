package org.scaleml.concurrent.heap;

import java.util.Arrays;

/**
 * A 4-ary min-heap of bare {@code long} values in one growing {@code long[]}: the heap for keys that carry their
 * payload in their low bits, such as the {@code dist << bits | node} words of a lazy Dijkstra.
 *
 * <p><b>Contract.</b> Not thread-safe. Duplicates are kept (each {@link #push} adds one value). Capacity grows by
 * half on demand, up to {@link DaryHeap#MAX_CAPACITY}.
 *
 * <p><b>Complexity.</b> {@link #push} O(log<sub>4</sub> n), {@link #pop} O(4 log<sub>4</sub> n). Memory: 8 bytes per
 * value plus growth slack.
 */
public final class LongMinHeap {
    /*
     * Why not a DaryHeap with an unused payload: a single word per entry halves the memory moved per sift level,
     * and the sift loops touch one array. On the New York road network the sequential Dijkstra took about 30 ms
     * with separate key and node arrays against 25 ms with packed words (see SequentialDijkstra), so the
     * specialised variant stays. The 4-ary layout halves the depth of a binary heap and a node's four children
     * share a cache line.
     */

    private long[] heap;
    private int size;

    /** An empty heap with room for {@code initialCapacity} values (at least 4) before it grows. */
    public LongMinHeap(int initialCapacity) {
        heap = new long[Math.max(4, initialCapacity)];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /**
     * Adds {@code value}.
     *
     * @throws IllegalStateException if the heap already holds {@link DaryHeap#MAX_CAPACITY} values
     */
    public void push(long value) {
        if (size == heap.length) {
            if (size >= DaryHeap.MAX_CAPACITY) {
                throw new IllegalStateException("heap is full: " + size + " values");
            }
            heap = Arrays.copyOf(heap, (int) Math.min(size + (long) (size >> 1), DaryHeap.MAX_CAPACITY));
        }
        final long[] h = heap;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pv = h[parent];
            if (pv <= value) {
                break;
            }
            h[i] = pv;
            i = parent;
        }
        h[i] = value;
    }

    /** Removes and returns the smallest value. Undefined when empty. */
    public long pop() {
        final long[] h = heap;
        long top = h[0];
        int n = --size;
        long last = h[n];
        int i = 0;
        int child;
        while ((child = SiftDown.smallerChild4(h, n, i, last)) >= 0) {
            h[i] = h[child];
            i = child;
        }
        h[i] = last;
        return top;
    }
}
