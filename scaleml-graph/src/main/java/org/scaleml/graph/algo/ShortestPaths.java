package org.scaleml.graph.algo;

/**
 * Single-source shortest paths: distances and a shortest-path tree.
 *
 * @param source the source node
 * @param dist distance per node, {@link SequentialDijkstra#UNREACHABLE} if unreachable; {@code dist[source]
 *     == 0}
 * @param parents predecessor of each node on one shortest path from the source ({@code -1} for the source
 *     and for unreachable nodes). Where shortest paths tie, which predecessor is kept depends on the
 *     algorithm and schedule, so parents are not compared across implementations; distances are.
 * @param settled number of nodes removed from the priority queue (for Dijkstra, the reachable nodes; an
 *     early exit stops sooner); a measure of work
 */
public record ShortestPaths(int source, long[] dist, int[] parents, long settled) {
    /** @return the checksum of {@link #dist()} (sum of finite distances, reachable count) */
    public DistanceChecksum checksum() {
        return DistanceChecksum.of(dist);
    }
}
