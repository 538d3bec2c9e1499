/**
 * Graph algorithms on {@link org.scaleml.graph.CsrGraph}: the exact sequential references in this package's
 * {@code Sequential*} classes, and (in other classes) their parallel versions on the relaxed scheduler.
 *
 * <h2>The references define the answers</h2>
 * Every parallel algorithm here is checked against, and must return the same result as, its sequential
 * reference:
 * <ul>
 *   <li>{@link org.scaleml.graph.algo.SequentialDijkstra}: single-source distances ({@code long[]}, {@link
 *       org.scaleml.graph.algo.SequentialDijkstra#UNREACHABLE} for unreachable nodes); identical
 *       distances are required, parents may differ where shortest paths tie.</li>
 *   <li>{@link org.scaleml.graph.algo.SequentialBfs}: hop levels ({@code int[]}, -1 unreachable).</li>
 *   <li>{@link org.scaleml.graph.algo.SequentialAStar}: one source-target distance.</li>
 *   <li>{@link org.scaleml.graph.algo.SequentialComponents}: connected components of the undirected view,
 *       each labelled by its smallest node id, so labels are unique and comparable array-to-array.</li>
 *   <li>{@link org.scaleml.graph.algo.SequentialMsf}: the minimum spanning forest's total weight and edge
 *       count (unique); the edge set is unique only when weights are distinct.</li>
 *   <li>{@link org.scaleml.graph.algo.SequentialGreedyMis} and {@link
 *       org.scaleml.graph.algo.SequentialGreedyMatching}: the greedy results in the fixed random order of
 *       {@link org.scaleml.graph.algo.GreedyOrder}. These sets are unique for a given seed, and a relaxed
 *       parallel execution that respects the same priorities returns exactly them (Blelloch, Fineman and
 *       Shun, SPAA 2012; Alistarh, Brown, Kopinsky and Nadiradze, PODC 2018).</li>
 * </ul>
 *
 * <h2>Conventions across the package</h2>
 * <ul>
 *   <li><b>Ids:</b> internal node ids {@code 0..n-1}; callers convert file ids with {@link
 *       org.scaleml.graph.CsrGraph#nodeOf(long)}.</li>
 *   <li><b>Weights:</b> {@code int} arc weights, summed in {@code long}; an unweighted graph has weight 1 on
 *       every arc. Shortest-path algorithms reject negative weights; the spanning forest accepts them.</li>
 *   <li><b>Undirected view:</b> components, spanning forest, independent set and matching treat a directed
 *       graph as undirected (an arc {@code u->v} joins u and v) without building the transpose; self loops
 *       are ignored by all four.</li>
 *   <li><b>Results</b> are records holding primitive arrays that the caller owns; record {@code equals}
 *       compares those arrays by reference, so compare contents with {@link java.util.Arrays#equals}.</li>
 *   <li><b>Thread safety:</b> the static methods keep no shared state and may run concurrently on the same
 *       (immutable) graph; instances with reusable scratch space ({@link
 *       org.scaleml.graph.algo.SequentialAStar}) are confined to one thread at a time.</li>
 * </ul>
 */
package org.scaleml.graph.algo;
