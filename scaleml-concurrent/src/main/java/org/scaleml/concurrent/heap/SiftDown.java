package org.scaleml.concurrent.heap;

/** The child scan that every {@code long}-keyed heap of this package runs at each level of a sift-down. */
final class SiftDown {
    private SiftDown() {
    }

    /**
     * Finds where a sift-down continues: the first smallest of the children {@code firstChild ..
     * firstChild + arity - 1} of a slot, among the {@code size} slots in use, if its key is strictly smaller
     * than {@code key}.
     *
     * <p>{@code firstChild} is a {@code long} so that callers with a large arity can pass {@code arity * i + 1}
     * without overflow. Ties keep the element in place (equal keys never move down), and among equal children the
     * leftmost wins: together these fix the order of equal keys, which callers rely on for reproducible runs.
     *
     * @return the slot of that child, or -1 if the slot has no child or no child is smaller than {@code key}
     */
    static int smallerChild(long[] keys, int size, long firstChild, int arity, long key) {
        if (firstChild >= size) {
            return -1;
        }
        return smallerOf(keys, (int) firstChild, (int) Math.min(firstChild + arity, size), key);
    }

    /**
     * {@link #smallerChild} for a 4-ary heap, in {@code int} arithmetic: the child index is formed only for a
     * slot that has a child, so {@code 4 * slot + 1 < size} and nothing overflows.
     */
    static int smallerChild4(long[] keys, int size, int slot, long key) {
        if (slot > (size - 2) >> 2) {
            return -1;
        }
        int first = (slot << 2) + 1;
        return smallerOf(keys, first, Math.min(first + 4, size), key);
    }

    /** The first smallest of {@code keys[first..end)} if strictly smaller than {@code key}, else -1. */
    private static int smallerOf(long[] keys, int first, int end, long key) {
        int best = first;
        long bestKey = keys[first];
        for (int c = first + 1; c < end; c++) {
            long k = keys[c];
            if (k < bestKey) {
                bestKey = k;
                best = c;
            }
        }
        return bestKey < key ? best : -1;
    }
}
