package org.scaleml.concurrent.heap;

import java.util.Arrays;

/**
 * A binary max-heap over the ids {@code 0 .. n-1} keyed by a {@code double}, with an index from id to heap slot,
 * so a key can be raised or lowered in O(log n). Every id is always in the heap (keys of 0 sit at the bottom).
 * Not thread-safe.
 */
public final class IndexedMaxHeap {
    private final int[] heap;
    private final int[] slot;
    private final double[] key;

    /** All ids with key 0. */
    public IndexedMaxHeap(int n) {
        heap = new int[n];
        slot = new int[n];
        key = new double[n];
        for (int i = 0; i < n; i++) {
            heap[i] = i;
            slot[i] = i;
        }
    }

    /** Replaces all keys at once and heapifies in O(n). */
    public void setAll(double[] keys) {
        System.arraycopy(keys, 0, key, 0, key.length);
        for (int i = heap.length / 2 - 1; i >= 0; i--) {
            down(i);
        }
    }

    public int size() {
        return heap.length;
    }

    public int top() {
        return heap[0];
    }

    public double topKey() {
        return heap.length == 0 ? 0 : key[heap[0]];
    }

    public double key(int id) {
        return key[id];
    }

    public void update(int id, double k) {
        double old = key[id];
        key[id] = k;
        if (k > old) {
            up(slot[id]);
        } else if (k < old) {
            down(slot[id]);
        }
    }

    private void up(int i) {
        int id = heap[i];
        double k = key[id];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (key[heap[p]] >= k) {
                break;
            }
            heap[i] = heap[p];
            slot[heap[i]] = i;
            i = p;
        }
        heap[i] = id;
        slot[id] = i;
    }

    private void down(int i) {
        int n = heap.length;
        int id = heap[i];
        double k = key[id];
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && key[heap[c + 1]] > key[heap[c]]) {
                c++;
            }
            if (key[heap[c]] <= k) {
                break;
            }
            heap[i] = heap[c];
            slot[heap[i]] = i;
            i = c;
        }
        heap[i] = id;
        slot[id] = i;
    }

    @Override
    public String toString() {
        return "IndexedMaxHeap" + Arrays.toString(Arrays.copyOf(heap, Math.min(8, heap.length)));
    }
}
