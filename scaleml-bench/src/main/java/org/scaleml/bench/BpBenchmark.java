package org.scaleml.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;
import org.scaleml.bp.engine.BpEngines;

/**
 * Time to convergence of every belief-propagation engine on a grid MRF: each measured invocation is one whole run
 * from uniform messages until every message residual is at most epsilon = 1e-5 (single-shot, milliseconds). The
 * grids are seeded: {@code ising:S} is an S x S Ising grid with couplings and fields uniform in [-0.5, 0.5]
 * (seed 1), {@code potts:S} an S x S Potts grid with q = 3 and the same ranges (seed 2). The secondary result
 * {@code updates} is the number of applied factor-to-variable messages per run; the synchronous engine is the
 * peer the relaxed engines are compared with, exact residual BP the schedule they relax.
 *
 * <p>Run (about 5 minutes for the defaults; 1000 x 1000 grids need {@code -jvmArgsAppend -Xmx14g} and minutes
 * per run):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar BpBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar BpBenchmark -p engine=residual,relaxed-residual -p grid=ising:1000 -i 1 -jvmArgsAppend -Xmx14g
 * }</pre>
 * {@code -p threads=1} runs the parallel engines on one thread; the stale-task fraction of the relaxed engines is
 * printed by {@code scaleml bp}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
@State(Scope.Benchmark)
public class BpBenchmark {
    /** Convergence threshold on the message residuals. */
    public static final double EPSILON = 1e-5;

    /** Engine name, as accepted by {@link BpEngines#create}. */
    @Param({"auto", "sync", "residual", "splash", "relaxed-residual", "smq-residual", "relaxed-splash", "smq-splash"})
    public String engine;

    /** Grid model and side: {@code ising:S} or {@code potts:S}. */
    @Param({"ising:300", "potts:150"})
    public String grid;

    /** Threads of the parallel engines. */
    @Param({"2"})
    public int threads;

    private FactorGraph graph;
    private BpEngine bp;
    private BpOptions options;

    /** Applied message updates of the runs of one iteration (a secondary result). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Updates {
        /** Updates summed over the iteration's runs. */
        public long updates;

        /** Starts each iteration's count at zero. */
        @Setup(Level.Iteration)
        public void clear() {
            updates = 0;
        }
    }

    /** Generates the grid and creates the engine. */
    @Setup(Level.Trial)
    public void setUp() {
        graph = grid(grid);
        bp = BpEngines.create(engine);
        options = BpOptions.defaults().withEpsilon(EPSILON).withThreads(threads);
    }

    /** One run to convergence (or to the default update cap). */
    @Benchmark
    public BpResult converge(Updates counts) {
        BpResult result = bp.run(graph, options);
        counts.updates += result.updates();
        return result;
    }

    private static FactorGraph grid(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("grid must be ising:SIDE or potts:SIDE, not " + spec);
        }
        int side = Integer.parseInt(spec.substring(colon + 1));
        return switch (spec.substring(0, colon)) {
            case "ising" -> Generators.isingGrid(side, side, -0.5, 0.5, -0.5, 0.5, 1);
            case "potts" -> Generators.pottsGrid(side, side, 3, -0.5, 0.5, -0.5, 0.5, 2);
            default -> throw new IllegalArgumentException("grid must be ising:SIDE or potts:SIDE, not " + spec);
        };
    }
}
