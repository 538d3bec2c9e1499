package org.scaleml.concurrent.counter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.scaleml.concurrent.TestThreads;

/**
 * Statistical checks of the MultiCounter's relaxation bound ([1] Alistarh et al., SPAA 2018): the gap between the
 * largest and smallest counter is O(log m) with high probability, so a read ({@code m} times one counter) is within
 * O(m log m) of the count. The constants checked are {@code max - mean <= ln m + 3} and
 * {@code mean - min <= 2 ln m + 3}; the sequential two-choice process with m = 16 and millions of balls shows a
 * worst gap of about 2 above and 3 below the mean, so these are wide margins, while one random choice would leave a
 * gap in the hundreds at these counts (the square root of N/m times a log factor): the test fails if the two choices
 * stop balancing.
 */
class MultiCounterTest {
    /** The max-min gap bound checked here: {@code 3 ln m + 6}. */
    static double gapBound(int m) {
        return 3 * Math.log(m) + 6;
    }

    /** Runs {@code each} increments on each of {@code threads} threads at once. */
    private static void incrementConcurrently(MultiCounter c, int threads, int each) throws Exception {
        TestThreads.run(threads, id -> {
            for (int i = 0; i < each; i++) {
                c.increment();
            }
        });
    }

    private static void assertBalanced(MultiCounter c, long total) {
        int m = c.counters();
        double mean = (double) total / m;
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (int k = 0; k < m; k++) {
            max = Math.max(max, c.counter(k));
            min = Math.min(min, c.counter(k));
        }
        assertThat(max - mean).as("max - mean after %d increments, m=%d", total, m)
                .isLessThanOrEqualTo(Math.log(m) + 3);
        assertThat(mean - min).as("mean - min after %d increments, m=%d", total, m)
                .isLessThanOrEqualTo(2 * Math.log(m) + 3);
    }

    @Test
    void twoThreadsKeepEveryCounterWithinLogMOfTheMeanAtEveryCheckpoint() throws Exception {
        MultiCounter c = new MultiCounter(16);
        long total = 0;
        for (int round = 0; round < 4; round++) {
            incrementConcurrently(c, 2, 500_000);
            total += 1_000_000;
            assertThat(c.sum()).isEqualTo(total);
            assertBalanced(c, total);
        }
    }

    @Test
    void moreThreadsThanCoresStillBalanceWithTheDefaultFourCountersPerThread() throws Exception {
        int threads = 4;
        MultiCounter c = (MultiCounter) ApproximateCounters.create("multi", threads);
        assertThat(c.counters()).isEqualTo(16);
        incrementConcurrently(c, threads, 250_000);
        assertBalanced(c, 1_000_000);
    }

    @Test
    void readsHaveRelativeErrorBelowTheStatedBound() throws Exception {
        int m = 32;
        MultiCounter c = new MultiCounter(m);
        incrementConcurrently(c, 2, 400_000);
        long n = c.sum();
        double bound = m * gapBound(m) / n;
        double worst = 0;
        double mean = 0;
        int reads = 100_000;
        for (int i = 0; i < reads; i++) {
            double rel = Math.abs(c.read() - n) / (double) n;
            worst = Math.max(worst, rel);
            mean += rel / reads;
        }
        assertThat(worst).as("worst relative error of %d reads, bound %.2e", reads, bound).isLessThanOrEqualTo(bound);
        // The typical read is much better than the worst case: within m times the typical deviation of a counter.
        assertThat(mean).isLessThanOrEqualTo(bound / 2);
    }

    @Test
    void readsDuringIncrementsLieBetweenTheCountsBeforeAndAfterUpToTheBound() throws Exception {
        int m = 8;
        MultiCounter c = new MultiCounter(m);
        long slack = (long) Math.ceil(m * gapBound(m));
        Thread incrementer = new Thread(() -> {
            for (int i = 0; i < 2_000_000; i++) {
                c.increment();
            }
        });
        incrementer.start();
        int outside = 0;
        int reads = 0;
        while (incrementer.isAlive()) {
            long before = c.sum();
            long r = c.read();
            long after = c.sum();
            reads++;
            if (r < before - slack || r > after + slack) {
                outside++;
            }
        }
        incrementer.join();
        assertThat(reads).isPositive();
        assertThat(outside).as("reads outside [before - m*gap, after + m*gap] of %d", reads).isZero();
    }

    @Test
    void localTimestampsOfOneCounterAreUniqueAndTrackTheMean() {
        MultiCounter c = new MultiCounter(4);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 4000; i++) {
            long ts = c.incrementAndGetLocal();
            assertThat(ts).isBetween(1L, (long) i + 1);
            seen.add(ts);
        }
        // values repeat across counters (each counter counts 1, 2, 3, ...), never more than m times each
        assertThat(seen.size()).isGreaterThanOrEqualTo(4000 / 4);
        assertThat(Math.abs(c.readLocal() - 1000)).isLessThanOrEqualTo((long) gapBound(4));
    }
}
