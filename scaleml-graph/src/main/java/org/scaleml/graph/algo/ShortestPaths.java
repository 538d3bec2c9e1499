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
 *   <li><b>Thread safety:</b> safe to share once constructed: the lazily derived parents are published
 *       through a volatile field (two threads asking at once may both derive them, with equal results). The
 *       arrays returned by {@link #dist()} and {@link #parents()} are the internal ones: the caller owns them
 *       and must not change them if it still wants paths.</li>
 * </ul>
 */
public final class ShortestPaths {
    private final int source;
    private final long[] dist;
    private final long settled;
    /** The graph the distances belong to, needed only while the parents are not derived yet; else null. */
    private final CsrGraph graph;
    private volatile int[] parents;
    private volatile DistanceChecksum checksum;

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
        this.source = source;
        this.dist = Objects.requireNonNull(dist, "dist");
        this.parents = parents;
        this.settled = settled;
        this.graph = graph;
        this.checksum = checksum;
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

    /** @return the source node */
    public int source() {
        return source;
    }

    /** @return distance per node, {@link SequentialDijkstra#UNREACHABLE} if unreachable (the internal array) */
    public long[] dist() {
        return dist;
    }

    /**
     * @return predecessor of each node on one shortest path from the source, {@code -1} for the source and for
     *     unreachable nodes (the internal array; O(n + m) on the first call if it has to be derived)
     */
    public int[] parents() {
        int[] p = parents;
        if (p == null) {
            p = ParentTrees.fromDistances(graph, source, dist);
            parents = p;
        }
        return p;
    }

    /**
     * @return nodes settled: for Dijkstra the nodes removed from its priority queue (the reachable nodes; an
     *     early exit stops sooner), for the parallel SSSP its useful tasks (reachable nodes plus
     *     re-settlements); a measure of work
     */
    public long settled() {
        return settled;
    }

    /** @return the checksum of {@link #dist()} (sum of finite distances, reachable count); O(n) once */
    public DistanceChecksum checksum() {
        DistanceChecksum c = checksum;
        if (c == null) {
            c = DistanceChecksum.of(dist);
            checksum = c;
        }
        return c;
    }

    /** @return the number of reachable nodes, the source included */
    public int reachable() {
        return checksum().reachable();
    }

    /**
     * @return the shortest distance from the source to {@code v}, {@link SequentialDijkstra#UNREACHABLE} if none
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public long distanceTo(int v) {
        ParentTrees.checkNode(dist.length, v);
        return dist[v];
    }

    /**
     * @return true if {@code v} can be reached from the source
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public boolean hasPathTo(int v) {
        return distanceTo(v) != SequentialDijkstra.UNREACHABLE;
    }

    /**
     * A shortest path from the source to {@code v}: its nodes in order, the source first and {@code v} last
     * ({@code {source}} for the source itself); its weight is {@link #distanceTo(int) distanceTo(v)}.
     *
     * @return a new array, empty if {@code v} cannot be reached; O(path length) after the parents exist
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    public int[] pathTo(int v) {
        return ParentTrees.path(parents(), source, v, hasPathTo(v));
    }

    @Override
    public String toString() {
        DistanceChecksum c = checksum();
        return "ShortestPaths[source=" + source + ", reachable=" + c.reachable() + ", sum=" + c.sum()
                + ", settled=" + settled + "]";
    }
}
