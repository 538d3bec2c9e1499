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
        int first = (int) firstChild;
        int end = (int) Math.min(firstChild + arity, size);
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
