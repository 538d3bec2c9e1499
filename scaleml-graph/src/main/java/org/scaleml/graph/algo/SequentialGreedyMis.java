package org.scaleml.graph.algo;

import org.scaleml.graph.CsrGraph;

/**
 * Sequential greedy maximal independent set in the fixed random order of {@link GreedyOrder}: the exact
 * result the relaxed parallel version must reproduce.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Result:</b> the lexicographically first maximal independent set of the undirected view with
 *       respect to {@link GreedyOrder#nodePriority(int, long)}: a node is in the set if and only if no
 *       neighbour of smaller priority is. Unique for a given graph and seed. Self loops are ignored (a node
 *       is not its own neighbour); for a directed graph, in- and out-neighbours both count.</li>
 *   <li><b>Cost:</b> O(n log n + m) time (the sort of n priorities, then one pass over the arcs); a {@code
 *       long[n]} and an {@code int[n]} for the order, a {@code byte[n]} of state. Stateless and
 *       thread-safe.</li>
 * </ul>
 *
 * <h2>Algorithm and why it is the reference</h2>
 * Visit nodes in priority order; a node still undecided joins the set and knocks out its neighbours. For a
 * directed graph, where only out-arcs are stored, a node also checks its out-neighbours for members before
 * joining (an earlier member reached by an in-arc has already knocked it out). Blelloch, Fineman and Shun [1]
 * showed that the dependence structure of this greedy order is shallow (O(log<sup>2</sup> n) rounds) for a
 * random order, and Alistarh, Brown, Kopinsky and Nadiradze [2] that executing it on a relaxed priority
 * scheduler, where a task whose higher-priority neighbours are undecided is retried, returns exactly this
 * set with a bounded number of extra iterations.
 *
 * <p>[1] G. E. Blelloch, J. T. Fineman, J. Shun, Greedy sequential maximal independent set and matching are
 * parallel on average, SPAA 2012. [2] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, Relaxed
 * schedulers can efficiently parallelize iterative algorithms, PODC 2018.
 */
public final class SequentialGreedyMis {
    private static final byte UNDECIDED = 0;
    private static final byte IN = 1;
    private static final byte OUT = 2;

    private SequentialGreedyMis() {
    }

    /** @return the greedy maximal independent set of {@code g}'s undirected view in the order of {@code seed} */
    public static IndependentSet run(CsrGraph g, long seed) {
        return run(g, GreedyOrder.nodeOrder(g.nodes(), seed));
    }

    /**
     * The greedy maximal independent set for an explicit order.
     *
     * @param order a permutation of {@code 0..n-1}: the order in which nodes are offered
     * @throws IllegalArgumentException if {@code order} has the wrong length or repeats a node
     */
    public static IndependentSet run(CsrGraph g, int[] order) {
        int n = g.nodes();
        if (order.length != n) {
            throw new IllegalArgumentException("order has " + order.length + " nodes, graph " + n);
        }
        long[] off = g.offsets();
        int[] tgt = g.targets();
        boolean directed = g.isDirected();
        byte[] state = new byte[n];
        boolean[] member = new boolean[n];
        int size = 0;
        for (int v : order) {
            if (state[v] != UNDECIDED) {
                if (state[v] == IN) {
                    throw new IllegalArgumentException("order repeats node " + v);
                }
                continue;
            }
            int start = (int) off[v];
            int end = (int) off[v + 1];
            if (directed) {
                boolean blocked = false;
                for (int e = start; e < end; e++) {
                    int u = tgt[e];
                    if (u != v && state[u] == IN) {
                        blocked = true;
                        break;
                    }
                }
                if (blocked) {
                    state[v] = OUT;
                    continue;
                }
            }
            state[v] = IN;
            member[v] = true;
            size++;
            for (int e = start; e < end; e++) {
                int u = tgt[e];
                if (state[u] == UNDECIDED) {
                    state[u] = OUT;
                }
            }
        }
        return new IndependentSet(member, size);
    }
}
