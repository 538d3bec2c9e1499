package org.scaleml.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;
import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;
import org.scaleml.concurrent.pq.PriorityQueues;

/**
 * Throughput of every {@link ConcurrentPriorityQueue} implementation under the alternating "hold" workload of
 * schedulers: each thread repeatedly inserts an element and then deletes the (near-)minimum, on a queue
 * prefilled with {@code prefill} (default 1,000,000) elements with priorities uniform in {@code [0, 2^24)}; a new
 * element's priority is the priority the thread last deleted plus a uniform value in {@code [1, 2^24]} (the
 * same workload as {@code scaleml bench pq}). The queue size therefore
 * stays constant, and half of all operations are inserts and half delete-mins. Scores are operations (inserts plus
 * delete-mins) per microsecond, summed over threads.
 *
 * <p>{@link #oneThread} and {@link #twoThreads} run the same workload at 1 and 2 threads; each queue is built for
 * the thread count of its run (a MultiQueue with {@code c} queues per thread has {@code c·T} heaps). Each thread
 * inserts its share of the prefill through its own handle, so that queues with per-thread heaps (the stealing
 * MultiQueue) start balanced. Seeds are fixed: the queue's seed is {@link #SEED} and thread {@code i} draws
 * priorities from {@code SplittableRandom(SEED + i)}.
 *
 * <p>Run every implementation at 1 and 2 threads (about 3 minutes on 2 cores):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar PriorityQueueBenchmark
 * }</pre>
 * Variants: {@code -p impl=mq,smq:psteal=0.25} for other queue specifications (see {@link PriorityQueues}),
 * {@code -p prefill=100000}, {@code -f 3} for more forks, {@code -rf json -rff pq.json} for machine-readable
 * results, {@code -l} to list the benchmarks.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PriorityQueueBenchmark {

    /** Seed of every queue and base seed of the per-thread priority generators. */
    public static final long SEED = 0x5CA1E5EEDL;

    /** Width of the priority window of the workload. */
    public static final int SPREAD = 1 << 24;

    /** The shared queue, built and prefilled once per trial (fork and parameter combination). */
    @State(Scope.Benchmark)
    public static class QueueState {
        /** Queue specification, as accepted by {@link PriorityQueues#create}. */
        @Param({"heap", "skiplist", "pbq", "mq", "mq-tl", "smq", "obim"})
        public String impl;

        /** Number of elements in the queue before measurement; the workload keeps it constant. */
        @Param({"1000000"})
        public int prefill;

        ConcurrentPriorityQueue queue;
        int threads;

        @Setup(Level.Trial)
        public void create(BenchmarkParams params) {
            threads = params.getThreads();
            queue = PriorityQueues.create(impl, threads, SEED);
        }

        @TearDown(Level.Trial)
        public void drop() {
            queue = null;
        }
    }

    /** One thread's handle and priority generator. */
    @State(Scope.Thread)
    public static class ThreadState {
        ConcurrentPriorityQueue.Handle handle;
        SplittableRandom random;
        long payload;
        long lastDeleted;

        @Setup(Level.Trial)
        public void register(QueueState q, ThreadParams thread) {
            int index = thread.getThreadIndex();
            random = new SplittableRandom(SEED + index);
            handle = q.queue.register();
            // Thread i inserts elements i, i + T, i + 2T, ... of the prefill, so the shares add up exactly.
            for (int k = index; k < q.prefill; k += q.threads) {
                handle.insert(random.nextInt(SPREAD), payload++);
            }
            handle.flush();
        }

        @TearDown(Level.Trial)
        public void close() {
            handle.close();
        }
    }

    /** One insert and one delete-min (two operations) on one thread. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(2)
    public void oneThread(ThreadState t, Blackhole bh) {
        insertThenDeleteMin(t, bh);
    }

    /** One insert and one delete-min (two operations) on each of two threads. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(2)
    public void twoThreads(ThreadState t, Blackhole bh) {
        insertThenDeleteMin(t, bh);
    }

    private static void insertThenDeleteMin(ThreadState t, Blackhole bh) {
        ConcurrentPriorityQueue.Handle h = t.handle;
        h.insert(t.lastDeleted + 1 + t.random.nextInt(SPREAD), t.payload++);
        if (h.tryDeleteMin()) {
            t.lastDeleted = h.priority();
            bh.consume(h.payload());
        } else {
            bh.consume(-1L);
        }
    }
}
