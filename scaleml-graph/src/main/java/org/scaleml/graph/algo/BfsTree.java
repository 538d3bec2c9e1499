package org.scaleml.graph.algo;

import java.util.Objects;

import org.scaleml.graph.CsrGraph;

/**
 * Breadth-first search from one source: hop levels and a BFS tree, from {@link SequentialBfs} and from {@link
 * ParallelBfs} alike.
 *
 * <pre>{@code
 * BfsTree t = SequentialBfs.tree(g, s);   // or ParallelBfs.run(g, s, scheduler).result()
 * t.levelOf(v);   // hops from s, SequentialBfs.UNREACHED (-1) if v is not reached
 * t.pathTo(v);    // {s, ..., v} with levelOf(v) arcs, or an empty array
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Levels</b> are exact and identical for every algorithm (out-arcs followed, weights ignored); compare
 *       them with {@link java.util.Arrays#equals(int[], int[])} on {@link #levels()}.</li>
 *   <li><b>Parents</b> are derived on first use, in one O(n + m) pass over the arcs (a parent of v is an
 *       in-neighbour one level up; the first one found is kept), then cached; the searches themselves compute
 *       only levels. The parents are the same whichever algorithm produced the levels.</li>
 *   <li><b>Thread safety:</b> as {@link ShortestPaths}: shareable, parents published through a volatile field;
 *       the returned arrays are the internal ones, owned by the caller, not to be changed.</li>
 * </ul>
 */
public final class BfsTree {
    private final int source;
    private final int[] levels;
    private final CsrGraph graph;
    private volatile int[] parents;
    private volatile DistanceChecksum checksum;

    private BfsTree(CsrGraph graph, int source, int[] levels, DistanceChecksum checksum) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.source = source;
        this.levels = Objects.requireNonNull(levels, "levels");
        this.checksum = checksum;
    }

    /**
     * @param levels   exact hop levels from {@code source} on {@code g}
     * @param checksum their checksum if already known, else null (computed on first use)
     */
    static BfsTree of(CsrGraph g, int source, int[] levels, DistanceChecksum checksum) {
        return new BfsTree(g, source, levels, checksum);
    }

    /** @return the source node */
    public int source() {
        return source;
    }

    /** @return hop level per node, {@link SequentialBfs#UNREACHED} if not reached (the internal array) */
    public int[] levels() {
        return levels;
    }

    /**
     * @return the parent of each node in the BFS tree, {@code -1} for the source and unreached nodes (the
     *     internal array; O(n + m) on the first call)
     */
    public int[] parents() {
        int[] p = parents;
        if (p == null) {
            p = ParentTrees.fromLevels(graph, source, levels);
            parents = p;
        }
        return p;
    }

    /** @return the checksum of the levels (sum of the levels reached, reached count); O(n) once */
    public DistanceChecksum checksum() {
        DistanceChecksum c = checksum;
        if (c == null) {
            c = DistanceChecksum.ofLevels(levels);
            checksum = c;
        }
        return c;
    }

    /** @return the number of nodes reached, the source included */
    public int reachable() {
        return checksum().reachable();
    }

    /**
     * @return the hop level of {@code v}, {@link SequentialBfs#UNREACHED} if not reached
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public int levelOf(int v) {
        ParentTrees.checkNode(levels.length, v);
        return levels[v];
    }

    /**
     * @return true if {@code v} is reached from the source
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public boolean hasPathTo(int v) {
        return levelOf(v) >= 0;
    }

    /**
     * A path with the fewest arcs from the source to {@code v}: its nodes in order, the source first, {@code
     * levelOf(v) + 1} of them.
     *
     * @return a new array, empty if {@code v} is not reached; O(path length) after the parents exist
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public int[] pathTo(int v) {
        return ParentTrees.path(parents(), source, v, hasPathTo(v));
    }

    @Override
    public String toString() {
        DistanceChecksum c = checksum();
        return "BfsTree[source=" + source + ", reachable=" + c.reachable() + ", sum=" + c.sum() + "]";
    }
}
