package org.scaleml.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures what the graph cache's content check costs next to what the cache saves (not a unit test): the time
 * to hash a graph file, to read its cache and to parse it. Run after {@code ./mvnw -o -q -pl scaleml-graph
 * test-compile}:
 *
 * <pre>
 * java -cp scaleml-graph/target/classes:scaleml-graph/target/test-classes:$HOME/.m2/repository/org/tukaani/xz/1.10/xz-1.10.jar \
 *     org.scaleml.graph.GraphCacheHashMeasure ../shared/data/road/USA-road-d.NY.gr.gz [reps=9]
 * </pre>
 *
 * Prints the median of {@code reps} runs of each step (after one warm-up), in milliseconds. The parsed graph is
 * also written as plain text to a temporary file, whose hash time is printed too (the cost for an uncompressed
 * source of the same graph).
 */
public final class GraphCacheHashMeasure {
    private GraphCacheHashMeasure() {
    }

    public static void main(String[] args) throws IOException {
        Path src = Path.of(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Path tmp = Files.createTempDirectory("cachemeasure");
        try {
            GraphCache cache = GraphCache.inDirectory(tmp);
            GraphCache.Loaded first = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults());
            Path plain = tmp.resolve("plain.gr");
            try (java.io.InputStream in = GraphText.OPENER.open(src, GraphText.errors(src)).in()) {
                Files.copy(in, plain);
            }
            double hash = median(reps, () -> GraphCache.contentHash(src));
            double hashPlain = median(reps, () -> GraphCache.contentHash(plain));
            double read = median(reps, () -> GraphCache.read(first.cacheFile()));
            double load = median(reps, () -> cache.load(src, GraphFormat.AUTO, ReadOptions.defaults()));
            double parse = median(reps, () -> GraphReader.read(src, GraphFormat.AUTO, ReadOptions.defaults()));
            System.out.printf(Locale.ROOT, "%s: %,d bytes (%,d uncompressed), %,d nodes, %,d arcs%n", src,
                    Files.size(src), Files.size(plain), first.graph().nodes(), first.graph().arcs());
            System.out.printf(Locale.ROOT, "hash source %.1f ms, hash uncompressed text %.1f ms, read cache %.1f ms, "
                    + "load from cache (hash + read) %.1f ms, parse source %.1f ms%n", hash, hashPlain, read, load, parse);
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    private interface Step {
        Object run() throws IOException;
    }

    private static double median(int reps, Step step) throws IOException {
        step.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            step.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
