package org.scaleml.cli.bench;

import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.DirectedWeightedPseudograph;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.algo.DistanceChecksum;

/**
 * The JGraphT baseline of {@code bench graph --algo sssp}: JGraphT's {@link DijkstraShortestPath} (a pairing-heap
 * Dijkstra with decrease-key) on the graph converted once to a {@link DirectedWeightedPseudograph} with boxed
 * {@code Integer} vertices, the way a JGraphT user would hold it. A pseudograph keeps self loops and parallel arcs,
 * so the converted graph has exactly the CSR graph's arcs (an undirected CSR graph stores both arcs of each edge,
 * which a directed JGraphT graph represents faithfully for shortest paths).
 *
 * <p>Conversion costs O(n + m) time and several object headers per arc (hundreds of bytes per arc in total): it is
 * meant for graphs up to a few million arcs. Not thread-safe; one instance per graph.
 */
final class JGraphTDijkstra {
    private final Graph<Integer, DefaultWeightedEdge> graph;
    private final int n;

    private JGraphTDijkstra(Graph<Integer, DefaultWeightedEdge> graph, int n) {
        this.graph = graph;
        this.n = n;
    }

    /** Converts {@code g} (O(n + m)); weight 1 per arc if it is unweighted. */
    static JGraphTDijkstra convert(CsrGraph g) {
        DirectedWeightedPseudograph<Integer, DefaultWeightedEdge> jg = new DirectedWeightedPseudograph<>(
                DefaultWeightedEdge.class);
        int n = g.nodes();
        Integer[] vertex = new Integer[n];
        for (int v = 0; v < n; v++) {
            vertex[v] = v;
            jg.addVertex(vertex[v]);
        }
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] w = g.hasWeights() ? g.weights() : null;
        for (int u = 0; u < n; u++) {
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                DefaultWeightedEdge edge = jg.addEdge(vertex[u], vertex[tgt[e]]);
                jg.setEdgeWeight(edge, w == null ? 1.0 : w[e]);
            }
        }
        return new JGraphTDijkstra(jg, n);
    }

    /** Runs Dijkstra from {@code source} to every node (the timed part). */
    SingleSourcePaths<Integer, DefaultWeightedEdge> run(int source) {
        return new DijkstraShortestPath<>(graph).getPaths(source);
    }

    /** The checksum of the distances found (sum of the finite ones, their count). */
    DistanceChecksum checksum(SingleSourcePaths<Integer, DefaultWeightedEdge> paths) {
        long sum = 0;
        int reachable = 0;
        for (int v = 0; v < n; v++) {
            double d = paths.getWeight(v);
            if (d != Double.POSITIVE_INFINITY) {
                sum += (long) d; // weights are ints and sums stay far below 2^53 on real graphs
                reachable++;
            }
        }
        return new DistanceChecksum(sum, reachable);
    }
}
