package org.scaleml.concurrent.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The MultiCounter ({@code multi:m=M}) of [1]: {@code m} padded counters; an increment adds one to the smaller of
 * two counters chosen at random, and a read returns {@code m} times one counter chosen at random.
 *
 * <h2>Relaxation bound</h2>
 * Let N be the number of increments that completed before a read (increments in flight may or may not be seen).
 * Two-choice balancing keeps every counter close to the mean N/m: [1] proves, for its asynchronous model (an
 * oblivious scheduler and at most n threads with n small against m; the analysis asks for m a constant factor above
 * n, hence the default {@code m = 4 x threads}), that the gap between the largest and the smallest counter is
 * O(log m) in expectation and with high probability at every point of the execution, however many increments have
 * run (for comparison, one random choice lets the gap grow like the square root of N/m). A read is m times one
 * counter, so with high probability
 * <pre>
 *   |read() - N|  &lt;=  m * gap  =  O(m log m),       relative error O(m log m / N)
 * </pre>
 which vanishes as the count grows. {@code MultiCounterTest} checks this statistically: with m = 16 on 2 threads
 * (four checkpoints up to four million increments) and on 4 threads, every counter stays within {@code ln m + 3}
 * above and {@code 2 ln m + 3} below the mean, and every read within {@code m (3 ln m + 6)} of the count.
 * {@link #sum} is exact in quiescence.
 *
 * <h2>Progress and cost</h2>
 * Wait-free: an increment is two opaque reads and one fetch-and-add on a counter that m-1 others rarely touch at
 * the same time; a read is one acquiring load. No shared random state: choices come from
 * {@link ThreadLocalRandom}. Memory: 128 bytes per counter. Thread-safe; no memory effects beyond the count.
 *
 * <p>The per-counter operations {@link #incrementAndGetLocal} and {@link #readLocal} make the counter a source of
 * relaxed timestamps ({@code org.scaleml.concurrent.stm}, clock {@code mc}).
 */
public final class MultiCounter implements ApproximateCounter {
    /*
     * Algorithm. [1] D. Alistarh, T. Brown, J. Kopinsky, J. Z. Li, G. Nadiradze, "Distributionally linearizable
     * data structures", SPAA 2018 (arXiv:1804.01018).
     *
     * The counters are bins and increments are balls of the classic two-choice process (Azar, Broder, Karlin and
     * Upfal, STOC 1994): an increment samples two bins uniformly (with replacement) and adds its ball to the less
     * loaded one. In the sequential process the most loaded bin exceeds the mean by ln ln m / ln 2 + O(1) and the
     * least loaded trails it by O(log m), for any number of balls (Berenbrink, Czumaj, Steger, Voecking, STOC
     * 2000). Concurrently, a thread compares values that may be stale by the time it adds (it reads both, then
     * fetch-and-adds the one that looked smaller: never a CAS loop, so no retries); [1]'s contribution is that
     * this asynchronous process keeps an O(log m) gap with high probability as long as staleness is bounded,
     * which holds when the number of concurrent threads is small against m. Their correctness notion,
     * distributional linearizability, says the concurrent counter behaves like the sequential randomized one up
     * to that bounded staleness.
     *
     * Layout: one long[] with the counters 16 longs (128 bytes) apart and 128 bytes of padding before the first
     * and after the last, so that no two counters, and no counter and a foreign object, share a cache line or an
     * adjacent-line prefetch pair. Reads of the two candidates are opaque (their values only steer a heuristic);
     * the increment is a volatile getAndAdd; reads are acquiring, like AtomicLong.get.
     *
     * Random numbers: one ThreadLocalRandom.nextLong() yields both choices (its two 32-bit halves), each mapped
     * to [0, m) by Lemire's multiply-shift (no division, no modulo bias worth mentioning at m << 2^32).
     */
    /** Most counters of one MultiCounter (8 MiB of counters at 128 bytes each). */
    public static final int MAX_COUNTERS = 1 << 16;

    /** Longs from one counter to the next: 128 bytes. */
    private static final int STRIDE = 16;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts;
    private final int m;

    /**
     * A MultiCounter of {@code m} counters, all zero.
     *
     * @throws IllegalArgumentException unless {@code 1 <= m <= MAX_COUNTERS}
     */
    public MultiCounter(int m) {
        if (m < 1 || m > MAX_COUNTERS) {
            throw new IllegalArgumentException("a MultiCounter has 1 to " + MAX_COUNTERS + " counters, got " + m);
        }
        this.m = m;
        this.counts = new long[(m + 2) * STRIDE];
    }

    /** The number of counters, m. */
    public int counters() {
        return m;
    }

    private static int slot(int k) {
        return (k + 1) * STRIDE;
    }

    private int index(long random32) {
        return (int) (((random32 & 0xFFFF_FFFFL) * m) >>> 32);
    }

    @Override
    public void increment() {
        incrementAndGetLocal();
    }

    /**
     * Adds one to the smaller of two random counters and returns that counter's new value: a local timestamp,
     * unique among the values this one counter ever returns, and about {@code sum() / m}.
     */
    public long incrementAndGetLocal() {
        long r = ThreadLocalRandom.current().nextLong();
        int i = index(r);
        int j = index(r >>> 32);
        if ((long) COUNTS.getOpaque(counts, slot(j)) < (long) COUNTS.getOpaque(counts, slot(i))) {
            i = j;
        }
        return (long) COUNTS.getAndAdd(counts, slot(i), 1L) + 1;
    }

    /** {@code m} times one random counter: within O(m log m) of the count with high probability (class documentation). */
    @Override
    public long read() {
        return m * readLocal();
    }

    /** The value of one counter chosen at random (acquiring read). */
    public long readLocal() {
        return counter(index(ThreadLocalRandom.current().nextInt()));
    }

    /**
     * The value of counter {@code k} (acquiring read).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= k < counters()}
     */
    public long counter(int k) {
        java.util.Objects.checkIndex(k, m);
        return (long) COUNTS.getAcquire(counts, slot(k));
    }

    @Override
    public long sum() {
        long s = 0;
        for (int k = 0; k < m; k++) {
            s += (long) COUNTS.getAcquire(counts, slot(k));
        }
        return s;
    }

    @Override
    public String spec() {
        return "multi:m=" + m;
    }

    @Override
    public String toString() {
        return spec() + "(" + sum() + ")";
    }
}
