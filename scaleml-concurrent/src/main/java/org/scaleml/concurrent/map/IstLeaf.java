package org.scaleml.concurrent.map;

/**
 * Leaves of the {@link InterpolationSearchTree}: immutable {@code long[]} arrays of sorted (key, value) pairs,
 * {@code [k0, v0, k1, v1, ...]} with {@code k0 < k1 < ...}. An update never writes into a leaf that may be
 * published: it builds a new array (copy-on-write) and swaps it into the parent's slot with one CAS. Every array
 * returned here is a fresh object, which the tree relies on (no ABA on slots).
 */
final class IstLeaf {
    private IstLeaf() {
    }

    /** The value of {@code key} in leaf {@code a}, or {@link ConcurrentLongMap#NO_VALUE}. */
    static long get(long[] a, long key) {
        for (int i = 0; i < a.length; i += 2) {
            long k = a[i];
            if (k >= key) {
                return k == key ? a[i + 1] : ConcurrentLongMap.NO_VALUE;
            }
        }
        return ConcurrentLongMap.NO_VALUE;
    }

    /** The array index of {@code key}'s pair if present, else {@code -(insertion index) - 1}. */
    static int find(long[] a, long key) {
        for (int i = 0; i < a.length; i += 2) {
            long k = a[i];
            if (k >= key) {
                return k == key ? i : -i - 1;
            }
        }
        return -a.length - 1;
    }

    /** Index of the first pair with a key {@code >= key} ({@code a.length} if none). */
    static int ceilingIndex(long[] a, long key) {
        int i = 0;
        while (i < a.length && a[i] < key) {
            i += 2;
        }
        return i;
    }

    /** Index of the last pair with a key {@code <= key} (-2 if none). */
    static int floorIndex(long[] a, long key) {
        int i = a.length - 2;
        while (i >= 0 && a[i] > key) {
            i -= 2;
        }
        return i;
    }

    /** A copy of {@code a} whose pair at index {@code i} has value {@code value}. */
    static long[] withValue(long[] a, int i, long value) {
        long[] c = a.clone();
        c[i + 1] = value;
        return c;
    }

    /** A copy of {@code a} with the pair (key, value) inserted at array index {@code at}. */
    static long[] insert(long[] a, int at, long key, long value) {
        long[] c = new long[a.length + 2];
        System.arraycopy(a, 0, c, 0, at);
        c[at] = key;
        c[at + 1] = value;
        System.arraycopy(a, at, c, at + 2, a.length - at);
        return c;
    }

    /** A copy of {@code a} without the pair at index {@code i}. */
    static long[] remove(long[] a, int i) {
        long[] c = new long[a.length - 2];
        System.arraycopy(a, 0, c, 0, i);
        System.arraycopy(a, i + 2, c, i, a.length - i - 2);
        return c;
    }

    /** A leaf of the entries {@code [from, to)} of the parallel arrays. */
    static long[] of(long[] keys, long[] values, int from, int to) {
        long[] c = new long[2 * (to - from)];
        for (int i = from, j = 0; i < to; i++, j += 2) {
            c[j] = keys[i];
            c[j + 1] = values[i];
        }
        return c;
    }

    /**
     * Inserts (key, value) at index {@code at} of the full leaf {@code a} and splits the result in two halves
     * under a new two-way inner node whose separator is the first key of the right half.
     */
    static IstInner split(long[] a, int at, long key, long value, double rebuildFactor) {
        long[] all = insert(a, at, key, value);
        int pairs = all.length / 2;
        int half = 2 * (pairs / 2);
        long[] lo = new long[half];
        long[] hi = new long[all.length - half];
        System.arraycopy(all, 0, lo, 0, half);
        System.arraycopy(all, half, hi, 0, hi.length);
        return new IstInner(new long[]{hi[0]}, new Object[]{lo, hi}, pairs, rebuildFactor);
    }
}
