package org.scaleml.graph.algo;

import java.util.Arrays;

import org.scaleml.graph.CsrGraph;

/**
 * Shortest-path trees recovered from final distances or levels, and paths read off a parent array.
 * Package-private helpers of {@link SingleSourceTree}; stateless.
 */
final class ParentTrees {
    /*
     * Why derive instead of record. The parallel SSSP and BFS only lower distances with a CAS; recording a parent
     * beside each distance would need a second write per improvement (or a packed distance-parent word) in the
     * hot loop. Once the distances are final, an arc u -> v is "tight" when dist[u] + w(u, v) == dist[v], and
     * every reachable node other than the source has a tight in-arc from a node that is itself reachable along
     * tight arcs (the last arc of any shortest path). So a parent array can be recovered afterwards in O(n + m).
     *
     * Distances: a search from the source along tight arcs, keeping the first tight arc that reaches each node.
     * A plain pass over all arcs would not do with zero-weight arcs: u -0-> v and v -0-> u are both tight and
     * could make each other's parent, a cycle that never reaches the source. The search's tree has no cycle.
     *
     * Levels: level[u] == level[v] - 1 strictly decreases along parents, so one pass over the arcs, keeping the
     * first such u for each v, gives a tree whose root is the source.
     */

    /** Parent of the source and of unreachable nodes. */
    static final int NONE = -1;

    private ParentTrees() {
    }

    /**
     * @param dist exact shortest distances from {@code source} on {@code g} ({@link SequentialDijkstra#UNREACHABLE}
     *             where unreachable)
     * @return a parent per node along tight arcs, {@link #NONE} for the source and unreachable nodes; O(n + m)
     */
    static int[] fromDistances(CsrGraph g, int source, long[] dist) {
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] w = g.hasWeights() ? g.weights() : null;
        int[] parent = new int[g.nodes()];
        Arrays.fill(parent, NONE);
        int[] queue = new int[g.nodes()];
        int head = 0;
        int tail = 0;
        queue[tail++] = source;
        while (head < tail) {
            int u = queue[head++];
            long du = dist[u];
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                int v = tgt[e];
                if (v != source && parent[v] == NONE && du + (w == null ? 1 : w[e]) == dist[v]) {
                    parent[v] = u;
                    queue[tail++] = v;
                }
            }
        }
        return parent;
    }

    /**
     * @param level hop levels from {@code source} on {@code g} ({@link SequentialBfs#UNREACHED} where unreached)
     * @return a parent per node one level up, {@link #NONE} for the source and unreached nodes; O(n + m)
     */
    static int[] fromLevels(CsrGraph g, int source, int[] level) {
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] parent = new int[g.nodes()];
        Arrays.fill(parent, NONE);
        for (int u = 0, n = g.nodes(); u < n; u++) {
            if (level[u] < 0) {
                continue;
            }
            int next = level[u] + 1;
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                int v = tgt[e];
                if (parent[v] == NONE && level[v] == next && v != source) {
                    parent[v] = u;
                }
            }
        }
        return parent;
    }

    /**
     * The nodes from {@code source} to {@code v} along {@code parents}, both ends included; an empty array if
     * {@code v} is not reached. O(path length).
     */
    static int[] path(int[] parents, int source, int v, boolean reached) {
        if (!reached) {
            return new int[0];
        }
        int length = 1;
        for (int x = v; x != source; x = parents[x]) {
            length++;
        }
        int[] path = new int[length];
        int x = v;
        for (int i = length - 1; i >= 0; i--) {
            path[i] = x;
            x = parents[x]; // NONE after the source, unused
        }
        return path;
    }

    static void checkNode(int n, int v) {
        if (v < 0 || v >= n) {
            throw new IllegalArgumentException("node " + v + " outside 0.." + (n - 1));
        }
    }
}
