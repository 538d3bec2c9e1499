package org.scaleml.concurrent.map;

import java.util.Arrays;

/**
 * The sequential reference ({@code tree-seq}): an AVL tree on parallel primitive arrays, with no per-entry objects.
 * <b>Not thread-safe</b>; {@link LockedTreeMap} ({@code locked-tree}) puts it under a lock. Every operation is
 * O(log n) worst case except the range operations, O(log n + k) for k keys in the range. About 25 bytes per key
 * plus up to half as much again of spare array capacity.
 *
 * <p>The lookups ({@link #find}, {@link #ceilingNode}, {@link #floorNode}, {@link #keyAt}, {@link #valueAt}) never
 * throw and never loop, whatever they read: index and depth are checked against the arrays they hold. That is what
 * lets {@link LockedTreeMap} run them without a lock during an optimistic read, where a concurrent writer may leave
 * the arrays inconsistent; the lock's validation then discards the result.
 */
final class AvlTreeMap implements ConcurrentLongMap {
    /*
     * Layout: node t lives at index t of keys, vals, left, right and height; index 0 is the empty subtree (height
     * 0), so a child index of 0 means "none". Freed nodes form a free list through left[]. Insertion and deletion
     * are the textbook recursive AVL algorithms (G. Adelson-Velsky and E. Landis, 1962), rebalancing with single
     * and double rotations on the way back up; a node with two children is deleted by moving its successor's
     * entry into it. The arrays grow by half before an insertion starts, so no recursion level holds a stale array.
     * An AVL tree of n < 2^31 nodes is less than 1.45 log2(n + 2) < 46 deep; lookups give up after MAX_DEPTH steps.
     */
    static final int NIL = 0;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NODES = Integer.MAX_VALUE - 16;

    private long[] keys = new long[16];
    private long[] vals = new long[16];
    private int[] left = new int[16];
    private int[] right = new int[16];
    private byte[] height = new byte[16];
    private int root = NIL;
    /** Nodes ever allocated (the next fresh index is used + 1). */
    private int used;
    private int free = NIL;
    private long size;
    /** The previous value found by the last insertion or deletion. */
    private long previous;

    @Override
    public long get(long key) {
        int t = find(key);
        return t == NIL ? NO_VALUE : valueAt(t);
    }

    /** The node holding {@code key}, or {@link #NIL}; safe under concurrent modification (see the class comment). */
    int find(long key) {
        long[] k = keys;
        int[] l = left;
        int[] r = right;
        int n = Math.min(k.length, Math.min(l.length, r.length));
        int t = root;
        for (int depth = 0; t > NIL && t < n && depth < MAX_DEPTH; depth++) {
            long x = k[t];
            if (key == x) {
                return t;
            }
            t = key < x ? l[t] : r[t];
        }
        return NIL;
    }

    /** The node of the smallest key {@code >= key}, or {@link #NIL}; safe under concurrent modification. */
    int ceilingNode(long key) {
        return near(key, true);
    }

    /** The node of the largest key {@code <= key}, or {@link #NIL}; safe under concurrent modification. */
    int floorNode(long key) {
        return near(key, false);
    }

    private int near(long key, boolean ceiling) {
        long[] k = keys;
        int[] l = left;
        int[] r = right;
        int n = Math.min(k.length, Math.min(l.length, r.length));
        int best = NIL;
        int t = root;
        for (int depth = 0; t > NIL && t < n && depth < MAX_DEPTH; depth++) {
            long x = k[t];
            if (x == key) {
                return t;
            }
            if ((x > key) == ceiling) {
                best = t;
            }
            t = x > key ? l[t] : r[t];
        }
        return best;
    }

    /** The key of node {@code t} (0 if {@code t} is out of range). */
    long keyAt(int t) {
        long[] k = keys;
        return t > NIL && t < k.length ? k[t] : 0;
    }

    /** The value of node {@code t} ({@link #NO_VALUE} if {@code t} is out of range). */
    long valueAt(int t) {
        long[] v = vals;
        return t > NIL && t < v.length ? v[t] : NO_VALUE;
    }

    @Override
    public long put(long key, long value) {
        return insert(key, SkipListLongMap.checkedValue(value), false);
    }

    @Override
    public long putIfAbsent(long key, long value) {
        return insert(key, SkipListLongMap.checkedValue(value), true);
    }

    private long insert(long key, long value, boolean onlyIfAbsent) {
        ensureSpare();
        root = insert(root, key, value, onlyIfAbsent);
        return previous;
    }

    @Override
    public long remove(long key) {
        root = delete(root, key);
        return previous;
    }

    @Override
    public boolean ceiling(long key, KeyResult out) {
        return found(ceilingNode(key), out);
    }

    @Override
    public boolean floor(long key, KeyResult out) {
        return found(floorNode(key), out);
    }

    private boolean found(int t, KeyResult out) {
        if (t == NIL) {
            return false;
        }
        out.key = keys[t];
        out.value = vals[t];
        return true;
    }

    @Override
    public long rangeCount(long lo, long hi) {
        long[] count = new long[1];
        forEachInRange(lo, hi, (k, v) -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    @Override
    public void forEachInRange(long lo, long hi, EntryVisitor action) {
        if (lo > hi) {
            return;
        }
        int[] stack = new int[MAX_DEPTH];
        int top = 0;
        int t = root;
        while (t != NIL || top > 0) {
            while (t != NIL) {
                if (keys[t] < lo) {
                    t = right[t];
                } else {
                    stack[top++] = t;
                    t = left[t];
                }
            }
            if (top == 0) {
                return;
            }
            t = stack[--top];
            if (keys[t] > hi || !action.visit(keys[t], vals[t])) {
                return;
            }
            t = right[t];
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String spec() {
        return "tree-seq";
    }

    @Override
    public String toString() {
        return "tree-seq(size=" + size + ")";
    }

    // ---- AVL maintenance ----

    private int insert(int t, long key, long value, boolean onlyIfAbsent) {
        if (t == NIL) {
            previous = NO_VALUE;
            size++;
            return newNode(key, value);
        }
        long x = keys[t];
        if (key < x) {
            int c = insert(left[t], key, value, onlyIfAbsent);
            left[t] = c;
        } else if (key > x) {
            int c = insert(right[t], key, value, onlyIfAbsent);
            right[t] = c;
        } else {
            previous = vals[t];
            if (!onlyIfAbsent) {
                vals[t] = value;
            }
            return t;
        }
        return rebalance(t);
    }

    private int delete(int t, long key) {
        if (t == NIL) {
            previous = NO_VALUE;
            return NIL;
        }
        long x = keys[t];
        if (key < x) {
            int c = delete(left[t], key);
            left[t] = c;
        } else if (key > x) {
            int c = delete(right[t], key);
            right[t] = c;
        } else {
            previous = vals[t];
            size--;
            if (left[t] == NIL || right[t] == NIL) {
                int child = left[t] != NIL ? left[t] : right[t];
                release(t);
                return child;
            }
            int s = right[t];
            while (left[s] != NIL) {
                s = left[s];
            }
            keys[t] = keys[s];
            vals[t] = vals[s];
            int c = deleteMin(right[t]);
            right[t] = c;
        }
        return rebalance(t);
    }

    private int deleteMin(int t) {
        if (left[t] == NIL) {
            int r = right[t];
            release(t);
            return r;
        }
        int c = deleteMin(left[t]);
        left[t] = c;
        return rebalance(t);
    }

    private int rebalance(int t) {
        int balance = height[left[t]] - height[right[t]];
        if (balance > 1) {
            int l = left[t];
            if (height[left[l]] < height[right[l]]) {
                left[t] = rotateLeft(l);
            }
            return rotateRight(t);
        }
        if (balance < -1) {
            int r = right[t];
            if (height[right[r]] < height[left[r]]) {
                right[t] = rotateRight(r);
            }
            return rotateLeft(t);
        }
        fixHeight(t);
        return t;
    }

    private int rotateRight(int t) {
        int l = left[t];
        left[t] = right[l];
        right[l] = t;
        fixHeight(t);
        fixHeight(l);
        return l;
    }

    private int rotateLeft(int t) {
        int r = right[t];
        right[t] = left[r];
        left[r] = t;
        fixHeight(t);
        fixHeight(r);
        return r;
    }

    private void fixHeight(int t) {
        height[t] = (byte) (1 + Math.max(height[left[t]], height[right[t]]));
    }

    private int newNode(long key, long value) {
        int t = free;
        if (t != NIL) {
            free = left[t];
        } else {
            t = ++used;
        }
        keys[t] = key;
        vals[t] = value;
        left[t] = NIL;
        right[t] = NIL;
        height[t] = 1;
        return t;
    }

    private void release(int t) {
        left[t] = free;
        right[t] = NIL;
        height[t] = 0;
        free = t;
    }

    /** Makes room for one more node before an insertion starts, so that no recursion level holds a stale array. */
    private void ensureSpare() {
        if (free != NIL || used + 1 < keys.length) {
            return;
        }
        if (used >= MAX_NODES) {
            throw new IllegalStateException("tree-seq holds at most " + MAX_NODES + " keys");
        }
        int n = (int) Math.min(MAX_NODES + 1L, keys.length + (keys.length >> 1) + 16L);
        keys = Arrays.copyOf(keys, n);
        vals = Arrays.copyOf(vals, n);
        left = Arrays.copyOf(left, n);
        right = Arrays.copyOf(right, n);
        height = Arrays.copyOf(height, n);
    }
}
