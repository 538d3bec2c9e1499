package org.scaleml.bench;

import org.openjdk.jmh.annotations.Param;
import org.scaleml.comm.codec.Codecs;

/**
 * Encode, decode and decode-add throughput of every quantizer on one thread, at its default specification and a
 * few variants, on 16M standard Gaussian floats (64 MB of fp32 input per call, fixed seed). Scores are
 * milliseconds per call; GB/s of fp32 input is {@code 4 * size / 1e6 / score}. Wire sizes and errors of the same
 * codecs: {@code scaleml bench codec --codec all}.
 *
 * <p>Run (about 40 s per codec and method, 16 minutes in all; narrow with {@code -p}):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar QuantizerBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar QuantizerBenchmark -p codec=qsgd,maxmin -p size=1048576
 * }</pre>
 * The defaults of each specification are filled in by {@link Codecs#create} ({@code qsgd} is
 * {@code qsgd:bits=4,bucket=512,norm=l2}); the peer of every quantizer is {@code fp32} in
 * {@link SparseLowRankBenchmark} (the uncompressed copy).
 */
public class QuantizerBenchmark extends AbstractCodecBenchmark {
    /** Quantizer specification, as accepted by {@link Codecs#create}. */
    @Param({"qsgd", "qsgd:bits=8", "qsgd:norm=max", "nuqsgd", "alq", "amq", "maxmin", "qsgd-elias"})
    public String codec;

    /** Number of floats per call. */
    @Param({"16777216"})
    public int size;
}
