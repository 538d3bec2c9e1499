package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphGenerators;

/**
 * Deliberately simple, independent implementations and result certificates for the tests: slow but obviously
 * right, sharing no code with the algorithms under test.
 */
final class References {
    private References() {
    }

    /** Bellman-Ford with early stop: O(n m); for small graphs. */
    static long[] bellmanFord(CsrGraph g, int s) {
        int n = g.nodes();
        long[] d = new long[n];
        Arrays.fill(d, Long.MAX_VALUE);
        d[s] = 0;
        for (int round = 0; round < n; round++) {
            boolean changed = false;
            for (int u = 0; u < n; u++) {
                if (d[u] == Long.MAX_VALUE) {
                    continue;
                }
                for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                    int v = g.target(e);
                    if (d[u] + g.weight(e) < d[v]) {
                        d[v] = d[u] + g.weight(e);
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return d;
    }

    /**
     * Checks that {@code dist} are exact shortest distances from {@code s} with a certificate: dist[s] == 0,
     * no arc can be relaxed, and every other reached node has a parent arc that is tight. With positive
     * weights this proves optimality (tight parent chains strictly decrease and end at s).
     */
    static void assertShortestPathCertificate(CsrGraph g, int s, long[] dist, int[] parents) {
        assertThat(dist[s]).isZero();
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                if (dist[u] != Long.MAX_VALUE) {
                    assertThat(dist[v]).as("arc %d->%d relaxable", u, v).isLessThanOrEqualTo(dist[u] + g.weight(e));
                }
            }
        }
        for (int v = 0; v < g.nodes(); v++) {
            if (v == s || dist[v] == Long.MAX_VALUE) {
                assertThat(parents[v]).isEqualTo(-1);
                continue;
            }
            int p = parents[v];
            assertThat(p).isNotNegative();
            boolean tight = false;
            for (long e = g.firstArc(p); e < g.endArc(p); e++) {
                if (g.target(e) == v && dist[p] + g.weight(e) == dist[v]) {
                    tight = true;
                    break;
                }
            }
            assertThat(tight).as("parent arc of %d is tight", v).isTrue();
        }
    }

    /**
     * Checks BFS levels by a local certificate: level[s] = 0, every arc from a reached node reaches a node at
     * most one level deeper, and every other reached node has an in-arc from the level above.
     */
    static void assertBfsCertificate(CsrGraph g, int s, int[] level) {
        assertThat(level[s]).isZero();
        boolean[] supported = new boolean[g.nodes()];
        supported[s] = true;
        for (int u = 0; u < g.nodes(); u++) {
            if (level[u] < 0) {
                continue;
            }
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                assertThat(level[v]).as("level of %d via %d", v, u).isBetween(0, level[u] + 1);
                if (level[v] == level[u] + 1) {
                    supported[v] = true;
                }
            }
        }
        for (int v = 0; v < g.nodes(); v++) {
            if (level[v] >= 0) {
                assertThat(supported[v]).as("node %d at level %d has a parent", v, level[v]).isTrue();
            }
        }
    }

    /** Undirected neighbour sets without self loops. */
    static List<Set<Integer>> undirectedNeighbours(CsrGraph g) {
        List<Set<Integer>> nb = new ArrayList<>();
        for (int v = 0; v < g.nodes(); v++) {
            nb.add(new HashSet<>());
        }
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                if (u != v) {
                    nb.get(u).add(v);
                    nb.get(v).add(u);
                }
            }
        }
        return nb;
    }

    /** Greedy MIS straight from the definition: nodes sorted by priority with a comparator, boxed. */
    static boolean[] naiveGreedyMis(CsrGraph g, long seed) {
        List<Set<Integer>> nb = undirectedNeighbours(g);
        List<Integer> nodes = new ArrayList<>();
        for (int v = 0; v < g.nodes(); v++) {
            nodes.add(v);
        }
        nodes.sort(Comparator.comparingLong(v -> GreedyOrder.nodePriority(v, seed)));
        boolean[] in = new boolean[g.nodes()];
        for (int v : nodes) {
            if (nb.get(v).stream().noneMatch(u -> in[u])) {
                in[v] = true;
            }
        }
        return in;
    }

    /** Greedy matching straight from the definition: distinct pairs sorted by priority, boxed. */
    static int[] naiveGreedyMatching(CsrGraph g, long seed) {
        List<Set<Integer>> nb = undirectedNeighbours(g);
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < g.nodes(); u++) {
            for (int v : nb.get(u)) {
                if (u < v) {
                    pairs.add(new int[] {u, v});
                }
            }
        }
        pairs.sort(Comparator.comparingLong(p -> GreedyOrder.edgePriority(p[0], p[1], seed)));
        int[] mate = new int[g.nodes()];
        Arrays.fill(mate, -1);
        for (int[] p : pairs) {
            if (mate[p[0]] < 0 && mate[p[1]] < 0) {
                mate[p[0]] = p[1];
                mate[p[1]] = p[0];
            }
        }
        return mate;
    }

    /**
     * Minimum spanning forest weight of the undirected view by lazy Prim on java.util.PriorityQueue, restarted
     * from every unvisited node; arcs are followed both ways (out-arcs of g and of its transpose).
     */
    static long primWeight(CsrGraph g) {
        CsrGraph t = g.transpose();
        boolean[] in = new boolean[g.nodes()];
        long total = 0;
        java.util.PriorityQueue<long[]> pq = new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int root = 0; root < g.nodes(); root++) {
            if (in[root]) {
                continue;
            }
            pq.add(new long[] {0, root});
            boolean first = true;
            while (!pq.isEmpty()) {
                long[] top = pq.poll();
                int u = (int) top[1];
                if (in[u]) {
                    continue;
                }
                in[u] = true;
                total += first ? 0 : top[0];
                first = false;
                for (CsrGraph h : new CsrGraph[] {g, t}) {
                    for (long e = h.firstArc(u); e < h.endArc(u); e++) {
                        if (!in[h.target(e)]) {
                            pq.add(new long[] {h.weight(e), h.target(e)});
                        }
                    }
                }
            }
        }
        return total;
    }

    /** The generated graphs every algorithm is cross-checked on (small enough for the slow references). */
    static List<CsrGraph> generated() {
        return List.of(
                GraphGenerators.grid(30, 40, 100, 1),
                GraphGenerators.grid(1, 50, 7, 2),
                GraphGenerators.rmat(10, 8, 3), // directed, unweighted, loops and parallel arcs
                GraphGenerators.rmat(10, 4, 0.57, 0.19, 0.19, false, 1000, false, 4), // undirected multigraph
                GraphGenerators.rmat(9, 6, 0.45, 0.22, 0.22, true, 50, true, 5), // directed simple, weighted
                GraphGenerators.randomGeometric(2000, GraphGenerators.radiusForAverageDegree(2000, 6), 6),
                GraphGenerators.randomGeometric(1500, GraphGenerators.radiusForAverageDegree(1500, 1.5), 7));
    }
}
