package org.scaleml.graph.incremental;

import java.util.Arrays;

/**
 * The binary search tree built by inserting keys in a given order (no rebalancing; on a tie the later key goes
 * right): its shape over the <em>items</em> {@code 0..n-1}, item i being the key inserted i-th.
 *
 * <p>Immutable apart from the arrays returned by the accessors, which are the tree's own and must be treated as
 * read-only.
 */
public final class BinarySearchTree {
    private final long[] itemKeys;
    private final int[] left;
    private final int[] right;

    BinarySearchTree(long[] itemKeys, int[] left, int[] right) {
        this.itemKeys = itemKeys;
        this.left = left;
        this.right = right;
    }

    /** Number of keys. */
    public int size() {
        return itemKeys.length;
    }

    /** The root item (0, the first key inserted), or -1 for an empty tree. */
    public int root() {
        return itemKeys.length == 0 ? -1 : 0;
    }

    /** {@code keys()[i]} = the key of item i (the i-th inserted). */
    public long[] keys() {
        return itemKeys;
    }

    /** {@code left()[i]} = item i's left child, or -1. */
    public int[] left() {
        return left;
    }

    /** {@code right()[i]} = item i's right child, or -1. */
    public int[] right() {
        return right;
    }

    /** Whether both trees have the same keys per item and the same shape. */
    public boolean sameTree(BinarySearchTree o) {
        return Arrays.equals(itemKeys, o.itemKeys) && Arrays.equals(left, o.left) && Arrays.equals(right, o.right);
    }

    /** The keys in order (an in-order walk, iterative): sorted ascending. O(n). */
    public long[] sortedKeys() {
        int n = itemKeys.length;
        long[] out = new long[n];
        int[] stack = new int[Math.max(1, height())];
        int sp = 0;
        int k = 0;
        int v = root();
        while (v >= 0 || sp > 0) {
            while (v >= 0) {
                stack[sp++] = v;
                v = left[v];
            }
            v = stack[--sp];
            out[k++] = itemKeys[v];
            v = right[v];
        }
        return out;
    }

    /** Number of nodes on the longest root-to-leaf path (0 when empty). O(n). */
    public int height() {
        int n = itemKeys.length;
        if (n == 0) {
            return 0;
        }
        // Parents come before children in item order (a child is inserted after its parent).
        int[] depth = new int[n];
        depth[0] = 1;
        int h = 1;
        for (int v = 0; v < n; v++) {
            int d = depth[v] + 1;
            if (left[v] >= 0) {
                depth[left[v]] = d;
                h = Math.max(h, d);
            }
            if (right[v] >= 0) {
                depth[right[v]] = d;
                h = Math.max(h, d);
            }
        }
        return h;
    }
}
