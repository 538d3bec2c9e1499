/**
 * A software transactional memory over primitive {@code long} cells: TL2 (Dice, Shalev, Shavit, DISC 2006) with a
 * pluggable global version clock, including relaxed timestamps paced by a MultiCounter (Alistarh, Brown,
 * Kopinsky, Li, Nadiradze, SPAA 2018).
 *
 * <p>{@link org.scaleml.concurrent.stm.Stm} runs transaction bodies ({@code stm.atomic(tx -> ...)}) over an array
 * of cells addressed by index, re-executing a body until it commits; {@link org.scaleml.concurrent.stm.VersionClock}
 * is the clock interface, with TL2's {@code gv1} and {@code gv4} and the relaxed {@code mc} created by
 * {@link org.scaleml.concurrent.stm.VersionClocks#create}; {@link org.scaleml.concurrent.stm.StmSortedSet} is a
 * transactional sorted set built from cells.
 *
 * <p>Design choices across the package: cells are pairs of longs (versioned write-lock, value) in one array, so a
 * read touches one cache line and nothing is boxed; each thread reuses one transaction context with primitive read
 * and write sets; aborts unwind the body with one preallocated control throwable; every read is validated against
 * the transaction's read version (opacity), and versions strictly increase on each cell. Correctness rests on one
 * clock invariant, stated in {@link org.scaleml.concurrent.stm.VersionClock}: a write version exceeds every read
 * version handed out before the committer's locks were complete. Memory ordering is explicit through
 * {@code VarHandle}s: acquiring reads of lock words and values, volatile compare-and-set to lock, release stores to
 * publish, volatile clock accesses. Implementation classes are package-private.
 */
package org.scaleml.concurrent.stm;
