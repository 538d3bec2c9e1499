package org.scaleml.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

import org.scaleml.cli.graph.GraphInput;
import org.scaleml.concurrent.uf.ConcurrentUnionFind;
import org.scaleml.concurrent.uf.UnionFinds;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphFormat;

/**
 * The measurement behind {@code scaleml bench uf}: the time of one pass of {@code union} over every edge of a
 * workload on a fresh union-find, split in contiguous blocks between the threads (the JMH
 * {@code UnionFindBenchmark} measures the same). {@code warmups} unmeasured passes (for the JIT), then
 * {@code repeats} measured ones, each on a fresh structure; throughput is edges per second of wall time, and the
 * median is reported.
 */
public final class UfBench {
    private UfBench() {
    }

    /** Seed of the random workload and of the structures' random priorities. */
    public static final long SEED = 42;

    /**
     * The unions to run: {@code ends[2i]} with {@code ends[2i+1]} over {@code elements} elements.
     *
     * @param label as the user wrote it, e.g. {@code random:1000000} or {@code graph:road/NY.gr.gz}
     */
    public record Workload(String label, int elements, int[] ends) {
        public int edges() {
            return ends.length / 2;
        }

        /** {@code n} elements and {@code n} pairs drawn uniformly with a fixed seed. */
        public static Workload random(String label, int n) {
            SplittableRandom random = new SplittableRandom(SEED);
            int[] ends = new int[2 * n];
            for (int i = 0; i < ends.length; i++) {
                ends[i] = random.nextInt(n);
            }
            return new Workload(label, n, ends);
        }

        /** The edges of a graph file: each undirected edge once, every arc of a directed graph. */
        public static Workload graph(String label, Path file) throws IOException {
            CsrGraph g = GraphInput.load(file, GraphFormat.fromName("auto"), true, null).graph();
            return new Workload(label, g.nodes(), g.edgeEndpoints());
        }
    }

    /**
     * One variant's figures.
     *
     * @param threads       threads used (1 for {@code uf-seq} whatever was asked: it is not thread-safe)
     * @param opsPerSecRuns unions per second of every measured pass, in run order
     * @param opsPerSec     median of {@code opsPerSecRuns}
     * @param merges        unions that merged two sets (the same in every pass: the number of edges minus the
     *                      cycles they close)
     */
    public record Result(String impl, String workload, int elements, int edges, int threads, double[] opsPerSecRuns,
                         double opsPerSec, long merges) {
        public Result {
            opsPerSecRuns = opsPerSecRuns.clone();
        }

        @Override
        public double[] opsPerSecRuns() {
            return opsPerSecRuns.clone();
        }
    }

    /** Measures one specification (already validated) on the workload. */
    public static Result run(String spec, Workload w, int threads, int warmups, int repeats)
            throws InterruptedException {
        int t = UnionFinds.isThreadSafe(spec) ? threads : 1;
        for (int i = 0; i < warmups; i++) {
            pass(spec, w, t);
        }
        double[] runs = new double[repeats];
        long merges = 0;
        for (int r = 0; r < repeats; r++) {
            long[] timing = pass(spec, w, t);
            runs[r] = w.edges() * 1e9 / Math.max(timing[0], 1);
            merges = timing[1];
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Result(spec, w.label(), w.elements(), w.edges(), t, runs, median, merges);
    }

    /** One timed pass on a fresh structure: {nanoseconds, merges}. */
    private static long[] pass(String spec, Workload w, int threads) throws InterruptedException {
        ConcurrentUnionFind uf = UnionFinds.create(spec, w.elements(), SEED);
        int[] ends = w.ends();
        int edges = w.edges();
        long[] merged = new long[threads];
        long[] start = new long[1];
        CyclicBarrier go = new CyclicBarrier(threads, () -> start[0] = System.nanoTime());
        List<Thread> workers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread worker = new Thread(() -> {
                int from = (int) ((long) edges * id / threads);
                int to = (int) ((long) edges * (id + 1) / threads);
                try {
                    go.await();
                } catch (Exception e) {
                    return;
                }
                long m = 0;
                for (int e = from; e < to; e++) {
                    if (uf.union(ends[2 * e], ends[2 * e + 1])) {
                        m++;
                    }
                }
                merged[id] = m;
            }, "bench-uf-" + i);
            worker.setUncaughtExceptionHandler((th, ex) -> failure[0] = ex);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long nanos = System.nanoTime() - start[0];
        if (failure[0] != null) {
            throw new IllegalStateException("a union-find worker failed", failure[0]);
        }
        return new long[]{nanos, Arrays.stream(merged).sum()};
    }
}
