package org.scaleml.concurrent.heap;

import java.util.Arrays;

/** A 4-ary min-heap of bare {@code long} values (verbatim from the sequential Dijkstra, for the before figures). */
public final class LongMinHeap {
    private long[] heap;
    private int size;

    public LongMinHeap(int initialCapacity) {
        heap = new long[Math.max(4, initialCapacity)];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public void push(long key) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size + (size >> 1));
        }
        int j = size++;
        while (j > 0) {
            int p = (j - 1) >>> 2;
            long pk = heap[p];
            if (pk <= key) {
                break;
            }
            heap[j] = pk;
            j = p;
        }
        heap[j] = key;
    }

    public long pop() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        int lastParent = (size - 2) >> 2;
        while (i <= lastParent) {
            int c = (i << 2) + 1;
            int end = Math.min(c + 4, size);
            int best = c;
            long bk = heap[c];
            for (int j = c + 1; j < end; j++) {
                long k = heap[j];
                if (k < bk) {
                    bk = k;
                    best = j;
                }
            }
            if (bk >= last) {
                break;
            }
            heap[i] = bk;
            i = best;
        }
        heap[i] = last;
        return top;
    }
}
