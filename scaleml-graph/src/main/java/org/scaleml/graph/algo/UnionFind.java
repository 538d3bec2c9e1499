package org.scaleml.graph.algo;

/**
 * Disjoint sets over {@code 0..n-1} in one {@code int[]}, for the sequential components and Kruskal.
 *
 * <p>Linking puts the root with the larger id under the one with the smaller id, so every root is the
 * smallest element of its set and component labels come out as "smallest id" with no extra pass; finds use
 * path halving [1]. With linking by index instead of by rank the amortized bound is O(log<sub>(1 + m/n)</sub>
 * n) per operation rather than the inverse Ackermann function [1]; in practice (road and social graphs) the
 * trees stay nearly flat, and one array instead of two keeps it cache-friendly. Not thread-safe.
 *
 * <p>[1] R. E. Tarjan and J. van Leeuwen, Worst-case analysis of set union algorithms, JACM, 1984.
 */
final class UnionFind {
    private final int[] parent;

    UnionFind(int n) {
        parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
    }

    /** @return the root of {@code x}'s set, which is its smallest element */
    int find(int x) {
        int[] p = parent;
        while (p[x] != x) {
            int gp = p[p[x]];
            p[x] = gp;
            x = gp;
        }
        return x;
    }

    /** Merges the sets of {@code a} and {@code b}; @return true if they were different sets */
    boolean union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return false;
        }
        if (ra < rb) {
            parent[rb] = ra;
        } else {
            parent[ra] = rb;
        }
        return true;
    }

    /**
     * Compresses every path fully and hands over the array, which then maps each element to the smallest
     * element of its set. The structure must not be used afterwards.
     */
    int[] labels() {
        int[] p = parent;
        // Increasing order: p[x] < x or p[x] == x, and p[p[x]] is final by the time x is reached.
        for (int x = 0; x < p.length; x++) {
            p[x] = p[p[x]];
        }
        return p;
    }
}
