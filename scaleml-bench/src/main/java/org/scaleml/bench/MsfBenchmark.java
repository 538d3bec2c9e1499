package org.scaleml.bench;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphReader;
import org.scaleml.graph.algo.ParallelMsf;
import org.scaleml.graph.algo.SequentialMsf;
import org.scaleml.graph.algo.SpanningForest;
import org.scaleml.graph.algo.UnionFindMsf;
import org.scaleml.sched.Scheduler;

/**
 * Minimum spanning forest of a shared graph, milliseconds per run: the sequential reference ({@link SequentialMsf},
 * Kruskal with a comparison sort; {@code method=sequential}, one thread whatever {@code threads} says) against
 * {@link UnionFindMsf} on {@code threads} threads ({@code method=kruskal}, Kruskal on a parallel radix sort) and,
 * optionally, {@link ParallelMsf} ({@code method=boruvka}, Boruvka rounds on the relaxed scheduler {@code mq}).
 * Every invocation returns the forest; the trial set-up checks its weight and edge count (and for {@code kruskal}
 * its arcs) against the sequential one once.
 *
 * <p>Run from the repository root ({@code ../shared/data} present; about 4 minutes for the defaults):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar MsfBenchmark -f 1 -wi 5 -i 9 -w 1s -r 1s
 * java -jar scaleml-bench/target/benchmarks.jar MsfBenchmark -p method=sequential,kruskal,boruvka
 * }</pre>
 * The heap is pre-touched: each run allocates arrays of the graph's size, and on a virtual machine the first
 * touch of every fresh heap page costs more than the algorithm. The ratio that matters is {@code sequential / kruskal} within one run, at 2 threads: the machine is shared and its
 * absolute times drift.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class MsfBenchmark {
    /** The graph, relative to {@code ../shared/data}, in any format {@link GraphReader} detects. */
    @Param({"road/USA-road-d.NY.gr.gz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz"})
    public String graph;

    /** {@code sequential}, {@code kruskal} or {@code boruvka}. */
    @Param({"sequential", "kruskal"})
    public String method;

    /** Threads of the parallel methods (ignored by the sequential one). */
    @Param({"1", "2"})
    public int threads;

    private CsrGraph g;

    /** Reads the graph; checks the forest once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        g = SharedGraphs.read(graph);
        SpanningForest expected = SequentialMsf.run(g);
        SpanningForest got = forest();
        boolean same = expected.totalWeight() == got.totalWeight() && expected.edgeCount() == got.edgeCount()
                && (!method.equals(UnionFindMsf.METHOD) || java.util.Arrays.equals(expected.arcs(), got.arcs()));
        if (!same) {
            throw new IllegalStateException(method + " forest differs from the sequential one on " + graph);
        }
    }

    /** One run. */
    @Benchmark
    public SpanningForest forest() {
        return switch (method) {
            case "sequential" -> SequentialMsf.run(g);
            case UnionFindMsf.METHOD -> UnionFindMsf.run(g, threads).result();
            case "boruvka" -> ParallelMsf.run(g, new Scheduler("mq", threads, 42)).result();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }
}
