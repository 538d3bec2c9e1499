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
import org.scaleml.graph.algo.DeltaSteppingSssp;
import org.scaleml.graph.algo.SequentialDijkstra;

/**
 * One single-source shortest-path search from node 0 of a shared graph (DIMACS file id 1), milliseconds per search:
 * our sequential Dijkstra ({@code method=sequential}: {@link SequentialDijkstra#distances}, one thread whatever
 * {@code threads} says) against {@link DeltaSteppingSssp} on {@code threads} threads with its automatic delta
 * ({@code method=delta}), or with {@code delta} when that parameter is positive. Both return the distance array;
 * the trial set-up checks the delta-stepping distances against Dijkstra's once.
 *
 * <p>Run from the repository root ({@code ../shared/data} present; about 3 minutes for the defaults):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar SsspBenchmark -f 1 -wi 5 -i 9 -w 1s -r 1s
 * java -jar scaleml-bench/target/benchmarks.jar SsspBenchmark -p method=delta -p delta=1024,2048,4096,8192
 * }</pre>
 * The ratio that matters is {@code sequential / delta} within one run, at 2 threads: the machine is shared and its
 * absolute times drift. New York is directed and weighted (metres); the PACE 2016 Florida graph is undirected and
 * unweighted (every arc weighs 1, so both methods compute hop distances).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class SsspBenchmark {
    /** The graph, relative to {@code ../shared/data}, in any format {@link GraphReader} detects. */
    @Param({"road/USA-road-d.NY.gr.gz", "road/pace2016-FLA.gr.xz"})
    public String graph;

    /** {@code sequential} ({@link SequentialDijkstra}) or {@code delta} ({@link DeltaSteppingSssp}). */
    @Param({"sequential", "delta"})
    public String method;

    /** Threads of the delta-stepping search (ignored by the sequential one). */
    @Param({"1", "2"})
    public int threads;

    /** Bucket width of the delta-stepping search; 0 = automatic. */
    @Param({"0"})
    public long delta;

    private CsrGraph g;

    /** Reads the graph; checks the delta-stepping distances once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        g = SharedGraphs.read(graph);
        if (!java.util.Arrays.equals(SequentialDijkstra.distances(g, 0), search())) {
            throw new IllegalStateException(method + " distances differ from Dijkstra's on " + graph);
        }
    }

    /** One search from node 0. */
    @Benchmark
    public long[] sssp() {
        return search();
    }

    private long[] search() {
        return switch (method) {
            case "sequential" -> SequentialDijkstra.distances(g, 0);
            case "delta" -> DeltaSteppingSssp.run(g, 0, threads, delta, null).result().dist();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }
}
