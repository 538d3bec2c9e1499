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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;

/**
 * Single-thread encode, decode and decode-add of one gradient codec on a standard Gaussian vector (fixed seed),
 * shared by the codec benchmarks, which differ only in the codecs and sizes they run by default. Scores are
 * milliseconds per call; throughput in GB/s of fp32 input is {@code 4 * size / 1e6 / score}.
 *
 * <p>A subclass declares two {@code @Param} fields, {@code codec} (a specification accepted by
 * {@link Codecs#create}) and {@code size} (floats per call), with its default values; the trial set-up here reads
 * them by name, and JMH generates the benchmarks of every concrete subclass from the methods here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Thread)
public abstract class AbstractCodecBenchmark {
    /** Seed of the input and the codecs. */
    public static final long SEED = 42;

    private GradientCodec codec;
    private float[] input;
    private float[] output;
    private byte[] payload;
    private int length;

    /** Builds the codec and the input, and encodes the input once so that the decoders have a payload. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        int n = Integer.parseInt(params.getParam("size"));
        codec = Codecs.create(params.getParam("codec"), SEED);
        input = new float[n];
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < n; i++) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            input[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        output = new float[n];
        payload = new byte[codec.maxEncodedSize(n)];
        length = codec.encode(input, 0, n, payload, 0);
    }

    /** Encodes the whole input; returns the payload length. */
    @Benchmark
    public int encode() {
        return codec.encode(input, 0, input.length, payload, 0);
    }

    /** Decodes the payload into the output, overwriting it. */
    @Benchmark
    public float[] decode() {
        codec.decode(payload, 0, length, output, 0, output.length);
        return output;
    }

    /** Decodes the payload and adds it to the output (the accumulation step of an allreduce). */
    @Benchmark
    public float[] decodeAdd() {
        codec.decodeAdd(payload, 0, length, output, 0, output.length);
        return output;
    }
}
