package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Quick checks of {@link MultiQueue}: exact order with one heap, and no loss / no duplication under concurrency. */
class MultiQueueSmokeTest {

    /** Priority derived from the payload, so a mismatched (priority, payload) pair is detected. */
    private static long priorityOf(long payload, long salt) {
        long z = (payload + salt) * 0x9E3779B97F4A7C15L;
        z ^= z >>> 29;
        return (z >>> 44); // 20-bit priorities: many duplicates
    }

    @ParameterizedTest(name = "stick={0}")
    @MethodSource("stickinessValues")
    void oneHeapWithoutBuffersIsExact(int stick) {
        MultiQueue q = new MultiQueue(1, new MultiQueueConfig(1, 4, stick, 0, 0), 7);
        assertThat(q.heapCount()).isEqualTo(1);
        PriorityQueue<Long> ref = new PriorityQueue<>();
        SplittableRandom rnd = new SplittableRandom(1);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int step = 0; step < 200_000; step++) {
                if (rnd.nextInt(100) < 55) {
                    long p = rnd.nextLong(1000);
                    h.insert(p, step);
                    ref.add(p);
                } else {
                    Long expected = ref.poll();
                    boolean ok = h.tryDeleteMin();
                    assertThat(ok).isEqualTo(expected != null);
                    if (ok) {
                        assertThat(h.priority()).isEqualTo(expected.longValue());
                    }
                }
            }
            while (!ref.isEmpty()) {
                assertThat(h.tryDeleteMin()).isTrue();
                assertThat(h.priority()).isEqualTo(ref.poll().longValue());
            }
            assertThat(h.tryDeleteMin()).isFalse();
        }
    }

    static Stream<Integer> stickinessValues() {
        return Stream.of(1, 8);
    }

    static Stream<Arguments> configs() {
        List<Arguments> list = new ArrayList<>();
        for (int stick : new int[] {1, 8}) {
            for (int ibuf : new int[] {0, 16}) {
                for (int dbuf : new int[] {0, 16}) {
                    for (int threads : new int[] {2, 4}) {
                        list.add(Arguments.of(stick, ibuf, dbuf, threads));
                    }
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "stick={0} ibuf={1} dbuf={2} threads={3}")
    @MethodSource("configs")
    void concurrentNoLossNoDuplication(int stick, int ibuf, int dbuf, int threads) throws Exception {
        MultiQueue q = new MultiQueue(threads, new MultiQueueConfig(2, 4, stick, ibuf, dbuf), 42);
        final int perThread = 100_000;
        final long salt = 12345;
        ConcurrentPriorityQueue.Handle[] handles = new ConcurrentPriorityQueue.Handle[threads];
        for (int t = 0; t < threads; t++) {
            handles[t] = q.register();
        }
        // a few elements with the extreme priority Long.MAX_VALUE must come out too
        long extra = 5;
        long base = (long) threads * perThread;
        for (long k = 0; k < extra; k++) {
            handles[0].insert(Long.MAX_VALUE, base + k);
        }
        long[][] seen = new long[threads][];
        int[] seenCount = new int[threads];
        Throwable[] failure = new Throwable[1];
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            workers[t] = new Thread(() -> {
                try {
                    ConcurrentPriorityQueue.Handle h = handles[id];
                    SplittableRandom rnd = new SplittableRandom(id);
                    long[] mine = new long[(int) (base + extra)];
                    int m = 0;
                    int inserted = 0;
                    start.await();
                    while (inserted < perThread) {
                        if (rnd.nextBoolean()) {
                            long payload = (long) id * perThread + inserted++;
                            h.insert(priorityOf(payload, salt), payload);
                        } else if (h.tryDeleteMin()) {
                            long payload = h.payload();
                            long p = h.priority();
                            if (payload >= base ? p != Long.MAX_VALUE : p != priorityOf(payload, salt)) {
                                throw new AssertionError("pair mismatch: " + p + " / " + payload);
                            }
                            mine[m++] = payload;
                        }
                    }
                    seen[id] = mine;
                    seenCount[id] = m;
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        long total = base + extra;
        long deleted = 0;
        for (int c : seenCount) {
            deleted += c;
        }
        // quiescent: size() counts heaps plus handles' buffers
        assertThat(q.size()).isEqualTo(total - deleted);
        for (ConcurrentPriorityQueue.Handle h : handles) {
            h.flush();
        }
        assertThat(q.size()).isEqualTo(total - deleted);
        BitSet bits = new BitSet((int) total);
        for (int t = 0; t < threads; t++) {
            for (int k = 0; k < seenCount[t]; k++) {
                int p = (int) seen[t][k];
                assertThat(bits.get(p)).as("duplicate %d", p).isFalse();
                bits.set(p);
            }
        }
        try (ConcurrentPriorityQueue.Handle drain = q.register()) {
            while (drain.tryDeleteMin()) {
                int p = (int) drain.payload();
                assertThat(bits.get(p)).as("duplicate %d", p).isFalse();
                bits.set(p);
            }
        }
        assertThat(bits.cardinality()).isEqualTo((int) total);
        for (ConcurrentPriorityQueue.Handle h : handles) {
            assertThat(h.tryDeleteMin()).isFalse();
            h.close();
        }
        assertThat(q.size()).isZero();
    }

    @Test
    void insertBufferMinimumIsPreferred() {
        // one heap, big buffers: a deletion must see the handle's own smaller pending insert
        MultiQueue q = new MultiQueue(1, new MultiQueueConfig(1, 4, 4, 16, 16), 3);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < 100; i++) {
                h.insert(1000 + i, i);
            }
            h.insert(5, 999);
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.priority()).isEqualTo(5);
            assertThat(h.payload()).isEqualTo(999);
            assertThat(h.tryDeleteMin()).isTrue();
            h.insert(7, 998);
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.priority()).isEqualTo(7);
        }
    }

    @Test
    void emptyAndMaxValue() {
        for (MultiQueueConfig c : new MultiQueueConfig[] {MultiQueueConfig.CLASSIC, MultiQueueConfig.TEMPORAL_LOCALITY}) {
            MultiQueue q = new MultiQueue(4, c, 1);
            try (ConcurrentPriorityQueue.Handle h = q.register()) {
                assertThat(h.tryDeleteMin()).isFalse();
                h.insert(Long.MAX_VALUE, 17);
                h.flush();
                assertThat(q.size()).isEqualTo(1);
                assertThat(h.tryDeleteMin()).isTrue();
                assertThat(h.priority()).isEqualTo(Long.MAX_VALUE);
                assertThat(h.payload()).isEqualTo(17);
                assertThat(h.tryDeleteMin()).isFalse();
            }
        }
    }

    @Test
    void names() {
        assertThat(new MultiQueue(2, MultiQueueConfig.CLASSIC, 0).name()).isEqualTo("mq(c=2,d=4)");
        assertThat(new MultiQueue(2, MultiQueueConfig.TEMPORAL_LOCALITY, 0).name())
                .isEqualTo("mq(c=2,d=4,stick=8,ibuf=16,dbuf=16)");
        assertThat(new MultiQueue(2, new MultiQueueConfig(4, 8, 1, 0, 32), 0).name()).isEqualTo("mq(c=4,d=8,dbuf=32)");
        assertThat(PriorityQueues.create("mq-tl", 2, 0).isRelaxed()).isTrue();
    }
}
