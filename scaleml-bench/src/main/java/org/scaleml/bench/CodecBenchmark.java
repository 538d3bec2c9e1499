package org.scaleml.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;

/**
 * Encode and decode throughput of the gradient codecs on one thread, for vectors of 1M to 64M floats. The input
 * is standard Gaussian (fixed seed). Scores are milliseconds per call; throughput in GB/s of fp32 input is
 * {@code 4 * size / 1e6 / score}. ({@code scaleml bench codec} prints GB/s directly, with wire sizes and errors.)
 *
 * <p>Run (about 2 minutes per codec and size; narrow with {@code -p}):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar CodecBenchmark -p size=16777216
 * java -jar scaleml-bench/target/benchmarks.jar CodecBenchmark -p codec=qsgd:bits=4,topk:ratio=0.01 -p size=1048576,67108864
 * }</pre>
 * Every registered codec name works as {@code -p codec=...}, with parameters and {@code ef:} wrappers; JMH splits
 * {@code -p} values at commas, so give one parameter per codec there and let the defaults fill in the rest
 * ({@code qsgd:bits=4} is {@code qsgd:bits=4,bucket=512,norm=l2}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Thread)
public class CodecBenchmark {
    /** Seed of the input and the codecs. */
    public static final long SEED = 42;

    @Param({"fp16", "qsgd:bits=4,bucket=512", "qsgd:bits=8,bucket=512", "nuqsgd:bits=4,bucket=512",
            "maxmin:bits=4,bucket=512", "topk:ratio=0.01", "randomk:ratio=0.01", "sign", "terngrad"})
    public String codec;

    @Param({"1048576", "16777216", "67108864"})
    public int size;

    private GradientCodec c;
    private float[] input;
    private float[] output;
    private byte[] payload;
    private int length;

    @Setup(Level.Trial)
    public void setUp() {
        c = Codecs.create(codec, SEED);
        input = new float[size];
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < size; i++) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            input[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        output = new float[size];
        payload = new byte[c.maxEncodedSize(size)];
        length = c.encode(input, 0, size, payload, 0);
    }

    @Benchmark
    public int encode() {
        return c.encode(input, 0, size, payload, 0);
    }

    @Benchmark
    public float[] decode() {
        c.decode(payload, 0, length, output, 0, size);
        return output;
    }
}
