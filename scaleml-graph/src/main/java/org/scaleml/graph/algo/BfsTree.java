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
 *   <li><b>Thread safety:</b> as {@link SingleSourceTree}: shareable once constructed; the returned arrays
 *       are the internal ones, owned by the caller.</li>
 * </ul>
 */
public final class BfsTree extends SingleSourceTree {
    private final int[] levels;
    private final CsrGraph graph;

    private BfsTree(CsrGraph graph, int source, int[] levels, DistanceChecksum checksum) {
        super(source, null, checksum);
        this.graph = Objects.requireNonNull(graph, "graph");
        this.levels = Objects.requireNonNull(levels, "levels");
    }

    /**
     * @param levels   exact hop levels from {@code source} on {@code g}
     * @param checksum their checksum if already known, else null (computed on first use)
     */
    static BfsTree of(CsrGraph g, int source, int[] levels, DistanceChecksum checksum) {
        return new BfsTree(g, source, levels, checksum);
    }

    /** @return hop level per node, {@link SequentialBfs#UNREACHED} if not reached (the internal array) */
    public int[] levels() {
        return levels;
    }

    /**
     * @return the hop level of {@code v}, {@link SequentialBfs#UNREACHED} if not reached
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public int levelOf(int v) {
        ParentTrees.checkNode(levels.length, v);
        return levels[v];
    }

    @Override
    int nodes() {
        return levels.length;
    }

    @Override
    boolean reached(int v) {
        return levels[v] >= 0;
    }

    @Override
    int[] deriveParents() {
        return ParentTrees.fromLevels(graph, source(), levels);
    }

    @Override
    DistanceChecksum computeChecksum() {
        return DistanceChecksum.ofLevels(levels);
    }

    @Override
    public String toString() {
        DistanceChecksum c = checksum();
        return "BfsTree[source=" + source() + ", reachable=" + c.reachable() + ", sum=" + c.sum() + "]";
    }
}
