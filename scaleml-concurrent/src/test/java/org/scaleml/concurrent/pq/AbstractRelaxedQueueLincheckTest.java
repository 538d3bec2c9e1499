package org.scaleml.concurrent.pq;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No loss and no duplication for a relaxed {@link ConcurrentPriorityQueue}, under Lincheck's model checker (every
 * explored interleaving) and its stress strategy.
 *
 * <p><b>What is checked, and why this way.</b> A relaxed queue's correct behaviour is a <em>bag</em>: a
 * delete-min may return any present element, and, under concurrency, may also report empty while elements exist
 * (the contract lists when). A Lincheck sequential specification must be deterministic, so it cannot say "any
 * present element, or nothing". Instead of a weak specification that compares returned values, the bag
 * conditions are checked where they can be decided exactly:
 * <ol>
 *   <li><em>inside each operation</em>: every insert gets a unique id (its payload) and records its priority
 *       (a plain write, so the stress runs also check the contract's happens-before from insert to delete-min);
 *       every successful delete-min must return an id that was inserted, not returned before, with that id's
 *       priority. A violation throws, so the operation's result differs from the specification's (whose
 *       operations all return normally), and Lincheck reports the interleaving;</li>
 *   <li><em>at the quiescent point</em> ({@link Validate}): every handle is flushed, a fresh handle drains the
 *       queue, and every inserted id must have come out exactly once (returned during the run or drained); a
 *       false "empty" at this quiescent point shows as a missing id. The drained elements are then put back, so
 *       the check leaves the queue's contents as they were, wherever Lincheck calls it.</li>
 * </ol>
 * The specification {@link Bag} therefore only mirrors the operations; its value is that a thrown invariant
 * violation becomes a reported, minimized scenario. {@code flush} is an operation too, so flushing concurrently
 * with inserts and deletes is explored. Exactness (order) is not checked here: relaxed queues make no order
 * promise; rank error is measured by the quality tests.
 */
public abstract class AbstractRelaxedQueueLincheckTest {
    /** Enough for any scenario configured below (each actor inserts at most one element). */
    private static final int MAX_IDS = 256;

    private final ConcurrentPriorityQueue queue = TestQueues.create(spec(), 2);
    private final ConcurrentLinkedQueue<ConcurrentPriorityQueue.Handle> handles = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<ConcurrentPriorityQueue.Handle> handle = ThreadLocal.withInitial(() -> {
        ConcurrentPriorityQueue.Handle h = queue.register();
        handles.add(h);
        return h;
    });
    private final AtomicInteger nextId = new AtomicInteger();
    private final long[] priorityOf = new long[MAX_IDS];       // plain: published by the queue itself
    private final AtomicInteger[] returned = new AtomicInteger[MAX_IDS];

    {
        for (int i = 0; i < MAX_IDS; i++) {
            returned[i] = new AtomicInteger();
        }
    }

    /** Specification of the relaxed queue under test. */
    protected abstract String spec();

    @Operation
    public void insert(@Param(gen = IntGen.class, conf = "-3:3") int p) {
        long priority = AbstractExactQueueLincheckTest.toPriority(p);
        int id = nextId.getAndIncrement();
        priorityOf[id] = priority;
        handle.get().insert(priority, id);
    }

    @Operation
    public void deleteMin() {
        ConcurrentPriorityQueue.Handle h = handle.get();
        if (h.tryDeleteMin()) {
            check(h.priority(), h.payload(), "deleteMin");
            long id = h.payload();
            int times = returned[(int) id].incrementAndGet();
            if (times != 1) {
                throw new IllegalStateException("id " + id + " returned " + times + " times");
            }
        }
    }

    @Operation
    public void flush() {
        handle.get().flush();
    }

    private void check(long priority, long id, String where) {
        if (id < 0 || id >= nextId.get()) {
            throw new IllegalStateException(where + " returned id " + id + ", never inserted");
        }
        if (priorityOf[(int) id] != priority) {
            throw new IllegalStateException(where + " returned id " + id + " with priority " + priority
                    + ", inserted with " + priorityOf[(int) id]);
        }
    }

    @Validate
    public void everyInsertedElementComesOutExactlyOnceAfterFlushing() {
        for (ConcurrentPriorityQueue.Handle h : handles) {
            h.flush();
        }
        int n = nextId.get();
        long expectedSize = 0;
        for (int id = 0; id < n; id++) {
            expectedSize += returned[id].get() == 0 ? 1 : 0;
        }
        if (queue.size() != expectedSize) {
            throw new IllegalStateException("quiescent size() = " + queue.size() + ", expected " + expectedSize);
        }
        boolean[] drained = new boolean[n];
        ConcurrentPriorityQueue.Handle d = queue.register();
        while (d.tryDeleteMin()) {
            check(d.priority(), d.payload(), "drain");
            int id = (int) d.payload();
            if (drained[id] || returned[id].get() != 0) {
                throw new IllegalStateException("drain returned id " + id + " a second time");
            }
            drained[id] = true;
        }
        for (int id = 0; id < n; id++) {
            if (!drained[id] && returned[id].get() == 0) {
                throw new IllegalStateException("id " + id + " (priority " + priorityOf[id] + ") was lost: "
                        + "neither returned nor found by a drain after flushing every handle");
            }
        }
        for (int id = 0; id < n; id++) { // put back what was drained
            if (drained[id]) {
                d.insert(priorityOf[id], id);
            }
        }
        d.close();
    }

    /** The mirror specification (see the class comment): all operations return normally. */
    public static class Bag {
        public void insert(int p) {
        }

        public void deleteMin() {
        }

        public void flush() {
        }
    }

    @Test
    public void modelChecking() {
        new ModelCheckingOptions()
                .sequentialSpecification(Bag.class)
                .iterations(6)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(3)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    public void stress() {
        new StressOptions()
                .sequentialSpecification(Bag.class)
                .iterations(8)
                .invocationsPerIteration(250)
                .threads(3)
                .actorsPerThread(4)
                .actorsBefore(3)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    @Tag(AbstractPriorityQueueTest.STRESS)
    public void modelCheckingLarge() {
        new ModelCheckingOptions()
                .sequentialSpecification(Bag.class)
                .iterations(100)
                .invocationsPerIteration(5000)
                .threads(3)
                .actorsPerThread(5)
                .actorsBefore(4)
                .actorsAfter(3)
                .check(getClass());
    }

    @Test
    @Tag(AbstractPriorityQueueTest.STRESS)
    public void stressLarge() {
        new StressOptions()
                .sequentialSpecification(Bag.class)
                .iterations(200)
                .invocationsPerIteration(10_000)
                .threads(4)
                .actorsPerThread(8)
                .actorsBefore(4)
                .actorsAfter(4)
                .check(getClass());
    }
}
