package org.scaleml.graph.algo;

/**
 * A minimum spanning forest of a graph's undirected view.
 *
 * @param totalWeight sum of the weights of the forest's edges (unique among all minimum spanning forests)
 * @param edgeCount number of edges, {@code n - components} (unique)
 * @param arcs the arc index (into {@code CsrGraph.targets()}) of each chosen edge, in the order chosen. The
 *     set depends on how equal weights are ordered; it is the same for every algorithm only when weights are
 *     distinct, so parallel versions are compared on weight and count.
 */
public record SpanningForest(long totalWeight, int edgeCount, int[] arcs) {
}
