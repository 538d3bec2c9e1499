/**
 * Graphs for the parallel graph algorithms: an immutable compressed-sparse-row graph ({@link
 * org.scaleml.graph.CsrGraph}), a builder from edge lists ({@link org.scaleml.graph.GraphBuilder}), streaming
 * readers for DIMACS, PACE 2016, SNAP and Matrix Market files ({@link org.scaleml.graph.GraphReader}), a
 * binary cache for fast reloading ({@link org.scaleml.graph.GraphCache}) and seeded generators ({@link
 * org.scaleml.graph.GraphGenerators}).
 *
 * <h2>Design choices that hold across the package</h2>
 * <ul>
 *   <li><b>Primitive arrays, no per-node or per-edge objects.</b> A graph is a handful of arrays: {@code long[]
 *       offsets} (n + 1), {@code int[] targets} (m), optionally {@code int[] weights} (m), {@code int[] x, y}
 *       coordinates (n) and {@code long[]} file ids (n). Hot loops index them directly; the accessors return
 *       the arrays themselves, which callers must treat as read-only.</li>
 *   <li><b>{@code int} node ids {@code 0..n-1}, {@code long} arc indices.</b> Offsets are {@code long} so that
 *       arc indices never overflow and the API stays the same should arcs be stored in chunked arrays later.
 *       Today the targets and weights are plain Java arrays, so one graph holds at most {@link
 *       org.scaleml.graph.CsrGraph#MAX_ARCS} arcs (about 2<sup>31</sup>); builders refuse larger graphs with
 *       a clear error.</li>
 *   <li><b>{@code int} weights.</b> DIMACS road graphs, PACE, SNAP and integer Matrix Market files all fit;
 *       real Matrix Market values are rounded after scaling (see {@link org.scaleml.graph.ReadOptions}). Sums
 *       of weights (distances) should be accumulated in {@code long}.</li>
 *   <li><b>Undirected graphs store both arcs</b> {@code u->v} and {@code v->u} (a self loop once), so every
 *       algorithm iterates out-arcs only.</li>
 *   <li><b>File ids versus internal ids.</b> Internal ids are always contiguous {@code 0..n-1}. The file's ids
 *       are kept either as an offset (DIMACS, PACE and Matrix Market ids start at 1, so {@code fileId = node +
 *       1}) or as a sorted {@code long[]} of original ids (SNAP ids are arbitrary and get remapped in
 *       increasing order). {@link org.scaleml.graph.CsrGraph#fileId(int)} and {@link
 *       org.scaleml.graph.CsrGraph#nodeOf(long)} convert, so input and output can use the file's ids.</li>
 *   <li><b>Immutability and thread safety.</b> A {@code CsrGraph} never changes after construction and is
 *       safely published through its final fields; share it freely between threads. Builders, readers and
 *       generators are single-threaded and not thread-safe.</li>
 *   <li><b>Errors.</b> Malformed input raises {@link org.scaleml.graph.GraphFormatException} (an {@link
 *       java.io.IOException}) whose message is {@code file:line: what was wrong}. No array is sized from a
 *       header count beyond a fixed cap; arrays grow as data actually arrives.</li>
 * </ul>
 *
 * <p>Algorithm packages (for example {@code org.scaleml.graph.algo}) build on this package and not the other
 * way round.
 */
package org.scaleml.graph;
