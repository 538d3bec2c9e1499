package org.scaleml.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.scaleml.cli.graph.GraphInput;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The graph-file options shared by the algorithm commands and {@code bench graph} (a picocli mixin), and the
 * checks that turn them into a loaded graph and internal node ids.
 */
final class GraphFileOptions {
    @Option(names = "--graph", paramLabel = "FILE", required = true,
            description = "graph file: DIMACS .gr, PACE .gr, SNAP edge list or Matrix Market .mtx; plain, .gz or .xz; "
                    + "or a generated graph: gen:grid:rows=R,cols=C[,maxw=W], gen:rmat:scale=K,ef=F, "
                    + "gen:geometric:n=N,degree=D (each with an optional ,seed=S)")
    Path graph;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto, dimacs, pace, snap or mtx (default: ${DEFAULT-VALUE}: detected from the content)")
    String format;

    @Option(names = "--no-cache",
            description = "parse the text file every time instead of using the binary cache written beside it "
                    + "(or under ~/.cache/scaleml/graphs when that directory is read-only)")
    boolean noCache;

    /** The format named by --format. */
    GraphFormat format(CommandSpec spec) {
        try {
            return GraphFormat.fromName(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
    }

    /**
     * Loads the graph, attaching the coordinates of {@code coordinates} if not null.
     *
     * @throws IllegalArgumentException (exit 2) if a file is missing, unreadable or malformed
     */
    GraphInput.Loaded load(CommandSpec spec, Path coordinates) throws IOException {
        return GraphInput.load(graph, format(spec), !noCache, coordinates);
    }

    /**
     * The internal node of a file id given with {@code flag}, or of {@code fallback} (a file id) when the flag was
     * not given.
     *
     * @throws ParameterException (exit 2) if the graph has no node with that id
     */
    static int node(CommandSpec spec, CsrGraph g, Path file, String flag, Long given, long fallback) {
        if (g.nodes() == 0) {
            throw new ParameterException(spec.commandLine(), file + " has no nodes, so there is no " + flag);
        }
        long id = given != null ? given : fallback;
        int node = g.nodeOf(id);
        if (node < 0) {
            String range = g.hasFileIds()
                    ? "its node ids are between " + g.fileId(0) + " and " + g.fileId(g.nodes() - 1)
                    + ", not all present"
                    : "its node ids are " + g.fileId(0) + ".." + g.fileId(g.nodes() - 1);
            throw new ParameterException(spec.commandLine(), flag + " " + id + " is not a node of " + file
                    + " (" + range + ")");
        }
        return node;
    }
}
