/**
 * Concurrent counters that trade exactness of reads for scalable increments, behind one interface.
 *
 * <p>{@link org.scaleml.concurrent.counter.ApproximateCounter} is served by the JDK's two answers to a contended
 * counter, one {@link java.util.concurrent.atomic.AtomicLong} (exact, one contended cache line) and
 * {@link java.util.concurrent.atomic.LongAdder} (exact sums, striped cells, reads that add up every cell), and by the
 * {@link org.scaleml.concurrent.counter.MultiCounter} of Alistarh, Brown, Kopinsky, Li and Nadiradze
 * ("Distributionally linearizable data structures", SPAA 2018): m padded counters balanced by two random choices,
 * whose reads look at one counter and are off by O(m log m) with high probability. All are created from a
 * specification string by {@link org.scaleml.concurrent.counter.ApproximateCounters#create}, so a baseline is one
 * flag away.
 *
 * <p>Design choices across the package: counters are {@code long}s that only grow; random choices come from the
 * calling thread's {@link java.util.concurrent.ThreadLocalRandom} (no shared random state); contended words are
 * padded to 128 bytes (two cache lines, against adjacent-line prefetch) and accessed through one
 * {@code VarHandle} with explicit modes. The MultiCounter is public because its per-counter operations are a
 * building block of relaxed timestamps ({@code org.scaleml.concurrent.stm}); the JDK adapters are package-private.
 */
package org.scaleml.concurrent.counter;
