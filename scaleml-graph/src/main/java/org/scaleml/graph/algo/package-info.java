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
 *   <li>{@link org.scaleml.graph.algo.SequentialAStar}: one source-target distance (Dijkstra's).</li>
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
 * <h2>One result type per problem</h2>
 * The sequential reference and the parallel algorithm of a problem return the same type, so results compare
 * directly and code written against one works with the other:
 * <ul>
 *   <li>SSSP: {@link org.scaleml.graph.algo.ShortestPaths}; BFS: {@link org.scaleml.graph.algo.BfsTree}. Both
 *       are {@link org.scaleml.graph.algo.SingleSourceTree}s: {@code pathTo(v)} (the node sequence, empty if
 *       unreachable), parents, and the distance or level of every node, in the manner of JGraphT's {@code
 *       SingleSourcePaths}. Dijkstra records its parents as it runs;
 *       the parallel searches and the sequential BFS compute only distances or levels, and their parents are
 *       derived from them on first use in one O(n + m) pass and cached, so the timed searches do no extra
 *       work.</li>
 *   <li>A*: {@link org.scaleml.graph.algo.TargetDistance} (the distance and the expansions; no path).</li>
 *   <li>Components: {@link org.scaleml.graph.algo.Components}; spanning forest: {@link
 *       org.scaleml.graph.algo.SpanningForest}; independent set: {@link org.scaleml.graph.algo.IndependentSet};
 *       matching: {@link org.scaleml.graph.algo.Matching}.</li>
 * </ul>
 * <b>Run statistics.</b> Every {@code Parallel*.run} returns a {@link org.scaleml.graph.algo.Run}: the result
 * with, beside it, the scheduler's {@link org.scaleml.sched.RunStats} (tasks, wasted tasks, idle polls,
 * steals, wall time) and the few counters only that algorithm has ({@code rounds} of the spanning forest,
 * {@code settled} and {@code pruned} of A*). The sequential algorithms return the bare result: they run no
 * scheduler, so they have no tasks, waste or steals to report; their one measure of work, where they have
 * one, is part of the result ({@link org.scaleml.graph.algo.ShortestPaths#settled()}, {@link
 * org.scaleml.graph.algo.TargetDistance#settled()}) and the caller times them.
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
 *   <li><b>Results</b> hold primitive arrays that the caller owns; {@code equals} compares those arrays by
 *       reference, so compare contents with {@link java.util.Arrays#equals}.</li>
 *   <li><b>Thread safety:</b> the static methods keep no shared state and may run concurrently on the same
 *       (immutable) graph; instances with reusable scratch space ({@link
 *       org.scaleml.graph.algo.SequentialAStar}) are confined to one thread at a time.</li>
 * </ul>
 */
package org.scaleml.graph.algo;
