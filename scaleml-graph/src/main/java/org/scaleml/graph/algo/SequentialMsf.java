package org.scaleml.graph.algo;

import java.util.Arrays;
import org.scaleml.graph.CsrGraph;

/**
 * Sequential minimum spanning forest of the undirected view (Kruskal [1]), the exact reference for the
 * parallel spanning forest.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> any graph; a directed graph is read as undirected (each arc {@code u -> v} is an edge
 *       {u, v}), so a road network's arc and reverse arc are the same edge and parallel arcs compete (the
 *       lightest wins). Self loops are ignored. Any {@code int} weights, negative included; unweighted
 *       graphs have weight 1, giving a spanning forest of {@code n - components} edges.</li>
 *   <li><b>Output:</b> {@link SpanningForest}: total weight (as {@code long}), edge count and the chosen arcs.
 *       Among equal weights, arcs with the smaller index are preferred.</li>
 *   <li><b>Cost:</b> O(m log m) time for the sort; 12 bytes per candidate arc (a {@code long} sort key and the
 *       arc's source) plus {@code int[n]} for the union-find. Stateless and thread-safe.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * Sort the candidate edges by {@code (weight, arc index)}, one {@code long} key each ({@code weight << 32 |
 * arc}, arc indices being below 2<sup>31</sup>; the signed weight in the high half keeps negative weights in
 * order), then scan them, keeping an edge whenever its endpoints are still in different union-find sets (cut
 * property). Candidates: for an undirected graph the arcs {@code u -> v} with {@code u < v} (each edge once),
 * for a directed graph every non-loop arc. The scan stops once {@code n - 1} edges are chosen.
 *
 * <p>[1] J. B. Kruskal, On the shortest spanning subtree of a graph and the traveling salesman problem, Proc.
 * AMS, 1956.
 */
public final class SequentialMsf {
    private SequentialMsf() {
    }

    /** @return a minimum spanning forest of {@code g}'s undirected view */
    public static SpanningForest run(CsrGraph g) {
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] w = g.hasWeights() ? g.weights() : null;
        boolean undirected = !g.isDirected();
        int m = tgt.length;
        int[] source = new int[m];
        long[] keys = new long[m];
        int count = 0;
        for (int u = 0; u < n; u++) {
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                source[e] = u;
                int v = tgt[e];
                if (v == u || (undirected && v < u)) {
                    continue;
                }
                keys[count++] = ((long) (w == null ? 1 : w[e]) << 32) | e;
            }
        }
        Arrays.sort(keys, 0, count);
        UnionFind uf = new UnionFind(n);
        int[] chosen = new int[Math.max(0, n - 1)];
        int edges = 0;
        long total = 0;
        for (int i = 0; i < count && edges < n - 1; i++) {
            int e = (int) keys[i]; // low 32 bits: the arc index
            if (uf.union(source[e], tgt[e])) {
                chosen[edges++] = e;
                total += (int) (keys[i] >> 32);
            }
        }
        return new SpanningForest(total, edges, Arrays.copyOf(chosen, edges));
    }
}
