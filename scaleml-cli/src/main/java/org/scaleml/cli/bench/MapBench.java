package org.scaleml.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

import org.scaleml.concurrent.map.ConcurrentLongMap;
import org.scaleml.concurrent.map.LongMaps;
import org.scaleml.concurrent.map.MapWorkload;

/**
 * The measurement behind {@code scaleml bench map}: throughput of a {@link MapWorkload} (key distribution x
 * operation mix) on a prefilled {@link ConcurrentLongMap}, the same workload and operation loop as the JMH
 * {@code OrderedMapBenchmark}. For each implementation, key count and distribution one map is created and
 * prefilled (its heap growth, after garbage collection, divided by the keys is the memory per key); then every mix
 * and thread count runs on it in turn: {@code warmups} unmeasured runs, then {@code repeats} measured runs of
 * {@code seconds} each, every thread looping over its own precomputed operation stream; the median is reported.
 */
public final class MapBench {
    private MapBench() {
    }

    /** Operations between two checks of the clock (and the unit of counting). */
    static final int CHUNK = 1024;

    /** What to run for every implementation. */
    public record Settings(List<String> dists, List<String> mixes, List<Long> keys, List<Integer> threads,
                           double seconds, int warmups, int repeats) {
        public Settings {
            dists = List.copyOf(dists);
            mixes = List.copyOf(mixes);
            keys = List.copyOf(keys);
            threads = List.copyOf(threads);
        }

        /** Runs per implementation (for progress): one per distribution, mix, key count and thread count. */
        public long runsPer(String impl) {
            long t = LongMaps.isThreadSafe(impl) ? threads.size() : threads.contains(1) ? 1 : 0;
            return (long) dists.size() * mixes.size() * keys.size() * t;
        }
    }

    /**
     * One measured configuration.
     *
     * @param opsPerSecRuns operations per second, all threads, of every measured run in order
     * @param opsPerSec     median of {@code opsPerSecRuns}
     * @param bytesPerKey   heap growth of creating and prefilling the map, per prefilled key
     * @param size          the map's size after the runs
     */
    public record Result(String impl, String dist, String mix, long keys, int threads, double[] opsPerSecRuns,
                         double opsPerSec, double bytesPerKey, long size) {
        public Result {
            opsPerSecRuns = opsPerSecRuns.clone();
        }

        @Override
        public double[] opsPerSecRuns() {
            return opsPerSecRuns.clone();
        }
    }

    /** Receives each result as soon as it is known. */
    public interface Sink {
        void accept(Result r);
    }

    /**
     * Measures one (valid) implementation specification over every configuration of the settings. A map that is
     * not thread-safe runs only the 1-thread configurations.
     */
    public static void run(String impl, Settings s, PqBench.Progress progress, Sink sink) throws InterruptedException {
        boolean threadSafe = LongMaps.isThreadSafe(impl);
        for (long keys : s.keys()) {
            for (String dist : s.dists()) {
                progress.phase(impl, dist + " " + keys + " keys: prefill");
                long before = MapWorkload.usedHeapAfterGc();
                ConcurrentLongMap map = LongMaps.create(impl);
                MapWorkload.of(dist, s.mixes().get(0), keys).prefill(map, threadSafe ? 2 : 1);
                double bytesPerKey = (MapWorkload.usedHeapAfterGc() - before) / (double) keys;
                for (String mix : s.mixes()) {
                    MapWorkload w = MapWorkload.of(dist, mix, keys);
                    for (int threads : s.threads()) {
                        if (threads > 1 && !threadSafe) {
                            continue;
                        }
                        progress.phase(impl, w + ", " + threads + " thread(s)");
                        long[][] ops = new long[threads][];
                        for (int t = 0; t < threads; t++) {
                            ops[t] = w.operations(t, MapWorkload.STREAM_LENGTH);
                        }
                        int[] positions = new int[threads];
                        for (int i = 0; i < s.warmups(); i++) {
                            timedRun(map, ops, positions, s.seconds());
                        }
                        double[] runs = new double[s.repeats()];
                        for (int i = 0; i < runs.length; i++) {
                            runs[i] = timedRun(map, ops, positions, s.seconds());
                        }
                        progress.done();
                        sink.accept(new Result(impl, w.dist(), w.mix(), keys, threads, runs, PqBench.median(runs),
                                bytesPerKey, map.size()));
                    }
                }
            }
        }
    }

    /**
     * One run: every thread applies its stream (continuing where its last run stopped) in chunks until
     * {@code seconds} have passed; returns operations per second of wall time, all threads.
     */
    static double timedRun(ConcurrentLongMap map, long[][] ops, int[] positions, double seconds)
            throws InterruptedException {
        int threads = ops.length;
        AtomicBoolean stop = new AtomicBoolean();
        long[] done = new long[threads];
        long[] sums = new long[threads];
        long[] start = new long[1];
        CyclicBarrier go = new CyclicBarrier(threads + 1, () -> start[0] = System.nanoTime());
        Throwable[] failure = new Throwable[1];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread worker = new Thread(() -> {
                long[] stream = ops[id];
                int pos = positions[id];
                long n = 0;
                long sum = 0;
                try {
                    go.await();
                } catch (Exception e) {
                    return;
                }
                while (!stop.get()) {
                    sum += MapWorkload.execute(map, stream, pos, pos + CHUNK);
                    pos += CHUNK;
                    if (pos >= stream.length) {
                        pos = 0;
                    }
                    n += CHUNK;
                }
                positions[id] = pos;
                done[id] = n;
                sums[id] = sum;
            }, "bench-map-" + i);
            worker.setUncaughtExceptionHandler((th, ex) -> failure[0] = ex);
            workers.add(worker);
            worker.start();
        }
        try {
            go.await();
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("a map worker failed to start", e);
        }
        Thread.sleep(Math.max(1, Math.round(seconds * 1000)));
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        long nanos = System.nanoTime() - start[0];
        if (failure[0] != null) {
            throw new IllegalStateException("a map worker failed", failure[0]);
        }
        long total = 0;
        for (long n : done) {
            total += n;
        }
        blackhole = java.util.Arrays.stream(sums).sum();
        return total * 1e9 / nanos;
    }

    /** Keeps the checksums alive, so that the JIT cannot drop the map calls. */
    @SuppressWarnings("unused")
    private static volatile long blackhole;
}
