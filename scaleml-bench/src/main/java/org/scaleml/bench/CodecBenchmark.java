package org.scaleml.bench;

import org.openjdk.jmh.annotations.Param;
import org.scaleml.comm.codec.Codecs;

/**
 * Encode, decode and decode-add throughput of the gradient codecs on one thread, for vectors of 1M to 64M floats.
 * The input is standard Gaussian (fixed seed). Scores are milliseconds per call; throughput in GB/s of fp32 input
 * is {@code 4 * size / 1e6 / score}. ({@code scaleml bench codec} prints GB/s directly, with wire sizes and
 * errors.) {@link QuantizerBenchmark} and {@link SparseLowRankBenchmark} run the same methods over every quantizer
 * and every sparse or low-rank codec at 16M floats.
 *
 * <p>Run (about 3 minutes per codec and size; narrow with {@code -p}, or pick methods with a regular expression):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar CodecBenchmark -p size=16777216
 * java -jar scaleml-bench/target/benchmarks.jar 'CodecBenchmark.(encode|decode)$' -p codec=qsgd:bits=4,topk:ratio=0.01 -p size=1048576,67108864
 * }</pre>
 * Every registered codec name works as {@code -p codec=...}, with parameters and {@code ef:} wrappers; JMH splits
 * {@code -p} values at commas, so give one parameter per codec there and let the defaults fill in the rest
 * ({@code qsgd:bits=4} is {@code qsgd:bits=4,bucket=512,norm=l2}).
 */
public class CodecBenchmark extends AbstractCodecBenchmark {
    /** Codec specification, as accepted by {@link Codecs#create}. */
    @Param({"fp16", "qsgd:bits=4,bucket=512", "qsgd:bits=8,bucket=512", "nuqsgd:bits=4,bucket=512",
            "maxmin:bits=4,bucket=512", "topk:ratio=0.01", "randomk:ratio=0.01", "sign", "terngrad"})
    public String codec;

    /** Number of floats per call. */
    @Param({"1048576", "16777216", "67108864"})
    public int size;
}
