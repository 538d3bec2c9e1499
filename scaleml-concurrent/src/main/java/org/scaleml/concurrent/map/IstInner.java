package org.scaleml.concurrent.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An inner node of the {@link InterpolationSearchTree}: sorted separator keys, one child slot more than
 * separators, and an interpolation index over the separators. Separators and index are immutable; the slots
 * change by CAS (see the tree's algorithm comment). Child {@code i} holds the keys {@code k} with
 * {@code keys[i-1] <= k < keys[i]} (unbounded at the ends).
 */
final class IstInner {
    /*
     * Interpolation index (the "ID" array of Mehlhorn and Tsakalidis' interpolation search tree, kept by [1]):
     * the separator range [min, max] is cut into m = number of separators equal buckets; bucket(k) =
     * floor((k - min) * m / (max - min)) computed in double arithmetic on the unsigned difference and clamped to
     * [0, m-1]. bucket is non-decreasing in k (each step - unsigned-to-double conversion, multiplication by a
     * positive constant, floor, clamp - is), and index[b] = number of separators whose bucket is < b, index[m] =
     * number of separators. For a key k >= min with bucket b: every separator before index[b] has a smaller
     * bucket, hence is < k; every separator from index[b+1] on has a larger bucket, hence is > k. So the child of
     * k is index[b] plus the separators <= k among index[b] .. index[b+1]-1: one index read and, for keys spread
     * smoothly, a scan of O(1) separators; a crowded bucket (skewed keys) falls back to binary search, so the
     * worst case per node stays O(log degree). No rounding can make the answer wrong, only the scan longer.
     */
    /** Nodes with fewer separators are searched linearly, without an index. */
    static final int INDEX_MIN = 8;
    /** Nodes built for at least this many keys count updates by sampling (1 in SAMPLE, adding SAMPLE). */
    static final long SAMPLED_FROM = 4096;
    static final int SAMPLE = 64;
    private static final int LINEAR_SCAN = 16;

    private static final VarHandle UPDATES;
    private static final VarHandle FROZEN_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPDATES = l.findVarHandle(IstInner.class, "updates", long.class);
            FROZEN_COUNT = l.findVarHandle(IstInner.class, "frozenCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long[] keys;
    /** Child slots: a leaf ({@code long[]}), an {@code IstInner}, or a rebuild's marker (see {@link IstRebuild}). */
    final Object[] children;
    /** The interpolation index, or null for nodes with fewer than {@link #INDEX_MIN} separators. */
    private final int[] index;
    private final long minKey;
    private final double scale;
    /** Keys in the subtree when it was built; the rebuild threshold is proportional to it. */
    final long initSize;
    private final long threshold;
    /** Updates (insertions and removals) that went through this node; accessed through {@link #UPDATES}. */
    @SuppressWarnings("unused")
    private volatile long updates;
    /** Keys in the subtree once a rebuild has frozen all of it, else -1; through {@link #FROZEN_COUNT}. */
    @SuppressWarnings("unused")
    private volatile long frozenCount = -1;

    IstInner(long[] keys, Object[] children, long initSize, double rebuildFactor) {
        this.keys = keys;
        this.children = children;
        this.initSize = initSize;
        this.threshold = Math.max(1, (long) Math.ceil(initSize * rebuildFactor));
        int m = keys.length;
        if (m < INDEX_MIN) {
            this.index = null;
            this.minKey = 0;
            this.scale = 0;
            return;
        }
        this.minKey = keys[0];
        this.scale = m / unsigned(keys[m - 1] - keys[0]);
        int[] idx = new int[m + 1];
        int s = 0;
        for (int b = 0; b <= m; b++) {
            while (s < m && bucket(keys[s], m) < b) {
                s++;
            }
            idx[b] = s;
        }
        this.index = idx;
    }

    /** {@code x} read as an unsigned 64-bit integer, converted to double (monotone, possibly rounded). */
    static double unsigned(long x) {
        return x >= 0 ? (double) x : (double) (x >>> 1) * 2.0;
    }

    private int bucket(long key, int m) {
        double d = unsigned(key - minKey) * scale;
        return d < m ? (int) d : m - 1;
    }

    /** The slot index of the child whose range holds {@code key}: the number of separators {@code <= key}. */
    int childIndex(long key) {
        long[] ks = keys;
        int[] idx = index;
        if (idx == null) {
            int i = 0;
            while (i < ks.length && ks[i] <= key) {
                i++;
            }
            return i;
        }
        if (key < minKey) {
            return 0;
        }
        int b = bucket(key, ks.length);
        int lo = idx[b];
        int hi = idx[b + 1];
        while (hi - lo > LINEAR_SCAN) {
            int mid = (lo + hi) >>> 1;
            if (ks[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        while (lo < hi && ks[lo] <= key) {
            lo++;
        }
        return lo;
    }

    /**
     * Counts one update below this node; true when the count has reached the rebuild threshold. Large nodes count
     * by sampling (1 update in {@link #SAMPLE} adds {@link #SAMPLE}), so that the root's counter is not written by
     * every update of every thread.
     */
    boolean countUpdate() {
        long add = 1;
        if (initSize >= SAMPLED_FROM) {
            if ((ThreadLocalRandom.current().nextInt() & (SAMPLE - 1)) != 0) {
                return false;
            }
            add = SAMPLE;
        }
        return (long) UPDATES.getAndAdd(this, add) + add >= threshold;
    }

    long frozenCount() {
        return (long) FROZEN_COUNT.getAcquire(this);
    }

    void setFrozenCount(long n) {
        FROZEN_COUNT.setRelease(this, n);
    }
}
