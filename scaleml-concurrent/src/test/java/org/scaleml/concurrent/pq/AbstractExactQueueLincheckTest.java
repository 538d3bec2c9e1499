package org.scaleml.concurrent.pq;

import java.util.PriorityQueue;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of an exact {@link ConcurrentPriorityQueue} against a sequential {@link PriorityQueue} model,
 * with Lincheck's model checker and its stress strategy.
 *
 * <p>Equal priorities make the returned payload ambiguous, so {@code deleteMin} returns only the priority; the
 * payload is derived from the priority ({@link TestQueues#payloadOf}) and checked inside the operation, which
 * throws (and so differs from the model) if a payload comes back with the wrong priority. Priorities range over
 * a handful of values so that duplicates are common, and the generated ends of the range stand for
 * {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}. Each Lincheck thread uses its own handle (a
 * {@link ThreadLocal}, fresh for every test instance, i.e. every invocation).
 *
 * <p>The default configurations are small so that each test takes seconds; the larger ones carry the
 * {@code stress} tag.
 */
public abstract class AbstractExactQueueLincheckTest {
    private final ConcurrentPriorityQueue queue = TestQueues.create(spec(), 2);
    private final ThreadLocal<ConcurrentPriorityQueue.Handle> handle = ThreadLocal.withInitial(queue::register);

    /** Specification of the exact queue under test. */
    protected abstract String spec();

    /** Generated values -3..3 become priorities; the ends are the extreme longs. */
    static long toPriority(int p) {
        return p == -3 ? Long.MIN_VALUE : p == 3 ? Long.MAX_VALUE : p;
    }

    @Operation
    public void insert(@Param(gen = IntGen.class, conf = "-3:3") int p) {
        long priority = toPriority(p);
        handle.get().insert(priority, TestQueues.payloadOf(priority));
    }

    @Operation
    public Long deleteMin() {
        ConcurrentPriorityQueue.Handle h = handle.get();
        if (!h.tryDeleteMin()) {
            return null;
        }
        if (h.payload() != TestQueues.payloadOf(h.priority())) {
            throw new IllegalStateException("payload " + h.payload() + " returned with priority " + h.priority());
        }
        return h.priority();
    }

    /** The sequential specification: a {@link PriorityQueue} of priorities. */
    public static class Model {
        private final PriorityQueue<Long> q = new PriorityQueue<>();

        public void insert(int p) {
            q.add(toPriority(p));
        }

        public Long deleteMin() {
            return q.poll();
        }
    }

    @Test
    public void modelChecking() {
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                .iterations(6)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    public void stress() {
        new StressOptions()
                .sequentialSpecification(Model.class)
                .iterations(8)
                .invocationsPerIteration(250)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    @Tag(AbstractPriorityQueueTest.STRESS)
    public void modelCheckingLarge() {
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                .iterations(100)
                .invocationsPerIteration(5000)
                .threads(3)
                .actorsPerThread(4)
                .actorsBefore(3)
                .actorsAfter(3)
                .check(getClass());
    }

    @Test
    @Tag(AbstractPriorityQueueTest.STRESS)
    public void stressLarge() {
        new StressOptions()
                .sequentialSpecification(Model.class)
                .iterations(200)
                .invocationsPerIteration(10_000)
                .threads(4)
                .actorsPerThread(5)
                .check(getClass());
    }
}
