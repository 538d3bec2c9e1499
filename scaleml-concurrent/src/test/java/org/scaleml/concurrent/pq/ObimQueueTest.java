package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link AbstractPriorityQueueTest} contract suite on {@code obim} with its defaults, with one priority per
 * bucket and one element per chunk (every insert published at once), and with small chunks over many buckets (so
 * handles' slot tables overflow and are recycled); plus OBIM-specific checks of the bucket order.
 */
class ObimQueueTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "obim";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }

    /** {@code delta=0,chunk=1}: buckets of one priority, nothing held back in push chunks. */
    @Nested
    class SingletonBucketsAndChunks extends AbstractPriorityQueueTest {
        @Override
        protected String spec() {
            return "obim:delta=0,chunk=1";
        }

        @Override
        protected boolean relaxed() {
            return true;
        }
    }

    /** {@code delta=2,chunk=3}: many buckets with few elements each, odd chunk size. */
    @Nested
    class ManySmallBuckets extends AbstractPriorityQueueTest {
        @Override
        protected String spec() {
            return "obim:delta=2,chunk=3";
        }

        @Override
        protected boolean relaxed() {
            return true;
        }
    }

    @Test
    void bucketsComeOutInIncreasingOrderFromOneHandle() {
        ConcurrentPriorityQueue q = TestQueues.create("obim:delta=4,chunk=8", 1);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < 2000; i++) {
                long p = ((i * 7919L) % 1000) - 500; // negatives included
                h.insert(p, i);
            }
            List<long[]> out = drain(h);
            assertThat(out).hasSize(2000);
            for (int i = 1; i < out.size(); i++) {
                assertThat(out.get(i)[0] >> 4).as("bucket of output %d", i).isGreaterThanOrEqualTo(out.get(i - 1)[0] >> 4);
            }
        }
    }

    @Test
    void negativePrioritiesMapToFloorBuckets() {
        ConcurrentPriorityQueue q = TestQueues.create("obim:delta=3,chunk=64", 1);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            h.insert(0, 0);   // bucket 0
            h.insert(-1, 1);  // bucket -1
            h.insert(-8, 2);  // bucket -1
            h.insert(-9, 3);  // bucket -2
            h.insert(7, 4);   // bucket 0
            List<Long> buckets = new ArrayList<>();
            while (h.tryDeleteMin()) {
                buckets.add(h.priority() >> 3);
            }
            assertThat(buckets).containsExactly(-2L, -1L, -1L, 0L, 0L);
        }
    }

    @Test
    void aLowerBucketInsertedByTheHandleIsServedBeforeTheRestOfItsChunk() {
        ConcurrentPriorityQueue q = TestQueues.create("obim:delta=0,chunk=64", 1);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < 64; i++) {
                h.insert(100, i); // a full chunk of bucket 100, published
            }
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.priority()).isEqualTo(100);
            h.insert(5, 1000);
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.priority()).isEqualTo(5);
            assertThat(drain(h)).hasSize(63);
        }
        assertThat(q.size()).isZero();
    }

    @Test
    void nameShowsTheParameters() {
        assertThat(TestQueues.create("obim", 2).name()).isEqualTo("obim(delta=10,chunk=64)");
        assertThat(TestQueues.create("obim:chunk=5,delta=0", 2).name()).isEqualTo("obim(delta=0,chunk=5)");
    }
}
