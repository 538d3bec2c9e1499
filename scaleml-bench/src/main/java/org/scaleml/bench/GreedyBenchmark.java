package org.scaleml.bench;

import java.io.IOException;
import java.util.Arrays;
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
import org.scaleml.graph.algo.ParallelGreedyMatching;
import org.scaleml.graph.algo.ParallelGreedyMis;
import org.scaleml.graph.algo.RoundsGreedyMatching;
import org.scaleml.graph.algo.RoundsGreedyMis;
import org.scaleml.graph.algo.SequentialGreedyMatching;
import org.scaleml.graph.algo.SequentialGreedyMis;
import org.scaleml.sched.Scheduler;

/**
 * One greedy maximal independent set ({@code problem=mis}) or greedy maximal matching ({@code problem=matching})
 * of a shared graph in the random order of seed {@link #ORDER_SEED}, milliseconds per call: the sequential
 * reference ({@code method=sequential}, one thread whatever {@code threads} says; it sorts the order, then makes
 * one pass) against {@link RoundsGreedyMis} / {@link RoundsGreedyMatching} on {@code threads} threads ({@code
 * method=rounds}) and the relaxed-scheduler versions {@link ParallelGreedyMis} / {@link ParallelGreedyMatching} on
 * {@code obim:delta=62} ({@code method=relaxed}). All return exactly the same set or matching; the trial set-up
 * checks it once.
 *
 * <p>Run from the repository root ({@code ../shared/data} present; about 3 minutes for the defaults):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar GreedyBenchmark -f 1 -wi 5 -i 9 -w 1s -r 1s
 * java -jar scaleml-bench/target/benchmarks.jar GreedyBenchmark -p graph=snap/wiki-Vote.txt.gz -p method=sequential,rounds,relaxed
 * }</pre>
 * The ratio that matters is {@code sequential / rounds} within one run, at 2 threads: the machine is shared and
 * its absolute times drift.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class GreedyBenchmark {
    /** The seed of the random order. */
    public static final long ORDER_SEED = 20261207L;

    /** The graph, relative to {@code ../shared/data}, in any format {@link GraphReader} detects. */
    @Param({"road/USA-road-d.NY.gr.gz", "road/pace2016-FLA.gr.xz"})
    public String graph;

    /** {@code mis} or {@code matching}. */
    @Param({"mis", "matching"})
    public String problem;

    /** {@code sequential}, {@code rounds} or {@code relaxed}. */
    @Param({"sequential", "rounds"})
    public String method;

    /** Threads of the parallel methods (ignored by the sequential one). */
    @Param({"1", "2"})
    public int threads;

    private CsrGraph g;

    /** Reads the graph; checks the method's result against the sequential one once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        g = SharedGraphs.read(graph);
        boolean same = switch (problem) {
            case "mis" -> Arrays.equals(SequentialGreedyMis.run(g, ORDER_SEED).member(), (boolean[]) greedy());
            case "matching" -> Arrays.equals(SequentialGreedyMatching.run(g, ORDER_SEED).mate(), (int[]) greedy());
            default -> throw new IllegalArgumentException("unknown problem " + problem);
        };
        if (!same) {
            throw new IllegalStateException(method + " " + problem + " differs from the sequential one on " + graph);
        }
    }

    /** One greedy MIS or matching; returns the membership or mate array. */
    @Benchmark
    public Object greedy() {
        boolean mis = problem.equals("mis");
        return switch (method) {
            case "sequential" -> mis ? SequentialGreedyMis.run(g, ORDER_SEED).member()
                    : SequentialGreedyMatching.run(g, ORDER_SEED).mate();
            case "rounds" -> mis ? RoundsGreedyMis.run(g, ORDER_SEED, threads).result().member()
                    : RoundsGreedyMatching.run(g, ORDER_SEED, threads).result().mate();
            case "relaxed" -> mis
                    ? ParallelGreedyMis.run(g, ORDER_SEED, new Scheduler("obim:delta=62", threads, 1)).result().member()
                    : ParallelGreedyMatching.run(g, ORDER_SEED, new Scheduler("obim:delta=62", threads, 1)).result()
                    .mate();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }
}
