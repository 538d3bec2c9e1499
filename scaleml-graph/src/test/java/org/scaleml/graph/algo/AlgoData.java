package org.scaleml.graph.algo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphReader;
import org.scaleml.graph.ReadOptions;
import org.scaleml.graph.TestFiles;

/**
 * Finds the shared real data for the algorithm tests (through {@link TestFiles#sharedData()}) and keeps each real graph loaded once per test JVM. Every accessor skips the calling test with
 * a JUnit assumption when the file is absent.
 */
final class AlgoData {
    private static final Map<String, CsrGraph> LOADED = new ConcurrentHashMap<>();

    private AlgoData() {
    }

    /** @return the file, or skips the test if the data or the file is absent */
    static Path data(String relative) {
        Path dir = TestFiles.sharedData().orElse(null);
        assumeTrue(dir != null, "../shared/data not found: skipping real-data test");
        Path f = dir.resolve(relative);
        assumeTrue(Files.isReadable(f), relative + " not present: skipping");
        return f;
    }

    /** DIMACS New York (directed, distances) with its coordinates. */
    static CsrGraph newYork() {
        Path gr = data("road/USA-road-d.NY.gr.gz");
        Path co = data("road/USA-road-d.NY.co.gz");
        return LOADED.computeIfAbsent("NY", k -> load(() -> GraphReader.readDimacs(gr, co, ReadOptions.defaults())));
    }

    /** Any graph file in the shared data, read with default options. */
    static CsrGraph graph(String relative) {
        Path f = data(relative);
        return LOADED.computeIfAbsent(relative, k -> load(() -> GraphReader.read(f)));
    }

    private interface Loader {
        CsrGraph load() throws IOException;
    }

    private static CsrGraph load(Loader l) {
        try {
            return l.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
