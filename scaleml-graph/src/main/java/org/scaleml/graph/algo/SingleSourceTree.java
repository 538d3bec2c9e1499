package org.scaleml.graph.algo;

/**
 * What {@link ShortestPaths} and {@link BfsTree} share: a search from one source, its tree of parents and the
 * paths read off it (in the manner of JGraphT's {@code SingleSourcePaths}), and the checksum of its distances
 * or levels.
 *
 * <p>Parents come either from the algorithm (Dijkstra records them) or are derived from the final distances or
 * levels on the first call of {@link #parents()} or {@link #pathTo(int)}, in O(n + m), and cached. The cache
 * and the checksum are published through volatile fields, so an instance may be shared between threads once
 * constructed (two threads asking at once may both compute them, with equal results). Arrays returned are the
 * internal ones: the caller owns them and must not change them if it still wants paths.
 */
public abstract sealed class SingleSourceTree permits ShortestPaths, BfsTree {
    private final int source;
    private volatile int[] parents;
    private volatile DistanceChecksum checksum;

    SingleSourceTree(int source, int[] parents, DistanceChecksum checksum) {
        this.source = source;
        this.parents = parents;
        this.checksum = checksum;
    }

    /** @return the source node */
    public final int source() {
        return source;
    }

    /**
     * @return the parent of each node in the tree, {@code -1} for the source and for nodes not reached (the
     *     internal array; O(n + m) on the first call if it has to be derived)
     */
    public final int[] parents() {
        int[] p = parents;
        if (p == null) {
            p = deriveParents();
            parents = p;
        }
        return p;
    }

    /** @return the checksum of the distances or levels (their sum and how many are finite); O(n) once */
    public final DistanceChecksum checksum() {
        DistanceChecksum c = checksum;
        if (c == null) {
            c = computeChecksum();
            checksum = c;
        }
        return c;
    }

    /** @return the number of nodes reached, the source included */
    public final int reachable() {
        return checksum().reachable();
    }

    /**
     * @return true if {@code v} is reached from the source
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public final boolean hasPathTo(int v) {
        ParentTrees.checkNode(nodes(), v);
        return reached(v);
    }

    /**
     * A path from the source to {@code v} in the tree: its nodes in order, the source first and {@code v} last
     * ({@code {source}} for the source itself). It is a shortest path: its weight (for BFS, its number of
     * arcs) is the distance (level) of {@code v}.
     *
     * @return a new array, empty if {@code v} is not reached; O(path length) once the parents exist
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public final int[] pathTo(int v) {
        return ParentTrees.path(parents(), source, v, hasPathTo(v));
    }

    /** @return the number of nodes of the graph */
    abstract int nodes();

    /** @return true if node {@code v} (in range) is reached */
    abstract boolean reached(int v);

    /** @return the parents, derived from the graph and the final distances or levels */
    abstract int[] deriveParents();

    abstract DistanceChecksum computeChecksum();
}
