package org.scaleml.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;
import org.scaleml.concurrent.uf.ConcurrentUnionFind;
import org.scaleml.concurrent.uf.UnionFinds;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphReader;

/**
 * Time of one pass of {@code union} over every edge of a workload on a fresh union-find, for every
 * {@link ConcurrentUnionFind} variant, at 1 and 2 threads: the kernel of connected components. Each measured
 * iteration builds a new structure (not timed), then every thread unions its contiguous share of the edge list
 * (thread i of T takes the i-th of T equal blocks) in file order. The score is milliseconds per pass (JMH's
 * single-shot mode: one call per thread per iteration, so the structure is never reused half-merged);
 * operations per second are {@code edges / score}, with the edge counts printed in the set-up line of each
 * trial ({@code # workload ...}).
 *
 * <p>Workloads ({@code workload}): {@code random:N}, N elements and N union pairs drawn uniformly with a fixed
 * seed; {@code ny} and {@code fla}, the New York (DIMACS, 264k nodes, 367k edges) and Florida (PACE 2016, 1.07M
 * nodes, 1.34M edges) road networks; {@code wiki-vote} (SNAP, 7k nodes, 104k edges). Graph files come from
 * {@code ../shared/data} (run from the repository root) or the directory in {@code -Dscaleml.data=DIR}; an
 * undirected graph contributes each edge once, a directed one every arc. {@code uf-seq} is not thread-safe: its
 * two-thread trials fail in set-up by design (JMH reports them and goes on).
 *
 * <p>Run (about 8 minutes on 2 cores):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar UnionFindBenchmark
 * }</pre>
 * Variants: {@code -p impl=uf-seq,uf:link=rank} (see {@link UnionFinds}; JMH splits {@code -p} values at commas,
 * so a specification with several options must be added to the {@code @Param} list instead), {@code -p workload=fla},
 * {@code -f 3} for more forks, {@code -rf json -rff uf.json} for machine-readable results.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class UnionFindBenchmark {

    /** Seed of the random workload and of every structure's random priorities. */
    public static final long SEED = 0x5CA1E5EEDL;

    /** The workload's edges, read once per trial, and the structure, fresh for every iteration. */
    @State(Scope.Benchmark)
    public static class Workload {
        /** Union-find specification, as accepted by {@link UnionFinds#create}. */
        @Param({"uf-seq", "uf-lock", "uf-lock:stripes=64", "uf", "uf:link=rank", "uf:compact=splitting",
                "uf:compact=compression", "uf:write=plain", "uf:early=true", "uf:immediate=true"})
        public String impl;

        /** {@code random:N}, {@code ny}, {@code fla} or {@code wiki-vote}. */
        @Param({"random:1000000", "ny", "fla", "wiki-vote"})
        public String workload;

        int elements;
        /** Edge i joins {@code ends[2i]} and {@code ends[2i+1]}. */
        int[] ends;
        int threads;
        ConcurrentUnionFind uf;

        @Setup(Level.Trial)
        public void load(BenchmarkParams params) throws IOException {
            threads = params.getThreads();
            if (threads > 1 && !UnionFinds.isThreadSafe(impl)) {
                throw new IllegalStateException(impl + " is not thread-safe: it runs at 1 thread only");
            }
            if (workload.startsWith("random:")) {
                elements = Integer.parseInt(workload.substring("random:".length()));
                SplittableRandom random = new SplittableRandom(SEED);
                ends = new int[2 * elements];
                for (int i = 0; i < ends.length; i++) {
                    ends[i] = random.nextInt(elements);
                }
            } else {
                CsrGraph g = GraphReader.read(dataFile(workload));
                elements = g.nodes();
                ends = g.edgeEndpoints();
            }
            System.out.printf("%n# workload %s: %d elements, %d edges%n", workload, elements, ends.length / 2);
        }

        @Setup(Level.Iteration)
        public void fresh() {
            uf = UnionFinds.create(impl, elements, SEED);
        }
    }

    static Path dataFile(String name) throws IOException {
        Path dir = Path.of(System.getProperty("scaleml.data", "../shared/data"));
        Path file = switch (name) {
            case "ny" -> dir.resolve("road/USA-road-d.NY.gr.gz");
            case "fla" -> dir.resolve("road/pace2016-FLA.gr.xz");
            case "wiki-vote" -> dir.resolve("snap/wiki-Vote.txt.gz");
            default -> throw new IllegalArgumentException("unknown workload '" + name
                    + "'; expected random:N, ny, fla or wiki-vote");
        };
        if (!Files.isRegularFile(file)) {
            throw new IOException("graph " + file.toAbsolutePath() + " not found: run from the repository root with "
                    + "../shared/data present, or give -Dscaleml.data=DIR");
        }
        return file;
    }

    /** One pass over all edges on one thread. */
    @Benchmark
    @Threads(1)
    public void oneThread(Workload w, ThreadParams t, Blackhole bh) {
        bh.consume(unionShare(w, t));
    }

    /** One pass over all edges, split between two threads. */
    @Benchmark
    @Threads(2)
    public void twoThreads(Workload w, ThreadParams t, Blackhole bh) {
        bh.consume(unionShare(w, t));
    }

    /** Unions this thread's block of edges; returns how many merged two sets. */
    private static int unionShare(Workload w, ThreadParams t) {
        int edges = w.ends.length / 2;
        int from = (int) ((long) edges * t.getThreadIndex() / w.threads);
        int to = (int) ((long) edges * (t.getThreadIndex() + 1) / w.threads);
        ConcurrentUnionFind uf = w.uf;
        int[] ends = w.ends;
        int merged = 0;
        for (int i = from; i < to; i++) {
            if (uf.union(ends[2 * i], ends[2 * i + 1])) {
                merged++;
            }
        }
        return merged;
    }
}
