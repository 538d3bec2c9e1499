package org.scaleml.graph.algo;

/**
 * The answer to one source-target shortest-path query.
 *
 * @param source the source node
 * @param target the target node
 * @param distance the shortest distance, {@link SequentialDijkstra#UNREACHABLE} if the target cannot be
 *     reached
 * @param settled nodes removed from the priority queue before the answer was known (A* counts a node again
 *     if it is expanded again); the usual measure of search effort, for comparing A* with Dijkstra
 */
public record TargetDistance(int source, int target, long distance, long settled) {
}
