/**
 * Concurrent union-find (disjoint sets) on primitive arrays, for connected components and spanning forests.
 *
 * <p>One interface, {@link org.scaleml.concurrent.uf.ConcurrentUnionFind}, serves the lock-free structure in
 * the variants compared by Alistarh, Fedorov and Koval ("In Search of the Fastest Concurrent Union-Find
 * Algorithm", OPODIS 2019), a lock-based baseline and the sequential reference; all are created from a
 * specification string by {@link org.scaleml.concurrent.uf.UnionFinds#create}, so a baseline is one flag away.
 *
 * <p>Design choices across the package: the forest is one {@code int[]} of parent words (no per-element
 * objects); memory ordering goes through one {@code VarHandle} on that array, with acquiring reads, volatile
 * compare-and-set for links and release (or weak CAS) stores for path compaction; links always hang the lower of
 * two roots under the higher in a fixed or monotone total order, which is what keeps the forest acyclic without
 * locks; {@code union} and {@code sameSet} are linearizable, while {@code find} promises only an element that was
 * a root during the call. Implementation classes are package-private.
 */
package org.scaleml.concurrent.uf;
