package org.scaleml.graph.algo;

/**
 * The answer to one source-target shortest-path query, from {@link SequentialDijkstra#distance}, {@link
 * SequentialAStar#query} and {@link ParallelAStar} alike. It carries no path (no parents are kept).
 *
 * @param source the source node
 * @param target the target node
 * @param distance the shortest distance, {@link SequentialDijkstra#UNREACHABLE} if the target cannot be
 *     reached
 * @param settled nodes removed from the priority queue before the answer was known (A* counts a node again
 *     if it is expanded again); the usual measure of search effort, for comparing A* with Dijkstra. From
 *     {@link ParallelAStar}: its expansions (re-expansions counted, the target not), its distinct nodes and
 *     pruned tasks being counters of its {@link Run}.
 */
public record TargetDistance(int source, int target, long distance, long settled) {
}
