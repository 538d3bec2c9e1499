package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quick checks of {@link StealingMultiQueue}: exactness with one handle, no loss or duplication, empty-path stealing,
 * the stealing buffer and the private buffer, idle owners, slot adoption.
 */
class StealingMultiQueueSmokeTest {

    @Test
    void nameAndFlags() {
        ConcurrentPriorityQueue q = new StealingMultiQueue(2, StealingConfig.DEFAULT, 1);
        assertThat(q.name()).isEqualTo("smq(d=4,psteal=0.125,batch=8)");
        assertThat(q.isRelaxed()).isTrue();
        assertThat(PriorityQueues.create("smq:psteal=1,batch=1,d=8", 2, 1).name())
                .isEqualTo("smq(d=8,psteal=1,batch=1)");
    }

    /** (a) With one slot the queue is an exact priority queue, whatever the stealing parameters. */
    @ParameterizedTest
    @MethodSource("configs")
    void oneSlotIsExact(double pSteal, int batch) {
        ConcurrentPriorityQueue q = new StealingMultiQueue(1, new StealingConfig(4, pSteal, batch), 7);
        ConcurrentPriorityQueue.Handle h = q.register();
        PriorityQueue<long[]> ref = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        SplittableRandom rnd = new SplittableRandom(42);
        for (int step = 0; step < 200_000; step++) {
            if (rnd.nextInt(100) < 55) {
                long p = rnd.nextLong(1000) == 0 ? Long.MAX_VALUE : rnd.nextLong(10_000);
                h.insert(p, step);
                ref.add(new long[] {p, step});
            } else {
                long[] e = ref.poll();
                boolean got = h.tryDeleteMin();
                assertThat(got).isEqualTo(e != null);
                if (e != null) {
                    assertThat(h.priority()).isEqualTo(e[0]);
                }
            }
            if (step % 10_000 == 0) {
                assertThat(q.size()).isEqualTo(ref.size());
            }
        }
        while (!ref.isEmpty()) {
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.priority()).isEqualTo(ref.poll()[0]);
        }
        assertThat(h.tryDeleteMin()).isFalse();
        assertThat(q.size()).isZero();
    }

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (double p : new double[] {0.0, 0.125, 1.0}) {
            for (int b : new int[] {1, 8}) {
                out.add(Arguments.of(p, b));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> concurrentConfigs() {
        List<Arguments> out = new ArrayList<>();
        for (int threads : new int[] {2, 3, 4}) {
            for (double p : new double[] {0.0, 0.125, 1.0}) {
                for (int b : new int[] {1, 8}) {
                    out.add(Arguments.of(threads, p, b));
                }
            }
        }
        return out.stream();
    }

    /** (b) Concurrent inserts and deletes of unique payloads: every payload comes out exactly once. */
    @ParameterizedTest
    @MethodSource("concurrentConfigs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentNoLossNoDuplication(int threads, double pSteal, int batch) throws Exception {
        runNoLossNoDuplication(threads, threads, pSteal, batch);
    }

    /** More handles than the threads hint: every handle still gets a slot of its own; correctness must hold. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sharedSlotsNoLossNoDuplication() throws Exception {
        runNoLossNoDuplication(2, 4, 0.125, 8);
        runNoLossNoDuplication(3, 4, 1.0, 1);
    }

    private static void runNoLossNoDuplication(int slots, int workers, double pSteal, int batch) throws Exception {
        final int perThread = 100_000;
        ConcurrentPriorityQueue q = new StealingMultiQueue(slots, new StealingConfig(4, pSteal, batch), 11);
        ConcurrentPriorityQueue.Handle[] handles = new ConcurrentPriorityQueue.Handle[workers];
        for (int t = 0; t < workers; t++) {
            handles[t] = q.register();
        }
        long[][] taken = new long[workers][];
        int[] takenCount = new int[workers];
        CyclicBarrier start = new CyclicBarrier(workers);
        AtomicBoolean failed = new AtomicBoolean();
        Thread[] ts = new Thread[workers];
        for (int t = 0; t < workers; t++) {
            final int id = t;
            ts[t] = new Thread(() -> {
                try {
                    ConcurrentPriorityQueue.Handle h = handles[id];
                    SplittableRandom rnd = new SplittableRandom(1000 + id);
                    long[] mine = new long[perThread];
                    int n = 0;
                    int inserted = 0;
                    start.await();
                    // Thread 0 inserts more and deletes less, so heaps get unbalanced and stealing happens.
                    int insertPercent = id == 0 ? 80 : 40;
                    while (inserted < perThread) {
                        if (rnd.nextInt(100) < insertPercent) {
                            h.insert(rnd.nextLong(1_000_000), (long) id * perThread + inserted++);
                        } else if (h.tryDeleteMin()) {
                            mine = ensure(mine, n);
                            mine[n++] = h.payload();
                        }
                    }
                    taken[id] = mine;
                    takenCount[id] = n;
                } catch (Throwable e) {
                    failed.set(true);
                    throw new RuntimeException(e);
                }
            });
            ts[t].start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(failed).isFalse();
        for (ConcurrentPriorityQueue.Handle h : handles) {
            h.close();
        }
        long total = (long) workers * perThread;
        long removed = 0;
        for (int c : takenCount) {
            removed += c;
        }
        assertThat(q.size()).isEqualTo(total - removed);

        BitSet seen = new BitSet((int) total);
        for (int t = 0; t < workers; t++) {
            for (int i = 0; i < takenCount[t]; i++) {
                int p = (int) taken[t][i];
                assertThat(seen.get(p)).as("payload %d returned twice", p).isFalse();
                seen.set(p);
            }
        }
        ConcurrentPriorityQueue.Handle drain = q.register();
        while (drain.tryDeleteMin()) {
            int p = (int) drain.payload();
            assertThat(seen.get(p)).as("payload %d returned twice", p).isFalse();
            seen.set(p);
        }
        drain.close();
        assertThat(seen.cardinality()).isEqualTo((int) total);
        assertThat(q.size()).isZero();
    }

    private static long[] ensure(long[] a, int n) {
        return n < a.length ? a : java.util.Arrays.copyOf(a, a.length * 2);
    }

    /** (c) pSteal = 0, one thread inserts everything: the other gets elements through the empty-heap path. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void consumerWithEmptyHeapStealsWithoutPSteal() throws Exception {
        final int n = 200_000;
        ConcurrentPriorityQueue q = new StealingMultiQueue(2, new StealingConfig(4, 0.0, 8), 3);
        ConcurrentPriorityQueue.Handle producer = q.register();
        ConcurrentPriorityQueue.Handle consumer = q.register();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong consumed = new AtomicLong();
        BitSet seen = new BitSet(n);
        Thread c = new Thread(() -> {
            while (true) {
                boolean finished = done.get(); // read before trying, so a false afterwards means really empty
                if (consumer.tryDeleteMin()) {
                    int p = (int) consumer.payload();
                    if (seen.get(p)) {
                        throw new AssertionError("duplicate " + p);
                    }
                    seen.set(p);
                    consumed.incrementAndGet();
                } else if (finished) {
                    break;
                }
            }
            consumer.close();
        });
        c.start();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            producer.insert(rnd.nextLong(), i);
        }
        producer.close();
        done.set(true);
        c.join();
        assertThat(consumed.get()).isEqualTo(n);
        assertThat(seen.cardinality()).isEqualTo(n);
        assertThat(q.size()).isZero();
    }

    /**
     * Quiescent: everything sits in handle a's slot (its stealing buffer and its heap), and a is not flushed; a
     * handle b with pSteal = 0 drains it all through the empty path (a's heap is reachable between a's
     * operations). a's buffer was filled by its first eight inserts, the worst ones here, and is taken first;
     * after that b takes sorted batches from a's heap, so the rest comes out in exact order.
     */
    @Test
    void quiescentDrainFromOtherSlot() {
        ConcurrentPriorityQueue q = new StealingMultiQueue(2, new StealingConfig(4, 0.0, 8), 9);
        ConcurrentPriorityQueue.Handle a = q.register();
        ConcurrentPriorityQueue.Handle b = q.register();
        for (int i = 0; i < 1000; i++) {
            a.insert(1000 - i, i);
        }
        BitSet seen = new BitSet(1000);
        long last = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            assertThat(b.tryDeleteMin()).isTrue();
            assertThat(b.payload()).isEqualTo(1000 - b.priority());
            assertThat(seen.get((int) b.payload())).isFalse();
            seen.set((int) b.payload());
            if (i > 8) { // outputs 0-7: the buffer; 8 on: sorted batches from the heap
                assertThat(b.priority()).isGreaterThanOrEqualTo(last);
            }
            last = b.priority();
        }
        assertThat(b.tryDeleteMin()).isFalse();
        assertThat(a.tryDeleteMin()).isFalse();
        assertThat(q.size()).isZero();
    }

    /**
     * A producer that inserts and then just stops (no flush, no close) while a consumer with an empty handle
     * keeps deleting: every element must reach the consumer, and once the producer has stopped the consumer must
     * never be told "empty" while elements remain (the producer's heap is reachable between its operations).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idleProducerHidesNothing() throws Exception {
        final int n = 100_000;
        ConcurrentPriorityQueue q = new StealingMultiQueue(2, StealingConfig.DEFAULT, 13);
        ConcurrentPriorityQueue.Handle producer = q.register();
        ConcurrentPriorityQueue.Handle consumer = q.register();
        AtomicBoolean produced = new AtomicBoolean();
        AtomicLong falseAfterProduced = new AtomicLong();
        BitSet seen = new BitSet(n);
        Thread c = new Thread(() -> {
            int got = 0;
            while (got < n) {
                boolean done = produced.get(); // read before trying: a false afterwards is a real "empty"
                if (consumer.tryDeleteMin()) {
                    int p = (int) consumer.payload();
                    if (seen.get(p)) {
                        throw new AssertionError("duplicate " + p);
                    }
                    seen.set(p);
                    got++;
                } else if (done) {
                    falseAfterProduced.incrementAndGet();
                    if (falseAfterProduced.get() > 1000) {
                        return; // would otherwise spin until the timeout
                    }
                }
            }
        });
        c.start();
        SplittableRandom rnd = new SplittableRandom(17);
        for (int i = 0; i < n; i++) {
            producer.insert(rnd.nextLong(1_000_000), i);
        }
        produced.set(true);
        c.join();
        assertThat(falseAfterProduced.get()).as("empty reported while the idle producer held elements").isZero();
        assertThat(seen.cardinality()).isEqualTo(n);
        assertThat(q.size()).isZero();
        producer.close();
        consumer.close();
    }

    /** close() leaves the elements reachable; register() adopts a closed slot instead of growing the registry. */
    @Test
    void closedSlotsAreAdoptedAndKeepTheirElements() {
        StealingMultiQueue q = new StealingMultiQueue(2, StealingConfig.DEFAULT, 5);
        ConcurrentPriorityQueue.Handle a = q.register();
        ConcurrentPriorityQueue.Handle b = q.register();
        for (int i = 0; i < 500; i++) {
            a.insert(i, i);
            b.insert(1000 + i, 1000 + i);
        }
        assertThat(a.tryDeleteMin()).isTrue();
        assertThat(a.priority()).isZero();
        a.close();
        b.close();
        assertThat(q.slotCount()).isEqualTo(2);
        ConcurrentPriorityQueue.Handle d = q.register(); // adopts a's or b's slot
        assertThat(q.slotCount()).isEqualTo(2);
        BitSet seen = new BitSet(1500);
        int n = 0;
        while (d.tryDeleteMin()) {
            assertThat(seen.get((int) d.payload())).isFalse();
            seen.set((int) d.payload());
            n++;
        }
        assertThat(n).isEqualTo(999);
        d.close();
        for (int i = 0; i < 100; i++) { // register/close cycles reuse slots
            q.register().close();
        }
        assertThat(q.slotCount()).isEqualTo(2);
        assertThat(q.size()).isZero();
    }

    /** Flush returns stolen-but-unreturned elements so that another handle can get them. */
    @Test
    void flushReturnsBufferedElements() {
        ConcurrentPriorityQueue q = new StealingMultiQueue(2, new StealingConfig(4, 0.0, 8), 9);
        ConcurrentPriorityQueue.Handle a = q.register();
        ConcurrentPriorityQueue.Handle b = q.register();
        for (int i = 0; i < 8; i++) {
            a.insert(i, i);
        }
        assertThat(b.tryDeleteMin()).isTrue(); // steals all 8, returns priority 0, buffers 7
        assertThat(b.priority()).isZero();
        assertThat(q.size()).isEqualTo(7);
        assertThat(a.tryDeleteMin()).isFalse(); // nothing visible: all 7 sit in b's buffer
        b.flush();
        for (int i = 1; i < 8; i++) {
            assertThat(a.tryDeleteMin()).isTrue();
            assertThat(a.priority()).isEqualTo(i);
        }
        assertThat(a.tryDeleteMin()).isFalse();
        assertThat(q.size()).isZero();
    }

    /** The steal buffer is served only while better than the own heap's top. */
    @Test
    void bufferAndOwnHeapAreMerged() {
        ConcurrentPriorityQueue q = new StealingMultiQueue(2, new StealingConfig(4, 0.0, 8), 9);
        ConcurrentPriorityQueue.Handle a = q.register();
        ConcurrentPriorityQueue.Handle b = q.register();
        for (int i = 0; i < 8; i++) {
            a.insert(10 * i, i);
        }
        assertThat(b.tryDeleteMin()).isTrue(); // 0; buffer holds 10..70
        b.insert(25, 100);
        b.insert(5, 101);
        long[] expected = {5, 10, 20, 25, 30, 40, 50, 60, 70};
        for (long e : expected) {
            assertThat(b.tryDeleteMin()).isTrue();
            assertThat(b.priority()).isEqualTo(e);
        }
        assertThat(b.tryDeleteMin()).isFalse();
    }
}
