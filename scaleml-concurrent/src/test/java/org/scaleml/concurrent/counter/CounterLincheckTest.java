package org.scaleml.concurrent.counter;

import java.util.List;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linearizability of {@code increment} and the exact {@code sum} of every counter against a sequential counter,
 * with Lincheck's model checker and its stress strategy. For an increment-only counter, adding the counters one by
 * one is linearizable: every counter only grows by one at a time, so the collected sum lies between the counts at
 * the start and the end of the call and every value in between was the count at some instant. {@code read} is
 * relaxed for the MultiCounter and is checked statistically instead ({@link MultiCounterTest}).
 */
public class CounterLincheckTest {
    /** The counter the next {@link Target} instances are built from (Lincheck builds one per invocation). */
    static volatile String spec = "multi";

    static List<String> specs() {
        return List.of("atomic", "adder", "multi:m=1", "multi:m=3");
    }

    /** The counter under test, as Lincheck drives it. */
    public static class Target {
        private final ApproximateCounter counter = ApproximateCounters.create(spec, 2);

        @Operation
        public void increment() {
            counter.increment();
        }

        @Operation
        public long sum() {
            return counter.sum();
        }
    }

    /** The sequential specification. */
    public static class Model {
        private long count;

        public void increment() {
            count++;
        }

        public long sum() {
            return count;
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    public void modelChecking(String counter) {
        spec = counter;
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                .iterations(5)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .check(Target.class);
    }

    @ParameterizedTest
    @MethodSource("specs")
    public void stress(String counter) {
        spec = counter;
        new StressOptions()
                .sequentialSpecification(Model.class)
                .iterations(5)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .check(Target.class);
    }
}
