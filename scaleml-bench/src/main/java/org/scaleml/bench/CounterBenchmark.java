package org.scaleml.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.scaleml.concurrent.counter.ApproximateCounter;
import org.scaleml.concurrent.counter.ApproximateCounters;

/**
 * Increment throughput and read cost of every {@link ApproximateCounter}: {@code AtomicLong}, {@code LongAdder} and
 * the MultiCounter (default m = 4 x threads, and a fixed m = 16). {@link #incrementOneThread} and
 * {@link #incrementTwoThreads} measure increments per second (all threads); the group {@code readWhileIncrementing}
 * runs one reader against one incrementer and reports both (the read score is reads per microsecond: its inverse is
 * the read cost under contention); {@link #readAlone} is a read on a quiescent counter. The error of reads is not a
 * time: {@code scaleml bench counter} reports it, and {@code MultiCounterTest} checks it against the bound.
 *
 * <p>Run (about 6 minutes on 2 cores):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar CounterBenchmark
 * }</pre>
 * Variants: {@code -p impl=atomic,multi}, {@code -f 3} for more forks, {@code -rf json -rff counter.json}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class CounterBenchmark {

    /** The counter, shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class CounterState {
        /** Counter specification, as accepted by {@link ApproximateCounters#create}. */
        @Param({"atomic", "adder", "multi", "multi:m=16"})
        public String impl;

        ApproximateCounter counter;

        @Setup(Level.Trial)
        public void create(BenchmarkParams params) {
            counter = ApproximateCounters.create(impl, params.getThreads());
            for (int i = 0; i < 1_000_000; i++) {
                counter.increment(); // reads then see a realistic, non-zero count
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void incrementOneThread(CounterState s) {
        s.counter.increment();
    }

    @Benchmark
    @Threads(2)
    public void incrementTwoThreads(CounterState s) {
        s.counter.increment();
    }

    @Benchmark
    @Threads(1)
    public long readAlone(CounterState s) {
        return s.counter.read();
    }

    @Benchmark
    @Group("readWhileIncrementing")
    @GroupThreads(1)
    public long reader(CounterState s) {
        return s.counter.read();
    }

    @Benchmark
    @Group("readWhileIncrementing")
    @GroupThreads(1)
    public void incrementer(CounterState s) {
        s.counter.increment();
    }
}
