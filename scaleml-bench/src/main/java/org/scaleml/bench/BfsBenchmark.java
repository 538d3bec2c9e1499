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
import org.scaleml.graph.GraphGenerators;
import org.scaleml.graph.GraphReader;
import org.scaleml.graph.algo.FrontierBfs;
import org.scaleml.graph.algo.SequentialBfs;

/**
 * One breadth-first search from node 0 of a shared graph, milliseconds per search: the sequential reference
 * ({@code method=sequential}, one thread whatever {@code threads} says) against {@link FrontierBfs} on
 * {@code threads} threads ({@code method=frontier}, the graph's transpose built once per trial and passed in, as
 * a graph library would keep it, so directed graphs may take the bottom-up step too). Every invocation returns the
 * levels; the trial set-up checks the frontier levels against the sequential ones once.
 *
 * <p>Run from the repository root ({@code ../shared/data} present; about 5 minutes for the defaults):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar BfsBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar BfsBenchmark -p graph=road/pace2016-COL.gr.xz -p threads=2,4
 * java -jar scaleml-bench/target/benchmarks.jar BfsBenchmark -p graph=road/USA-road-d.NY.gr.gz,road/pace2016-FLA.gr.xz
 * }</pre>
 * The ratio that matters is {@code sequential / frontier} within one run, at 2 threads, on the road networks:
 * the machine is shared and its absolute times drift.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class BfsBenchmark {
    /**
     * The graph, relative to {@code ../shared/data}, in any format {@link GraphReader} detects; or a generated one:
     * {@code gen/rmat-20} (R-MAT 2^20 nodes, edge factor 8, undirected, seed 11) or {@code gen/grid-1000} (a
     * 1000 x 1000 grid).
     */
    @Param({"road/USA-road-d.NY.gr.gz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz", "gen/rmat-20",
            "gen/grid-1000"})
    public String graph;

    /** {@code sequential} ({@link SequentialBfs}) or {@code frontier} ({@link FrontierBfs}). */
    @Param({"sequential", "frontier"})
    public String method;

    /** Threads of the frontier search (ignored by the sequential one). */
    @Param({"1", "2"})
    public int threads;

    private CsrGraph g;
    private CsrGraph transpose;

    /** Reads the graph and its transpose; checks the frontier levels once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        g = switch (graph) {
            case "gen/rmat-20" -> GraphGenerators.rmat(20, 8, 0.57, 0.19, 0.19, false, 0, false, 11);
            case "gen/grid-1000" -> GraphGenerators.grid(1000, 1000, 1, 13).withoutWeights();
            default -> {
                yield SharedGraphs.read(graph);
            }
        };
        transpose = g.isDirected() ? g.transpose() : null;
        if (!java.util.Arrays.equals(SequentialBfs.levels(g, 0), search())) {
            throw new IllegalStateException(method + " levels differ from the sequential ones on " + graph);
        }
    }

    /** One search from node 0. */
    @Benchmark
    public int[] bfs() {
        return search();
    }

    private int[] search() {
        return switch (method) {
            case "sequential" -> SequentialBfs.levels(g, 0);
            case "frontier" -> FrontierBfs.run(g, transpose, 0, threads, null).result().levels();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }
}
