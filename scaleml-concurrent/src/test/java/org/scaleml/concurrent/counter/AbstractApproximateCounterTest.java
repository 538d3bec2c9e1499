package org.scaleml.concurrent.counter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.scaleml.concurrent.TestThreads;

/**
 * The one contract suite for {@link ApproximateCounter}: every implementation runs it through a subclass that names
 * a specification. It checks exact sums in quiescence (sequentially and after concurrent increments from more
 * threads than this machine's two cores), that reads stay within the implementation's stated bound of the count,
 * and that the canonical specification recreates an equal counter.
 */
abstract class AbstractApproximateCounterTest {
    /** The specification under test, e.g. {@code multi:m=8}. */
    protected abstract String spec();

    /** The largest allowed |read - count| in quiescence for a counter created for {@code threads} threads. */
    protected abstract long readBound(ApproximateCounter c);

    protected ApproximateCounter create(int threads) {
        return ApproximateCounters.create(spec(), threads);
    }

    @Test
    void startsAtZeroAndCountsSequentially() {
        ApproximateCounter c = create(1);
        assertThat(c.sum()).isZero();
        assertThat(c.read()).isZero();
        for (int i = 1; i <= 10_000; i++) {
            c.increment();
            if (i % 997 == 0) {
                assertThat(c.sum()).isEqualTo(i);
                assertThat(Math.abs(c.read() - i)).isLessThanOrEqualTo(readBound(c));
            }
        }
        assertThat(c.sum()).isEqualTo(10_000);
    }

    @Test
    void countsEveryConcurrentIncrementAndReadsStayInBound() throws Exception {
        int threads = 4;
        int each = 50_000;
        ApproximateCounter c = create(threads);
        long[] badReads = new long[threads];
        TestThreads.run(threads, id -> {
            for (int i = 0; i < each; i++) {
                c.increment();
                if ((i & 255) == 0) {
                    long r = c.read();
                    if (r < -readBound(c) || r > (long) threads * each + readBound(c)) {
                        badReads[id]++;
                    }
                }
            }
        });
        long total = (long) threads * each;
        assertThat(c.sum()).isEqualTo(total);
        assertThat(badReads).containsOnly(0L);
        for (int i = 0; i < 1000; i++) {
            assertThat(Math.abs(c.read() - total)).isLessThanOrEqualTo(readBound(c));
        }
    }

    @Test
    void canonicalSpecificationRecreatesTheCounter() {
        ApproximateCounter c = create(3);
        ApproximateCounter again = ApproximateCounters.create(c.spec(), 1);
        assertThat(again.spec()).isEqualTo(c.spec());
        assertThat(again.getClass()).isEqualTo(c.getClass());
        assertThat(c.toString()).startsWith(c.spec());
    }
}
