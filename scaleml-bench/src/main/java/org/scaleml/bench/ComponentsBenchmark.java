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
import org.scaleml.graph.algo.Components;
import org.scaleml.graph.algo.SequentialComponents;
import org.scaleml.graph.algo.UnionFindComponents;

/**
 * Connected components of a shared graph, milliseconds per run: the sequential reference ({@code
 * method=sequential}, one thread whatever {@code threads} says) against {@link UnionFindComponents} on {@code
 * threads} threads ({@code method=uf}, the partitioned min-link union-find; {@code method=uf-afforest}, Afforest on
 * the general concurrent union-find). Every invocation returns the labels; the trial set-up checks them against
 * the sequential ones once.
 *
 * <p>Run from the repository root ({@code ../shared/data} present; about 5 minutes for the defaults):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar ComponentsBenchmark -f 1 -wi 5 -i 9 -w 1s -r 1s
 * java -jar scaleml-bench/target/benchmarks.jar ComponentsBenchmark -p method=sequential,uf,uf-afforest
 * }</pre>
 * The heap is pre-touched: each run allocates arrays of the graph's size, and on a virtual machine the first
 * touch of every fresh heap page costs more than the algorithm. The ratio that matters is {@code sequential / uf} within one run, at 2 threads: the machine is shared and its
 * absolute times drift.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ComponentsBenchmark {
    /** The graph, relative to {@code ../shared/data}, in any format {@link GraphReader} detects. */
    @Param({"road/USA-road-d.NY.gr.gz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz"})
    public String graph;

    /** {@code sequential}, {@code uf} or {@code uf-afforest}. */
    @Param({"sequential", "uf"})
    public String method;

    /** Threads of the parallel methods (ignored by the sequential one). */
    @Param({"1", "2"})
    public int threads;

    private CsrGraph g;

    /** Reads the graph; checks the labels once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        g = SharedGraphs.read(graph);
        Components expected = SequentialComponents.run(g);
        Components got = components();
        if (!java.util.Arrays.equals(expected.labels(), got.labels()) || expected.count() != got.count()) {
            throw new IllegalStateException(method + " components differ from the sequential ones on " + graph);
        }
    }

    /** One run. */
    @Benchmark
    public Components components() {
        return switch (method) {
            case "sequential" -> SequentialComponents.run(g);
            case UnionFindComponents.METHOD -> UnionFindComponents.run(g, threads).result();
            case UnionFindComponents.AFFOREST_METHOD -> UnionFindComponents.runAfforest(g, threads).result();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }
}
