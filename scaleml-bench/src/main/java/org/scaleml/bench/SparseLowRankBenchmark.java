package org.scaleml.bench;

import org.openjdk.jmh.annotations.Param;
import org.scaleml.comm.codec.Codecs;

/**
 * Encode, decode and decode-add throughput of the sparse, sign and low-rank codecs on one thread, against the
 * uncompressed {@code fp32} copy, on 16M standard Gaussian floats (64 MB of fp32 input per call, fixed seed).
 * Scores are milliseconds per call; GB/s of fp32 input is {@code 4 * size / 1e6 / score}. Wire sizes and errors
 * of the same codecs: {@code scaleml bench codec --codec all}.
 *
 * <p>Run (about 40 s per codec and method, 20 minutes in all; narrow with {@code -p}):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar SparseLowRankBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar SparseLowRankBenchmark -p codec=fp32,topk:ratio=0.001
 * }</pre>
 * JMH splits {@code -p} values at commas, so a specification with two parameters (such as
 * {@code topk:ratio=0.01,select=exact}) runs only from the defaults below; on the command line give one parameter
 * per codec and let {@link Codecs#create} fill in the rest.
 */
public class SparseLowRankBenchmark extends AbstractCodecBenchmark {
    /** Codec specification, as accepted by {@link Codecs#create}; {@code fp32} is the uncompressed peer. */
    @Param({"fp32", "topk:ratio=0.01,select=sampled", "topk:ratio=0.01,select=exact", "topk:ratio=0.001",
            "randomk:ratio=0.01", "threshold:tau=adaptive,density=0.001", "sign:bucket=512", "terngrad:bucket=512",
            "powersgd:rank=4,rows=4096", "powersgd:rank=1,rows=4096"})
    public String codec;

    /** Number of floats per call. */
    @Param({"16777216"})
    public int size;
}
