package org.scaleml.graph.incremental;

import java.util.Arrays;

/**
 * A triangulation of {@code points} input points: its triangles as counter-clockwise vertex triples, in a
 * canonical form (each triple rotated to start at its smallest vertex, triples sorted), so that two
 * triangulations are equal as sets of triangles exactly when {@link #sameTriangles} says so.
 *
 * <p>Immutable; the arrays returned are copies. O(t log t) to build for t triangles.
 */
public final class Triangulation {
    private final int points;
    private final long[] keys;  // (a << 32 | b) for the canonical triple (a, b, c), sorted
    private final int[] third;  // c, aligned with keys

    private Triangulation(int points, long[] keys, int[] third) {
        this.points = points;
        this.keys = keys;
        this.third = third;
    }

    /**
     * @param points    number of input points (vertex ids are {@code 0..points-1})
     * @param triangles vertex triples, 3 per triangle, counter-clockwise
     */
    static Triangulation of(int points, int[] triangles) {
        int t = triangles.length / 3;
        long[] keys = new long[t];
        int[] third = new int[t];
        for (int i = 0; i < t; i++) {
            int a = triangles[3 * i];
            int b = triangles[3 * i + 1];
            int c = triangles[3 * i + 2];
            if (b < a && b < c) {
                int s = a;
                a = b;
                b = c;
                c = s;
            } else if (c < a && c < b) {
                int s = a;
                a = c;
                c = b;
                b = s;
            }
            keys[i] = (long) a << 32 | b;
            third[i] = c;
        }
        Pairs.sort(keys, third);
        return new Triangulation(points, keys, third);
    }

    /** Number of input points. */
    public int points() {
        return points;
    }

    /** Number of triangles. */
    public int triangles() {
        return keys.length;
    }

    /** The triangles as counter-clockwise triples (3 ints each), in canonical order. */
    public int[] toArray() {
        int[] out = new int[3 * keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[3 * i] = (int) (keys[i] >>> 32);
            out[3 * i + 1] = (int) keys[i];
            out[3 * i + 2] = third[i];
        }
        return out;
    }

    /** Whether both hold the same set of triangles (with the same orientation) over the same number of points. */
    public boolean sameTriangles(Triangulation o) {
        return points == o.points && Arrays.equals(keys, o.keys) && Arrays.equals(third, o.third);
    }

    /** A 64-bit fingerprint of the triangle set (equal sets give equal values). */
    public long checksum() {
        long h = points;
        for (int i = 0; i < keys.length; i++) {
            h = org.scaleml.common.SplitMix64.mix(h ^ keys[i]) + third[i];
        }
        return h;
    }

    /** Sorting of (long key, int value) pairs by key, in place, without boxing. */
    static final class Pairs {
        private Pairs() {
        }

        static void sort(long[] k, int[] v) {
            quick(k, v, 0, k.length - 1);
        }

        private static void quick(long[] k, int[] v, int lo, int hi) {
            while (hi - lo > 16) {
                int mid = (lo + hi) >>> 1;
                long a = k[lo];
                long b = k[mid];
                long c = k[hi];
                long pivot = a < b ? (b < c ? b : Math.max(a, c)) : (a < c ? a : Math.max(b, c));
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (k[i] < pivot) {
                        i++;
                    }
                    while (k[j] > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        swap(k, v, i++, j--);
                    }
                }
                if (j - lo < hi - i) {
                    quick(k, v, lo, j);
                    lo = i;
                } else {
                    quick(k, v, i, hi);
                    hi = j;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                for (int j = i; j > lo && k[j - 1] > k[j]; j--) {
                    swap(k, v, j, j - 1);
                }
            }
        }

        private static void swap(long[] k, int[] v, int i, int j) {
            long t = k[i];
            k[i] = k[j];
            k[j] = t;
            int s = v[i];
            v[i] = v[j];
            v[j] = s;
        }
    }
}
