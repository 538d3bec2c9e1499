package org.scaleml.graph.algo;

import org.scaleml.graph.CsrGraph;

/**
 * Sequential connected components of the undirected view (for a directed graph: weakly connected
 * components), the exact reference for the parallel version.
 *
 * <p>Contract: returns labels equal to the smallest node id of each component and the component count (see
 * {@link Components}); self loops are ignored. Time O(m log<sub>(1 + m/n)</sub> n) worst case, near O(n + m)
 * on real graphs; memory one {@code int[n]}, which becomes the returned labels; no transpose is built.
 * Stateless and thread-safe.
 *
 * <p>Algorithm: union-find over the arcs ({@link UnionFind}: link the larger root under the smaller, path
 * halving), then one pass that points every node at its root. Because roots are always the smallest element
 * of their set, the labels need no renumbering. For an undirected graph only the arcs {@code u -> v} with
 * {@code v < u} are visited, since each edge is stored in both directions.
 */
public final class SequentialComponents {
    private SequentialComponents() {
    }

    /** @return the components of {@code g}'s undirected view */
    public static Components run(CsrGraph g) {
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        boolean both = !g.isDirected();
        UnionFind uf = new UnionFind(n);
        for (int u = 0; u < n; u++) {
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                int v = tgt[e];
                if (v == u || (both && v > u)) {
                    continue;
                }
                uf.union(u, v);
            }
        }
        int[] labels = uf.labels();
        int count = 0;
        for (int v = 0; v < n; v++) {
            if (labels[v] == v) {
                count++;
            }
        }
        return new Components(labels, count);
    }
}
