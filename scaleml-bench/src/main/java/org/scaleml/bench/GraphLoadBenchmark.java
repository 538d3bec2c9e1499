package org.scaleml.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphCache;
import org.scaleml.graph.GraphFormat;
import org.scaleml.graph.GraphReader;
import org.scaleml.graph.ReadOptions;

/**
 * What the binary graph cache saves and what its content check costs: {@link #parse} reads the source file with
 * {@link GraphReader} (decompressing it if needed), {@link #readCache} reads the cache file alone, and
 * {@link #loadCached} is a cache hit through {@link GraphCache#load} (hash of the source file plus the read of the
 * cache), so {@code loadCached - readCache} is the cost of hashing the source. Milliseconds per call, one thread;
 * the cache lives in a temporary directory, removed after the trial.
 *
 * <p>Run from the repository root (the default graph is in {@code ../shared/data}; about 1 minute):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar GraphLoadBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar GraphLoadBenchmark -p source=../shared/data/road/pace2016-FLA.gr.xz
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class GraphLoadBenchmark {
    /** The graph file, in any format and compression {@link GraphReader} detects, relative to the working directory. */
    @Param({"../shared/data/road/USA-road-d.NY.gr.gz"})
    public String source;

    private Path file;
    private Path cacheDirectory;
    private GraphCache cache;
    private Path cacheFile;

    /** Fills the cache from the source once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Path.of(source);
        if (!Files.isReadable(file)) {
            throw new IOException("graph " + file.toAbsolutePath() + " not found: run from the repository root with "
                    + "../shared/data present, or give -p source=FILE");
        }
        cacheDirectory = Files.createTempDirectory("scaleml-graph-cache");
        cache = GraphCache.inDirectory(cacheDirectory);
        cacheFile = cache.loadDetailed(file, GraphFormat.AUTO, ReadOptions.defaults()).cacheFile();
    }

    /** Removes the cache directory. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.list(cacheDirectory)) {
            files.forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.delete(cacheDirectory);
    }

    /** Parses the source file. */
    @Benchmark
    public CsrGraph parse() throws IOException {
        return GraphReader.read(file, GraphFormat.AUTO, ReadOptions.defaults());
    }

    /** Reads the cache file, without looking at the source. */
    @Benchmark
    public CsrGraph readCache() throws IOException {
        return GraphCache.read(cacheFile);
    }

    /** A cache hit: hashes the source, then reads the cache file. */
    @Benchmark
    public CsrGraph loadCached() throws IOException {
        return cache.load(file, GraphFormat.AUTO, ReadOptions.defaults());
    }
}
