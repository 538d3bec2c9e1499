package org.scaleml.graph.algo;

import java.util.Objects;

import org.scaleml.graph.CsrGraph;

/**
 * Single-source shortest paths: distances and a shortest-path tree, from {@link SequentialDijkstra} and from
 * {@link ParallelSssp} alike (in the style of JGraphT's {@code SingleSourcePaths}).
 *
 * <pre>{@code
 * ShortestPaths p = SequentialDijkstra.shortestPaths(g, s);   // or ParallelSssp.run(g, s, scheduler).result()
 * p.distanceTo(t);   // SequentialDijkstra.UNREACHABLE if t cannot be reached
 * p.pathTo(t);       // {s, ..., t}, or an empty array
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Distances</b> are exact and identical for every algorithm; compare them with {@link
 *       java.util.Arrays#equals(long[], long[])} on {@link #dist()}.</li>
 *   <li><b>Parents</b> describe one shortest path per node. Where shortest paths tie, which predecessor is
 *       kept depends on the algorithm, so parents are not compared across implementations. Dijkstra records
 *       them while it runs; the parallel SSSP computes only distances and its parents are derived on first
 *       use, in O(n + m), from the graph and the final distances (see {@code ParentTrees}), then cached.</li>
 *   <li><b>Thread safety:</b> as {@link SingleSourceTree}: shareable once constructed; the returned arrays
 *       are the internal ones, owned by the caller.</li>
 * </ul>
 */
public final class ShortestPaths extends SingleSourceTree {
    private final long[] dist;
    private final long settled;
    /** The graph the distances belong to, to derive the parents; null when they were given. */
    private final CsrGraph graph;

    /**
     * Distances with their shortest-path tree.
     *
     * @param source  the source node
     * @param dist    distance per node, {@link SequentialDijkstra#UNREACHABLE} if unreachable; {@code
     *                dist[source] == 0}
     * @param parents predecessor of each node on one shortest path from the source ({@code -1} for the source
     *                and for unreachable nodes)
     * @param settled the work measure of {@link #settled()}
     */
    public ShortestPaths(int source, long[] dist, int[] parents, long settled) {
        this(source, dist, Objects.requireNonNull(parents, "parents"), settled, null, null);
    }

    private ShortestPaths(int source, long[] dist, int[] parents, long settled, CsrGraph graph,
                          DistanceChecksum checksum) {
        super(source, parents, checksum);
        this.dist = Objects.requireNonNull(dist, "dist");
        this.settled = settled;
        this.graph = graph;
    }

    /**
     * Exact distances from {@code source} on {@code g} whose parents are derived from them on first use.
     *
     * @param checksum the distances' checksum if already known, else null (computed on first use)
     */
    static ShortestPaths withDerivedParents(CsrGraph g, int source, long[] dist, long settled,
                                            DistanceChecksum checksum) {
        return new ShortestPaths(source, dist, null, settled, Objects.requireNonNull(g, "graph"), checksum);
    }

    /** @return distance per node, {@link SequentialDijkstra#UNREACHABLE} if unreachable (the internal array) */
    public long[] dist() {
        return dist;
    }

    /**
     * @return nodes settled: for Dijkstra the nodes removed from its priority queue (the reachable nodes; an
     *     early exit stops sooner), for the parallel SSSP its useful tasks (reachable nodes plus
     *     re-settlements); a measure of work
     */
    public long settled() {
        return settled;
    }

    /**
     * @return the shortest distance from the source to {@code v}, {@link SequentialDijkstra#UNREACHABLE} if none
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public long distanceTo(int v) {
        ParentTrees.checkNode(dist.length, v);
        return dist[v];
    }

    @Override
    int nodes() {
        return dist.length;
    }

    @Override
    boolean reached(int v) {
        return dist[v] != SequentialDijkstra.UNREACHABLE;
    }

    @Override
    int[] deriveParents() {
        return ParentTrees.fromDistances(graph, source(), dist);
    }

    @Override
    DistanceChecksum computeChecksum() {
        return DistanceChecksum.of(dist);
    }

    @Override
    public String toString() {
        DistanceChecksum c = checksum();
        return "ShortestPaths[source=" + source() + ", reachable=" + c.reachable() + ", sum=" + c.sum()
                + ", settled=" + settled + "]";
    }
}
