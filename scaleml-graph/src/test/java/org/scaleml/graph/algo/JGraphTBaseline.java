package org.scaleml.graph.algo;

import java.util.Arrays;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.DirectedWeightedPseudograph;
import org.jgrapht.graph.WeightedPseudograph;
import org.scaleml.graph.CsrGraph;

/**
 * The JGraphT baseline (test and benchmark scope only; jgrapht-core is not a runtime dependency): converts a
 * {@link CsrGraph} into a JGraphT graph and runs JGraphT's {@link DijkstraShortestPath} single-source.
 *
 * <p>The conversion keeps the graph exactly: vertices are the boxed internal ids {@code 0..n-1}; a directed
 * graph becomes a {@link DirectedWeightedPseudograph} (parallel arcs and loops kept), an undirected one a
 * {@link WeightedPseudograph} with each edge added once. This is the representation a JGraphT user would
 * pick for a road network; building it is O(n + m) but allocation-heavy, so benchmarks time {@link
 * #dijkstra(Graph, int, int)} separately from {@link #toJGraphT(CsrGraph)}.
 */
public final class JGraphTBaseline {
    private JGraphTBaseline() {
    }

    /** @return the graph as JGraphT sees it, same direction, same arcs, weights as doubles */
    public static Graph<Integer, DefaultWeightedEdge> toJGraphT(CsrGraph g) {
        Graph<Integer, DefaultWeightedEdge> jg = g.isDirected()
                ? new DirectedWeightedPseudograph<>(DefaultWeightedEdge.class)
                : new WeightedPseudograph<>(DefaultWeightedEdge.class);
        addVertices(jg, g.nodes());
        boolean undirected = !g.isDirected();
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                if (undirected && v < u) {
                    continue; // the edge was added from its smaller end
                }
                jg.setEdgeWeight(jg.addEdge(u, v), g.weight(e));
            }
        }
        return jg;
    }

    /**
     * @return the undirected view: every arc of a directed graph becomes an edge (an arc and its reverse give
     *     two parallel edges), an undirected graph converts as in {@link #toJGraphT}
     */
    public static Graph<Integer, DefaultWeightedEdge> toUndirectedJGraphT(CsrGraph g) {
        if (!g.isDirected()) {
            return toJGraphT(g);
        }
        Graph<Integer, DefaultWeightedEdge> jg = new WeightedPseudograph<>(DefaultWeightedEdge.class);
        addVertices(jg, g.nodes());
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                jg.setEdgeWeight(jg.addEdge(u, g.target(e)), g.weight(e));
            }
        }
        return jg;
    }

    private static void addVertices(Graph<Integer, DefaultWeightedEdge> jg, int n) {
        for (int v = 0; v < n; v++) {
            jg.addVertex(v);
        }
    }

    /**
     * Runs JGraphT's Dijkstra from {@code source} over the whole graph (its {@code getPaths} settles every
     * reachable vertex eagerly) and returns the distances like {@link SequentialDijkstra#distances}.
     *
     * @param n number of vertices (ids {@code 0..n-1})
     */
    public static long[] dijkstra(Graph<Integer, DefaultWeightedEdge> jg, int source, int n) {
        SingleSourcePaths<Integer, DefaultWeightedEdge> paths = new DijkstraShortestPath<>(jg).getPaths(source);
        return toDistances(paths, n);
    }

    /** Converts and runs: {@code dijkstra(toJGraphT(g), source, g.nodes())}. */
    public static long[] dijkstra(CsrGraph g, int source) {
        return dijkstra(toJGraphT(g), source, g.nodes());
    }

    /** JGraphT's distances as {@code long} ({@link SequentialDijkstra#UNREACHABLE} for infinity). */
    static long[] toDistances(SingleSourcePaths<Integer, DefaultWeightedEdge> paths, int n) {
        long[] dist = new long[n];
        Arrays.fill(dist, SequentialDijkstra.UNREACHABLE);
        for (int v = 0; v < n; v++) {
            double d = paths.getWeight(v);
            if (d != Double.POSITIVE_INFINITY) {
                dist[v] = (long) d; // integer sums below 2^53 are exact in double
            }
        }
        return dist;
    }
}
