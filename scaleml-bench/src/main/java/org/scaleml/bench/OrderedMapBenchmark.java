package org.scaleml.bench;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.scaleml.comm.codec.CodecSpec;
import org.scaleml.concurrent.map.ConcurrentLongMap;
import org.scaleml.concurrent.map.LongMaps;
import org.scaleml.concurrent.map.MapWorkload;

/**
 * Throughput of the concurrent ordered maps ({@link LongMaps}) against {@code ConcurrentSkipListMap<Long,Long>}
 * ({@code skiplist}) and a locked primitive AVL tree ({@code locked-tree}): implementation x key distribution x
 * operation mix x size, at 1 and 2 threads. The workload is {@link MapWorkload}, the same as
 * {@code scaleml bench map}: a map prefilled with {@code keys} keys (a random half of the universe
 * {@code [0, 2 keys)}), then every thread applies its own precomputed stream of get/put/remove operations whose
 * keys follow the distribution ({@code uniform} or {@code zipf:0.99}); the score is operations per second, all
 * threads together, 1024 operations per invocation. Each trial prints its map's heap growth per key
 * ({@code # ... bytes per key}). {@code tree-seq} (not thread-safe) runs at 1 thread only: its 2-thread trials
 * fail in set-up by design.
 *
 * <p>Run (about 40 minutes for the defaults on 2 cores, most of it prefilling the 10M-key maps):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar OrderedMapBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar OrderedMapBenchmark.twoThreads -p impl=cist,skiplist \
 *     -p dist=uniform -p mix=90-5-5 -p keys=1M,10M
 * java -jar scaleml-bench/target/benchmarks.jar OrderedMapBenchmark -p keys=64K -f 1 -wi 1 -i 1 -w 200ms -r 200ms
 * }</pre>
 * Sizes take K/M suffixes (powers of 1024); other specifications: {@code -p impl=cist:leaf=8} (JMH splits
 * {@code -p} values at commas, so a specification with several options must be added to the {@code @Param}
 * list instead); {@code -rf json -rff map.json} for machine-readable results.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@State(Scope.Benchmark)
public class OrderedMapBenchmark {
    /** Operations per benchmark invocation. */
    static final int BATCH = 1024;

    /** Map specification, as accepted by {@link LongMaps#create}. */
    @Param({"cist", "splay", "skiplist", "locked-tree"})
    public String impl;

    /** {@code uniform} or {@code zipf:S}. */
    @Param({"uniform", "zipf:0.99"})
    public String dist;

    /** Percentages of get, put and remove. */
    @Param({"90-5-5", "50-25-25"})
    public String mix;

    /** Keys prefilled (K/M suffixes allowed). */
    @Param({"1M", "10M"})
    public String keys;

    ConcurrentLongMap map;
    MapWorkload workload;

    /** Creates and prefills the map (for each trial: 1- and 2-thread trials never share a map). */
    @Setup(Level.Trial)
    public void prefill(BenchmarkParams params) throws InterruptedException {
        if (params.getThreads() > 1 && !LongMaps.isThreadSafe(impl)) {
            throw new IllegalStateException(impl + " is not thread-safe: it runs at 1 thread only");
        }
        workload = MapWorkload.of(dist, mix, CodecSpec.parseCount(keys));
        long before = MapWorkload.usedHeapAfterGc();
        map = LongMaps.create(impl);
        workload.prefill(map, LongMaps.isThreadSafe(impl) ? 2 : 1);
        long after = MapWorkload.usedHeapAfterGc();
        System.out.printf("%n# %s, %s: %,d keys, %.1f bytes per key%n", map.spec(), workload, map.size(),
                (after - before) / (double) workload.keys());
    }

    /** One thread's operation stream and its position in it. */
    @State(Scope.Thread)
    public static class Stream {
        long[] ops;
        int position;

        @Setup(Level.Trial)
        public void generate(OrderedMapBenchmark b, ThreadParams t) {
            ops = b.workload.operations(t.getThreadIndex(), MapWorkload.STREAM_LENGTH);
        }

        long next(ConcurrentLongMap map) {
            int from = position;
            position = from + BATCH == ops.length ? 0 : from + BATCH;
            return MapWorkload.execute(map, ops, from, from + BATCH);
        }
    }

    /** {@value #BATCH} operations on one thread. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long oneThread(Stream s) {
        return s.next(map);
    }

    /** {@value #BATCH} operations on each of two threads. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public long twoThreads(Stream s) {
        return s.next(map);
    }
}
