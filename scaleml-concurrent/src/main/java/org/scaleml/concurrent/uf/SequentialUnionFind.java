package org.scaleml.concurrent.uf;

import java.util.Objects;

/**
 * The sequential reference ({@code uf-seq}): union by size, full path compression. Not thread-safe; the
 * baseline every concurrent variant is measured against and the model the tests compare with.
 */
final class SequentialUnionFind implements ConcurrentUnionFind {
    /*
     * Textbook disjoint-set forest (Tarjan 1975): parent[x] == x marks a root, setSize[root] counts its set. A union
     * hangs the smaller tree under the larger (ties: the second root under the first), so trees have depth at most
     * log2 n; find makes a second pass that points every node on the path straight at the root.
     */
    private final int[] parent;
    private final int[] setSize;

    SequentialUnionFind(int n) {
        parent = new int[n];
        setSize = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            setSize[i] = 1;
        }
    }

    @Override
    public int size() {
        return parent.length;
    }

    @Override
    public int find(int x) {
        Objects.checkIndex(x, parent.length);
        int root = x;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[x] != root) {
            int next = parent[x];
            parent[x] = root;
            x = next;
        }
        return root;
    }

    @Override
    public boolean union(int x, int y) {
        int rx = find(x);
        int ry = find(y);
        if (rx == ry) {
            return false;
        }
        if (setSize[rx] < setSize[ry]) {
            int t = rx;
            rx = ry;
            ry = t;
        }
        parent[ry] = rx;
        setSize[rx] += setSize[ry];
        return true;
    }

    @Override
    public boolean sameSet(int x, int y) {
        return find(x) == find(y);
    }

    @Override
    public String toString() {
        return "uf-seq(n=" + parent.length + ")";
    }
}
