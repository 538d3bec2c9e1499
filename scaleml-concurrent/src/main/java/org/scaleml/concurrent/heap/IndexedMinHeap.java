package org.scaleml.concurrent.heap;

/**
 * An indexed 4-ary min-heap of {@code int} items {@code 0..capacity-1} with {@code long} keys and decrease-key, on
 * three primitive arrays and no objects. Each item is in the heap at most once; a removed item may be inserted
 * again.
 *
 * <p><b>Contract.</b> Not thread-safe. Exact for any {@code long} keys. Item ids are not range-checked (an id
 * outside {@code 0..capacity-1} throws {@link ArrayIndexOutOfBoundsException}).
 *
 * <p><b>Complexity.</b> {@link #insertOrDecrease} O(log<sub>4</sub> k) and {@link #popMin} O(4 log<sub>4</sub> k)
 * for k items in the heap; {@link #clear()} O(k). Memory: 16 bytes per possible item, allocated once.
 */
public final class IndexedMinHeap {
    /*
     * Keys live in a heap-ordered long[] next to the heap-ordered items, so sifts compare keys in contiguous
     * memory and never read the caller's per-item arrays; pos[item] is the item's slot plus one (0: not in the
     * heap), which makes a fresh heap all zeros (no fill) and lets items be re-inserted after removal (A* with an
     * inconsistent heuristic). A 4-ary layout halves the depth of a binary heap; the four children of a slot are
     * adjacent (32 bytes of keys), so finding the smallest costs about one cache line.
     */

    private final int[] pos;
    private final long[] keys;
    private final int[] items;
    private int size;

    /** An empty heap for the items {@code 0..capacity-1}. */
    public IndexedMinHeap(int capacity) {
        pos = new int[capacity];
        keys = new long[capacity];
        items = new int[capacity];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int item) {
        return pos[item] != 0;
    }

    /** @return the smallest key; undefined if empty */
    public long minKey() {
        return keys[0];
    }

    /** @return the item with the smallest key, without removing it; undefined if empty */
    public int peek() {
        return items[0];
    }

    /**
     * Inserts {@code item} with {@code key}, or, if it is in the heap already, lowers its key to {@code key}.
     * The caller guarantees that the key does not increase.
     */
    public void insertOrDecrease(int item, long key) {
        int slot = pos[item] - 1;
        if (slot < 0) {
            slot = size++;
        }
        while (slot > 0) {
            int parent = (slot - 1) >>> 2;
            long pk = keys[parent];
            if (pk <= key) {
                break;
            }
            place(slot, items[parent], pk);
            slot = parent;
        }
        place(slot, item, key);
    }

    /** Removes and returns the item with the smallest key; undefined if empty. */
    public int popMin() {
        int top = items[0];
        pos[top] = 0;
        int n = --size;
        if (n > 0) {
            long key = keys[n];
            int slot = 0;
            int child;
            while ((child = SiftDown.smallerChild4(keys, n, slot, key)) >= 0) {
                place(slot, items[child], keys[child]);
                slot = child;
            }
            place(slot, items[n], key);
        }
        return top;
    }

    /** Empties the heap in O(size). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            pos[items[i]] = 0;
        }
        size = 0;
    }

    private void place(int slot, int item, long key) {
        keys[slot] = key;
        items[slot] = item;
        pos[item] = slot + 1;
    }
}
