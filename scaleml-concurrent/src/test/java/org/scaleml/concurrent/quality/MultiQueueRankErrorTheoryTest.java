package org.scaleml.concurrent.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;
import org.scaleml.concurrent.pq.MultiQueueConfig;
import org.scaleml.concurrent.pq.PriorityQueues;

/**
 * Statistical test of the classic MultiQueue's rank error against the exact analytic result.
 *
 * <p><b>The result.</b> For a MultiQueue of n sequential queues in which every insertion goes to a uniformly
 * random queue and every deletion reads the tops of two queues chosen independently and uniformly at random
 * and removes the smaller, in the long run the expected rank error of a deletion (number of strictly smaller
 * elements present) is
 * <pre>   E[rank error] = 5n/6 - 1 + 1/(6n)</pre>
 * (S. Walzer and M. Williams, "A Simple yet Exact Analysis of the MultiQueue", 2024, arXiv:2410.08714; the O(n)
 * bound with exponential tails is due to Alistarh, Kopinsky, Li and Shavit, "The Power of Choice in Priority
 * Scheduling", PODC 2017).
 *
 * <p><b>Its assumptions, and how this test meets them.</b>
 * <ol>
 *   <li>Queue assignment independent of priority: insertions pick a uniformly random heap whatever the priority
 *       (true of the implementation with stickiness 1 and no buffers, which the test uses).</li>
 *   <li>The two queues of a deletion are independent and uniform (they may coincide); the implementation draws
 *       them that way.</li>
 *   <li>No queue ever runs empty and new elements never land in front of the queue tops: the analysis takes an
 *       infinite supply. The standard alternating process used here inserts priorities in increasing order
 *       (each new element is larger than all present), so new elements always join behind every top; and the
 *       queue is prefilled with 4,000 elements per queue while a queue's size drifts like a random walk of
 *       standard deviation about sqrt(2 * deletes / n), far below the prefill for these n.</li>
 *   <li>Long-run behaviour: the first 10% of deletions (burn-in from the uniform prefill) are excluded by
 *       measuring only after a warm-up phase.</li>
 * </ol>
 * A single thread drives the queue, so the replayed history is exact (no concurrency in the measurement).
 *
 * <p><b>Tolerance.</b> 3% of the predicted mean. From repeated simulations with other seeds, the standard
 * deviation of the measured mean over 400,000 deletions is about 0.5% of the prediction, so 3% is about six
 * standard deviations: a correct MultiQueue fails with negligible probability (and with fixed seeds the result
 * is deterministic), while a wrong choice rule fails clearly, e.g. two <em>distinct</em> queues give about
 * 4.63 instead of 5.69 for n = 8 (19% off) and a single random choice gives a rank error growing without bound.
 */
class MultiQueueRankErrorTheoryTest {

    @ParameterizedTest(name = "n = {0}")
    @CsvSource({"2", "4", "8", "16", "32"})
    void meanRankErrorMatchesExactAnalysis(int n) {
        ConcurrentPriorityQueue mq = PriorityQueues.multiQueue(1, new MultiQueueConfig(n, 4, 1, 0, 0), 12345L + n);
        OperationLog log = new OperationLog();
        ConcurrentPriorityQueue.Handle h = new InstrumentedQueue(mq, log).register();
        long next = 0;
        int prefill = 4_000 * n;
        for (int i = 0; i < prefill; i++) {
            h.insert(next++, i);
        }
        int warmup = 40_000;
        int deletes = 400_000;
        for (int i = 0; i < warmup + deletes; i++) {
            h.insert(next++, i);
            assertThat(h.tryDeleteMin()).isTrue();
        }
        long[] ranks = RankReplay.ranksInDeletionOrder(log);
        assertThat(ranks).hasSize(warmup + deletes);
        double sum = 0;
        for (int i = warmup; i < ranks.length; i++) {
            sum += ranks[i];
        }
        double measured = sum / deletes;
        double expected = 5.0 * n / 6.0 - 1.0 + 1.0 / (6.0 * n);
        assertThat(measured).as("mean rank error for n = %d (prediction %.4f)", n, expected)
                .isCloseTo(expected, within(0.03 * expected));
    }
}
