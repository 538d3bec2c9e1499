package org.scaleml.concurrent.heap;

/**
 * An indexed 4-ary min-heap of {@code int} items {@code 0..capacity-1} with {@code long} keys and
 * decrease-key, on three primitive arrays and no objects; the priority queue of the sequential A* and of
 * the sequential Dijkstra when packed keys could overflow. Each item is in the heap at most once.
 *
 * <p>Costs: {@link #insertOrDecrease} O(log<sub>4</sub> k) and {@link #popMin} O(4 log<sub>4</sub> k) for k
 * items in the heap; {@link #clear()} O(k). Memory: 16 bytes per possible item, allocated once. Not
 * thread-safe.
 *
 * <h2>Design</h2>
 * Keys live in a heap-ordered {@code long[]} next to the heap-ordered items, so sifts compare keys in
 * contiguous memory and never read the per-node distance array; {@code pos[item]} is the item's slot plus
 * one (0: not in the heap), which makes a fresh heap all zeros (no fill) and lets items be re-inserted after
 * removal (A* with an inconsistent heuristic). A 4-ary layout halves the depth of a binary heap; the four
 * children of a slot are adjacent (32 bytes of keys), so finding the smallest costs about one cache line.
 * Exact for any {@code long} keys: nothing is packed, unlike the lazy heap of {@code dist << bits | node}
 * words that {@link SequentialDijkstra} prefers when it can prove the packed keys fit in 63 bits.
 */
public final class IndexedMinHeap {
    private final int[] pos;
    private final long[] keys;
    private final int[] items;
    private int size;

    /** @param capacity items are {@code 0..capacity-1}; the heap holds at most that many */
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
     * The caller guarantees that the key does not increase (it only ever moves up).
     */
    public void insertOrDecrease(int item, long key) {
        int slot = pos[item] - 1;
        if (slot < 0) {
            slot = size++;
        }
        siftUp(slot, item, key);
    }

    /** Removes and returns the item with the smallest key; undefined if empty. */
    public int popMin() {
        int top = items[0];
        pos[top] = 0;
        int last = --size;
        if (last > 0) {
            siftDown(items[last], keys[last]);
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

    private void siftUp(int slot, int item, long key) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 2;
            long pk = keys[parent];
            if (pk <= key) {
                break;
            }
            int pi = items[parent];
            keys[slot] = pk;
            items[slot] = pi;
            pos[pi] = slot + 1;
            slot = parent;
        }
        keys[slot] = key;
        items[slot] = item;
        pos[item] = slot + 1;
    }

    /** Places {@code item} with {@code key} at the root and moves it down; {@code size} excludes the old root. */
    private void siftDown(int item, long key) {
        int n = size;
        int slot = 0;
        int lastParent = (n - 2) >> 2; // slots <= lastParent have a child (int-safe for any n)
        while (slot <= lastParent) {
            int first = (slot << 2) + 1;
            int end = Math.min(first + 4, n);
            int best = first;
            long bk = keys[first];
            for (int c = first + 1; c < end; c++) {
                long k = keys[c];
                if (k < bk) {
                    bk = k;
                    best = c;
                }
            }
            if (bk >= key) {
                break;
            }
            int bi = items[best];
            keys[slot] = bk;
            items[slot] = bi;
            pos[bi] = slot + 1;
            slot = best;
        }
        keys[slot] = key;
        items[slot] = item;
        pos[item] = slot + 1;
    }
}
