package org.scaleml.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.scaleml.bp.engine.BpEngines;
import org.scaleml.bp.ldpc.AlistReader;
import org.scaleml.bp.ldpc.AwgnChannel;
import org.scaleml.bp.ldpc.LdpcFactorGraph;
import org.scaleml.bp.ldpc.ParityCheckCode;

/**
 * LDPC decoding with every generic belief-propagation engine: the all-zero codeword of an alist code is sent over
 * an AWGN channel at a given Eb/N0, and the engine decodes the factor graph of {@link LdpcFactorGraph} (binary
 * variables with channel factors, one parity factor per check) to convergence, epsilon 1e-5, update cap 1000 per
 * edge (at least 10^6). Frame {@code f} of {@code frames} is seeded with {@code 1000 + f}; the invocations decode
 * the frames in turn. Scores are milliseconds per decoded frame; secondary results are the applied message
 * {@code updates} and the {@code bitErrors} of the hard decisions, summed over the iteration's frames. The
 * specialized flooding decoder is measured by {@code scaleml ldpc}.
 *
 * <p>Run from the repository root (the default code is in {@code ../shared/data}; about 1 minute per engine):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar LdpcDecodingBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar LdpcDecodingBenchmark -p code=/path/to/code.alist -p ebN0=2 -p threads=1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LdpcDecodingBenchmark {
    /** Engine name, as accepted by {@link BpEngines#create}. */
    @Param({"auto", "sync", "residual", "splash", "relaxed-residual", "smq-residual", "relaxed-splash", "smq-splash"})
    public String engine;

    /** The alist file of the code, relative to the working directory. */
    @Param({"../shared/data/ldpc/MACKAY_504_1008.alist"})
    public String code;

    /** Eb/N0 of the channel in dB. */
    @Param({"2.5"})
    public double ebN0;

    /** Number of distinct noisy frames. */
    @Param({"5"})
    public int frames;

    /** Threads of the parallel engines. */
    @Param({"2"})
    public int threads;

    private FactorGraph[] graphs;
    private BpOptions[] options;
    private int variables;
    private BpEngine bp;
    private int next;

    /** Message updates and bit errors of one iteration's frames (secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Decoded {
        /** Applied message updates. */
        public long updates;
        /** Variables decided 1 (the all-zero codeword was sent). */
        public long bitErrors;

        /** Starts each iteration's counts at zero. */
        @Setup(Level.Iteration)
        public void clear() {
            updates = 0;
            bitErrors = 0;
        }
    }

    /** Reads the code and builds one factor graph per noisy frame. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path file = Path.of(code);
        if (!Files.isReadable(file)) {
            throw new IOException("LDPC code " + file.toAbsolutePath() + " not found: run from the repository root "
                    + "with ../shared/data present, or give -p code=FILE");
        }
        ParityCheckCode c = AlistReader.read(file);
        variables = c.n();
        graphs = new FactorGraph[frames];
        options = new BpOptions[frames];
        for (int f = 0; f < frames; f++) {
            AwgnChannel channel = AwgnChannel.ofEbN0Db(ebN0, c.designRate(), 1000 + f);
            graphs[f] = LdpcFactorGraph.build(c, channel.transmitLlr(new int[c.n()]));
            options[f] = BpOptions.defaults().withThreads(threads)
                    .withMaxUpdates(Math.max(1_000_000L, 1000L * graphs[f].edges()));
        }
        bp = BpEngines.create(engine);
    }

    /** Decodes the next frame. */
    @Benchmark
    public BpResult decode(Decoded counts) {
        int f = next;
        next = f + 1 == frames ? 0 : f + 1;
        BpResult result = bp.run(graphs[f], options[f]);
        counts.updates += result.updates();
        double[][] marginals = result.marginals();
        for (int v = 0; v < variables; v++) {
            if (marginals[v][1] > 0.5) {
                counts.bitErrors++;
            }
        }
        return result;
    }
}
