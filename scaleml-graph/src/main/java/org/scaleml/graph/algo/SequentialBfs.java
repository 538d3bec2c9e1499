package org.scaleml.graph.algo;

import java.util.Arrays;
import org.scaleml.graph.CsrGraph;

/**
 * Sequential breadth-first search: hop levels from one source along out-arcs, ignoring weights. The exact
 * reference for the parallel BFS.
 *
 * <p>Contract: {@code levels[v]} is the least number of arcs on a path from the source to {@code v}, {@link
 * #UNREACHED} (-1) if there is none; {@code levels[source] == 0}. O(n + m) time, one {@code int[n]} queue of
 * scratch. Stateless and thread-safe.
 *
 * <p>Algorithm: the textbook FIFO queue (Moore, 1959), top-down only. The queue is a plain array with
 * head and tail indices, since every node enters it at most once; a level is written when a node is
 * discovered, so each node is enqueued exactly once.
 */
public final class SequentialBfs {
    /** Level of a node that the search did not reach: -1. */
    public static final int UNREACHED = -1;

    private SequentialBfs() {
    }

    /**
     * @return a new array of n hop levels from {@code source}, {@link #UNREACHED} where unreachable
     * @throws IllegalArgumentException if {@code source} is out of range
     */
    public static int[] levels(CsrGraph g, int source) {
        SequentialDijkstra.checkNode(g, source, "source");
        int n = g.nodes();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] level = new int[n];
        Arrays.fill(level, UNREACHED);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        level[source] = 0;
        queue[tail++] = source;
        while (head < tail) {
            int u = queue[head++];
            int next = level[u] + 1;
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                int v = tgt[e];
                if (level[v] == UNREACHED) {
                    level[v] = next;
                    queue[tail++] = v;
                }
            }
        }
        return level;
    }

    /**
     * The levels of {@link #levels} with their BFS tree (parents derived on first use, see {@link BfsTree}).
     *
     * @throws IllegalArgumentException if {@code source} is out of range
     */
    public static BfsTree tree(CsrGraph g, int source) {
        return BfsTree.of(g, source, levels(g, source), null);
    }

    /** Same as {@link DistanceChecksum#ofLevels(int[])}: sum of the levels reached and their count. */
    public static DistanceChecksum checksum(int[] levels) {
        return DistanceChecksum.ofLevels(levels);
    }
}
