/**
 * Randomized incremental algorithms run on the relaxed scheduler, after Alistarh, Nadiradze and Koval,
 * "Efficiency Guarantees for Parallel Incremental Algorithms under Relaxed Schedulers" (SPAA 2019): Delaunay
 * triangulation by point insertion ({@link org.scaleml.graph.incremental.DelaunayTriangulation}) and comparison
 * sorting by binary-search-tree insertion ({@link org.scaleml.graph.incremental.BstSort}).
 *
 * <h2>Design choices that hold across the package</h2>
 * <ul>
 *   <li><b>The sequential random-order algorithm defines the answer.</b> Inputs are inserted in the order of
 *       {@link org.scaleml.graph.incremental.InsertionOrder#permutation} for a seed; each algorithm has a plain
 *       sequential version and a parallel one that returns exactly the same result (the same tree, the same
 *       triangles).</li>
 *   <li><b>One task per input, priority = its position in the order.</b> Any queue of the scheduler runtime
 *       (exact or relaxed) may hand tasks out of order; a popped task whose dependencies are not done is a
 *       <em>failed pop</em>, returns {@code false} (counted in {@code wastedTasks}) and parks on what blocks
 *       it, to be pushed again when that is done. So {@code tasks = n + wastedTasks}, and an exact queue on one
 *       thread wastes nothing.</li>
 *   <li><b>Results reuse {@link org.scaleml.graph.algo.Run}</b>: the answer beside the scheduler's
 *       statistics and named counters.</li>
 * </ul>
 */
package org.scaleml.graph.incremental;
