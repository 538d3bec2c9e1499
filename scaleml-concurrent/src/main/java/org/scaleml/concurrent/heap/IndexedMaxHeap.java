package org.scaleml.concurrent.heap;

import java.util.Arrays;

/**
 * A binary max-heap over the ids {@code 0..n-1} keyed by a {@code double}, with an index from id to heap slot, so
 * any key can be raised or lowered in O(log n). Every id is always in the heap (ids of key 0 sit at the bottom).
 *
 * <p><b>Contract.</b> Not thread-safe. Keys are compared with the {@code double} operators, so ties (and NaN) are
 * ordered exactly as the sift rules below say, the same for every run: residual belief propagation applies messages
 * in this order and its update counts are part of its results.
 *
 * <p><b>Complexity.</b> {@link #update} O(log n), {@link #setAll} O(n), the rest O(1). Memory: 16 bytes per id.
 */
public final class IndexedMaxHeap {
    /*
     * Sift rules (they fix the order of equal keys): an id moves up past a parent whose key is strictly smaller;
     * an id moves down to its larger child while that child's key is strictly larger, the left child winning ties.
     *
     * Why not IndexedMinHeap over negated keys: that heap is 4-ary with long keys. A 4-ary shape orders equal keys
     * differently, which changes which message BP applies next, and no order-preserving map from double to long
     * keeps the double operators' answers for NaN and -0.0. Keys stay by id (key[id], not heap-ordered) because
     * the engines read them by id (key(int)) on every step.
     */

    private final int[] heap;
    private final int[] slot;
    private final double[] key;

    /** All ids {@code 0..n-1}, with key 0. */
    public IndexedMaxHeap(int n) {
        heap = new int[n];
        slot = new int[n];
        key = new double[n];
        for (int i = 0; i < n; i++) {
            heap[i] = i;
            slot[i] = i;
        }
    }

    /** Replaces all keys at once ({@code keys.length} must be n) and heapifies in O(n). */
    public void setAll(double[] keys) {
        System.arraycopy(keys, 0, key, 0, key.length);
        for (int i = heap.length / 2 - 1; i >= 0; i--) {
            down(i);
        }
    }

    public int size() {
        return heap.length;
    }

    /** @return the id with the largest key; undefined if n is 0 */
    public int top() {
        return heap[0];
    }

    /** @return the largest key, 0 if n is 0 */
    public double topKey() {
        return heap.length == 0 ? 0 : key[heap[0]];
    }

    public double key(int id) {
        return key[id];
    }

    /** Sets the key of {@code id} to {@code k}, raising or lowering it. */
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
            place(i, heap[p]);
            i = p;
        }
        place(i, id);
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
            place(i, heap[c]);
            i = c;
        }
        place(i, id);
    }

    private void place(int i, int id) {
        heap[i] = id;
        slot[id] = i;
    }

    @Override
    public String toString() {
        return "IndexedMaxHeap" + Arrays.toString(Arrays.copyOf(heap, Math.min(8, heap.length)));
    }
}
