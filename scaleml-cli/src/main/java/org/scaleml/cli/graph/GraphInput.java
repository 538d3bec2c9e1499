package org.scaleml.cli.graph;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import org.scaleml.graph.Coordinates;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphCache;
import org.scaleml.graph.GraphFormat;
import org.scaleml.graph.GraphFormatException;
import org.scaleml.graph.GraphReader;
import org.scaleml.graph.ReadOptions;

/**
 * Loads the graph a command names: through the binary {@link GraphCache} beside the source (or in the user's
 * cache directory when that is read-only) unless told not to, with DIMACS coordinates attached for A*.
 *
 * <p>Errors a user can fix are {@link IllegalArgumentException}s with a one-line message naming the file (and
 * the line, for malformed content: the reader's {@code file:line: what}); the command line turns them into exit
 * code 2. Other I/O failures propagate as {@link IOException}. Stateless.
 */
public final class GraphInput {
    private GraphInput() {
    }

    /**
     * A loaded graph.
     *
     * @param graph       the graph (with coordinates if they were asked for)
     * @param file        the source file
     * @param format      the format it was read as (never AUTO; DIMACS, with file ids from 0, for a generated
     *                    graph named {@code gen:...}, see {@link GeneratedGraph})
     * @param fromCache   true if it came from the binary cache
     * @param coordinates the coordinate file attached, or null
     * @param loadNanos   wall time of loading, coordinates included
     */
    public record Loaded(CsrGraph graph, Path file, GraphFormat format, boolean fromCache, Path coordinates,
                         long loadNanos) {
        /** Loading time in milliseconds. */
        public double loadMillis() {
            return loadNanos / 1e6;
        }
    }

    /**
     * Loads {@code file}.
     *
     * @param format      the format, or AUTO to detect it
     * @param useCache    read and write the binary cache
     * @param coordinates a DIMACS {@code .co} file to attach, or null for none
     * @throws IllegalArgumentException if the file is missing, unreadable or malformed, or the coordinates do not
     *                                  fit the graph
     * @throws IOException              on other I/O failures
     */
    public static Loaded load(Path file, GraphFormat format, boolean useCache, Path coordinates) throws IOException {
        long start = System.nanoTime();
        if (GeneratedGraph.isGenerated(file.toString())) {
            if (coordinates != null) {
                throw new IllegalArgumentException("a generated graph carries its own coordinates (grid, geometric); "
                        + "no coordinate file can be attached to " + file);
            }
            CsrGraph g = GeneratedGraph.generate(file.toString());
            return new Loaded(g, file, GraphFormat.DIMACS, false, null, System.nanoTime() - start);
        }
        requireReadable(file, "graph file");
        if (coordinates != null) {
            requireReadable(coordinates, "coordinate file");
        }
        try {
            GraphFormat resolved = format.resolve(file);
            CsrGraph g;
            boolean fromCache = false;
            if (useCache) {
                GraphCache.Loaded l = cacheFor(file).loadDetailed(file, resolved, ReadOptions.defaults());
                g = l.graph();
                fromCache = l.fromCache();
            } else {
                g = GraphReader.read(file, resolved, ReadOptions.defaults());
            }
            if (coordinates != null) {
                Coordinates c = GraphReader.readDimacsCoordinates(coordinates);
                if (c.size() != g.nodes()) {
                    throw new IllegalArgumentException(coordinates + ": coordinates for " + c.size()
                            + " nodes, but " + file.getFileName() + " has " + g.nodes());
                }
                g = g.withCoordinates(c);
            }
            return new Loaded(g, file, resolved, fromCache, coordinates, System.nanoTime() - start);
        } catch (GraphFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + e.getFile(), e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + e.getFile() + ": permission denied", e);
        }
    }

    /** The cache for {@code file}: beside it, or in the user's cache folder when its folder is read-only. */
    static GraphCache cacheFor(Path file) {
        return GraphCache.besideSource();
    }

    /**
     * The DIMACS coordinate file beside a graph file: for {@code X.gr}, {@code X.gr.gz} or {@code X.gr.xz} the
     * first of {@code X.co}, {@code X.co.gz}, {@code X.co.xz} that exists; null if none does.
     */
    public static Path coordinatesBeside(Path graphFile) {
        String name = String.valueOf(graphFile.getFileName());
        String lower = name.toLowerCase(Locale.ROOT);
        for (String z : new String[] {".gz", ".xz"}) {
            if (lower.endsWith(z)) {
                name = name.substring(0, name.length() - z.length());
                lower = lower.substring(0, lower.length() - z.length());
            }
        }
        if (!lower.endsWith(".gr")) {
            return null;
        }
        String base = name.substring(0, name.length() - ".gr".length());
        for (String ext : new String[] {".co", ".co.gz", ".co.xz"}) {
            Path candidate = graphFile.resolveSibling(base + ext);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void requireReadable(Path file, String what) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no such " + what + ": " + file);
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(what + " " + file + " is a directory");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": permission denied");
        }
    }
}
