package org.scaleml.graph.algo;

import java.util.Arrays;
import org.scaleml.graph.CsrGraph;

/**
 * Sequential greedy maximal matching in the fixed random edge order of {@link GreedyOrder}: the exact
 * result the relaxed parallel version must reproduce.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Result:</b> the lexicographically first maximal matching of the undirected view with respect to
 *       {@link GreedyOrder#edgePriority(int, int, long)}: an edge {u, v} is matched if and only if no edge of
 *       smaller priority sharing u or v is matched. Unique for a given graph and seed. Self loops are
 *       ignored; parallel arcs and the two arcs of an undirected edge are the same pair.</li>
 *   <li><b>Cost:</b> O(m log m) time for sorting the edge priorities; a {@code long} per candidate arc and the
 *       {@code int[n]} result. Stateless and thread-safe.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * Collect the priority of every candidate edge (arcs {@code u -> v} with {@code u < v} of an undirected
 * graph, every non-loop arc of a directed one), sort the priorities as plain {@code long}s, and recover each
 * pair with {@link GreedyOrder#edgeOf}; match a pair when both ends are free. A pair seen twice (reverse or
 * parallel arcs) is simply rejected the second time. Greedy matching in a random order is shallow and
 * parallelizes exactly on relaxed schedulers like greedy MIS (Blelloch, Fineman and Shun, SPAA 2012;
 * Alistarh et al., PODC 2018).
 */
public final class SequentialGreedyMatching {
    private SequentialGreedyMatching() {
    }

    /** @return the greedy maximal matching of {@code g}'s undirected view in the order of {@code seed} */
    public static Matching run(CsrGraph g, long seed) {
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        boolean undirected = !g.isDirected();
        long[] keys = new long[tgt.length];
        int count = 0;
        for (int u = 0; u < n; u++) {
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                int v = tgt[e];
                if (v == u || (undirected && v < u)) {
                    continue;
                }
                keys[count++] = GreedyOrder.edgePriority(u, v, seed);
            }
        }
        Arrays.sort(keys, 0, count);
        int[] mate = new int[n];
        Arrays.fill(mate, -1);
        int size = 0;
        for (int i = 0; i < count; i++) {
            long pair = GreedyOrder.edgeOf(keys[i], seed);
            int a = (int) (pair >>> 32);
            int b = (int) pair;
            if (mate[a] < 0 && mate[b] < 0) {
                mate[a] = b;
                mate[b] = a;
                size++;
            }
        }
        return new Matching(mate, size);
    }
}
