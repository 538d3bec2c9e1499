package org.scaleml.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphReader;

/** The shared data sets the graph benchmarks read, relative to {@code ../shared/data} (run from the repository root). */
final class SharedGraphs {
    private SharedGraphs() {
    }

    /**
     * Reads {@code ../shared/data/<relative>} in any format {@link GraphReader} detects.
     *
     * @throws IOException naming the absolute path if the file is missing, or if it cannot be read
     */
    static CsrGraph read(String relative) throws IOException {
        Path file = Path.of("../shared/data").resolve(relative);
        if (!Files.isReadable(file)) {
            throw new IOException("graph " + file.toAbsolutePath() + " not found: run from the repository root with "
                    + "../shared/data present");
        }
        return GraphReader.read(file);
    }
}
