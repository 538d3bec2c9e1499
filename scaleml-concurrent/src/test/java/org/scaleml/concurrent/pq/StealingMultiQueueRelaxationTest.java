package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Relaxation of {@link StealingMultiQueue} under real concurrency: two threads run the hold workload (each
 * alternates {@code insert(lastDeleted + 1 + U[0, 2^16))} and {@code tryDeleteMin}, after a prefill of 50,000 elements
 * per thread) on the default configuration, and the mean rank error of their deletions must stay small.
 *
 * <p><b>How it is measured.</b> Each thread logs its operations with {@link System#nanoTime()} stamps in arrays
 * of its own (an insertion stamped before it starts, a deletion after it returns, as {@code OperationLog} does),
 * so the measurement adds no shared state, no contended counter and no lock that could itself delay a thread.
 * After the run the two logs are merged by time and replayed through a Fenwick tree; a deletion's rank error is
 * the number of elements present with a strictly smaller priority. Only the second half of each run counts (the
 * first absorbs start-up effects: thread start, allocation of the logs), and the statistic is the median over
 * {@link #ATTEMPTS} runs in one JVM, so a run disturbed by descheduling (JIT or GC threads, other processes on a
 * small machine) does not decide the outcome.
 *
 * <p><b>What it guards against.</b> The previous design (thieves {@code tryLock}-ing the victim's heap, which its
 * owner held for every operation) gave medians of 350 to 500 on a 2-core machine where the classic MultiQueue
 * and the current design both gave about 3. The bound is {@value #BOUND}, or {@value #MQ_FACTOR} times the
 * median of the classic MultiQueue {@code mq(c=2)} measured in the same JVM, interleaved with the runs under
 * test, if that is larger: on a machine so busy that threads are descheduled for milliseconds every queue
 * degrades, and the test then only asks for the classic MultiQueue's quality. It is timing-dependent all the
 * same (it needs two threads that really run at the same time) and takes several seconds, so it carries the
 * {@code stress} tag and runs with {@code -Pstress}.
 */
@Tag(AbstractPriorityQueueTest.STRESS)
class StealingMultiQueueRelaxationTest {

    static final double BOUND = 50;
    /** On a machine so loaded that even the classic MultiQueue degrades, the bound is this multiple of its median. */
    static final double MQ_FACTOR = 8;
    static final int ATTEMPTS = 5;
    private static final int THREADS = 2;
    private static final int PREFILL = 50_000;
    private static final int ITERATIONS = 600_000;
    private static final int SPREAD = 1 << 16;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoThreadHoldWorkloadHasSmallMeanRankError() throws Exception {
        double[] smq = new double[ATTEMPTS];
        double[] mq = new double[ATTEMPTS];
        for (int a = 0; a < ATTEMPTS; a++) { // interleaved, so that both see the same machine
            smq[a] = secondHalfMeanRankError(new StealingMultiQueue(THREADS, StealingConfig.DEFAULT, 1000 + a));
            mq[a] = secondHalfMeanRankError(PriorityQueues.create("mq", THREADS, 1000 + a));
        }
        double smqMedian = median(smq);
        double mqMedian = median(mq);
        double bound = Math.max(BOUND, MQ_FACTOR * mqMedian);
        assertThat(smqMedian)
                .as("median over %d runs of the second-half mean rank error of smq (runs %s); classic mq(c=2) "
                        + "under the same conditions: median %.1f (runs %s)", ATTEMPTS, Arrays.toString(smq),
                        mqMedian, Arrays.toString(mq))
                .isLessThanOrEqualTo(bound);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Runs the 2-thread hold workload on {@code q} and returns the mean rank error of the second half. */
    static double secondHalfMeanRankError(ConcurrentPriorityQueue q) throws Exception {
        long[][] stamps = new long[THREADS][];
        long[][] prios = new long[THREADS][];
        int[] sizes = new int[THREADS];
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            ts[t] = new Thread(() -> {
                long[] stamp = new long[PREFILL + 2 * ITERATIONS];
                long[] prio = new long[PREFILL + 2 * ITERATIONS];
                int m = 0;
                try (ConcurrentPriorityQueue.Handle h = q.register()) {
                    SplittableRandom rnd = new SplittableRandom(id + 1);
                    for (int i = 0; i < PREFILL; i++) {
                        long p = rnd.nextInt(SPREAD);
                        stamp[m] = 0; // before every timed operation
                        prio[m++] = p;
                        h.insert(p, i);
                    }
                    h.flush();
                    start.await();
                    long last = 0;
                    for (int k = 0; k < ITERATIONS; k++) {
                        long p = last + 1 + rnd.nextInt(SPREAD);
                        stamp[m] = System.nanoTime() << 1; // insertion: stamped before it starts
                        prio[m++] = p;
                        h.insert(p, k);
                        if (h.tryDeleteMin()) {
                            last = h.priority();
                            stamp[m] = (System.nanoTime() << 1) | 1; // deletion: stamped after it returns
                            prio[m++] = last;
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                stamps[id] = stamp;
                prios[id] = prio;
                sizes[id] = m;
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return replaySecondHalf(stamps, prios, sizes);
    }

    /** Merges the two time-ordered logs (insertions first on equal stamps) and replays them. */
    private static double replaySecondHalf(long[][] stamps, long[][] prios, int[] sizes) {
        int deletions = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < sizes[t]; i++) {
                deletions += (int) (stamps[t][i] & 1);
            }
        }
        // Compress priorities to ranks 1..distinct (a run whose threads drift apart can reach large values).
        int total = 0;
        for (int t = 0; t < THREADS; t++) {
            total += sizes[t];
        }
        long[] all = new long[total];
        for (int t = 0, k = 0; t < THREADS; t++) {
            System.arraycopy(prios[t], 0, all, k, sizes[t]);
            k += sizes[t];
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < total; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        final long[] keys = Arrays.copyOf(all, distinct);
        final int domain = distinct;
        int[] tree = new int[domain + 1];
        int[] next = new int[THREADS];
        int seen = 0;
        long sum = 0;
        int counted = 0;
        while (true) {
            int who = -1;
            for (int t = 0; t < THREADS; t++) {
                if (next[t] < sizes[t] && (who < 0 || stamps[t][next[t]] < stamps[who][next[who]])) {
                    who = t;
                }
            }
            if (who < 0) {
                break;
            }
            int i = next[who]++;
            int p = Arrays.binarySearch(keys, prios[who][i]); // 0-based rank of the priority
            if ((stamps[who][i] & 1) == 0) {
                for (int j = p + 1; j <= domain; j += j & -j) {
                    tree[j]++;
                }
            } else {
                long smaller = 0;
                for (int j = p; j > 0; j -= j & -j) { // elements of strictly smaller priority
                    smaller += tree[j];
                }
                for (int j = p + 1; j <= domain; j += j & -j) {
                    tree[j]--;
                }
                if (seen++ >= deletions / 2) {
                    sum += smaller;
                    counted++;
                }
            }
        }
        return counted == 0 ? 0 : (double) sum / counted;
    }
}
