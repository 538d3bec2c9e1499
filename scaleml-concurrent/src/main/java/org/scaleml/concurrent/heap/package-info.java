/**
 * Sequential heaps on primitive arrays: the priority queues inside the MultiQueue family, the sequential Dijkstra
 * and A*, and residual belief propagation.
 *
 * <p>Choosing a variant:
 * <ul>
 *   <li>{@link org.scaleml.concurrent.heap.DaryHeap}: {@code (long priority, long payload)} pairs, any arity; the
 *       building block of the locked heaps of {@code org.scaleml.concurrent.pq}.</li>
 *   <li>{@link org.scaleml.concurrent.heap.LongMinHeap}: bare {@code long} values, 4-ary; for keys that pack their
 *       payload (lazy Dijkstra's {@code dist << bits | node}), half the memory traffic of a pair heap.</li>
 *   <li>{@link org.scaleml.concurrent.heap.IndexedMinHeap}: {@code int} items with {@code long} keys and
 *       decrease-key, 4-ary; at most one entry per item, exact for any key.</li>
 *   <li>{@link org.scaleml.concurrent.heap.IndexedMaxHeap}: every id of {@code 0..n-1} always present,
 *       {@code double} keys raised or lowered in place, binary; the exact residual schedule of belief
 *       propagation.</li>
 * </ul>
 *
 * <p>Design choices that hold across the package: no objects per element and no boxing; not thread-safe (callers
 * that share a heap lock it); keys compared with the primitive operators, elements moved only past strictly
 * smaller (larger, for the max-heap) keys, so the order of equal keys is fixed by the sequence of operations and
 * runs are reproducible. The {@code long}-keyed heaps share one child scan for their sift-downs. The variants are
 * kept apart where merging them was measured or known to cost time on a hot path or to change an order that
 * results depend on; each class comment says which.
 */
package org.scaleml.concurrent.heap;
