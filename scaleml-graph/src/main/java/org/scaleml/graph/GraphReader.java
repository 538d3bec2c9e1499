package org.scaleml.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.scaleml.common.io.TextScanner;

/**
 * Reads graph files in one streaming pass: DIMACS {@code .gr} and {@code .co}, PACE 2016 {@code .gr}, SNAP
 * edge lists and Matrix Market coordinate files (see {@link GraphFormat} for each format's rules), each plain,
 * gzip or xz compressed (recognised by magic bytes, not by name).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Ids:</b> the returned graph uses internal ids {@code 0..n-1}; {@link CsrGraph#fileId(int)} gives
 *       back the file's id (1-based formats: {@code node + 1}; SNAP: the original id).</li>
 *   <li><b>Fidelity:</b> by default the graph is what the file says: directed formats stay directed, self
 *       loops and parallel arcs are kept. {@link ReadOptions} changes that.</li>
 *   <li><b>Errors:</b> malformed input throws {@link GraphFormatException} with message {@code
 *       file:line: what}, for: a missing or duplicate problem/size line, fewer or more arcs than declared,
 *       non-numeric or missing tokens, ids out of range, negative weights (unless allowed), weights that do
 *       not fit in an {@code int}, unexpected lines, and truncated or corrupt gzip/xz data. Other I/O
 *       failures propagate as {@link IOException}.</li>
 *   <li><b>Memory:</b> header counts only size the first allocation up to a cap of 4M entries; arrays grow
 *       as data arrives, so a lying header cannot exhaust memory. Peak memory while reading is about the
 *       edge list (8-12 bytes per edge) plus the finished CSR arrays.</li>
 *   <li><b>Complexity:</b> O(file size + n + m); SNAP adds O(n log n) for sorting ids.</li>
 *   <li><b>Thread safety:</b> stateless; concurrent calls on different files are independent.</li>
 * </ul>
 */
public final class GraphReader {
    private GraphReader() {
    }

    /** Reads a graph, detecting the format, with {@link ReadOptions#defaults()}. */
    public static CsrGraph read(Path file) throws IOException {
        return read(file, GraphFormat.AUTO, ReadOptions.defaults());
    }

    /** Reads a graph in the given format ({@link GraphFormat#AUTO} detects it) with {@link ReadOptions#defaults()}. */
    public static CsrGraph read(Path file, GraphFormat format) throws IOException {
        return read(file, format, ReadOptions.defaults());
    }

    /**
     * Reads a graph.
     *
     * @param file the graph file, plain, gzip or xz
     * @param format its format, or {@link GraphFormat#AUTO}
     * @param options how to treat direction, self loops, parallel arcs and weights
     * @throws GraphFormatException if the file is malformed (message {@code file:line: what})
     * @throws IOException if it cannot be read
     */
    public static CsrGraph read(Path file, GraphFormat format, ReadOptions options) throws IOException {
        GraphFormat f = format.resolve(file);
        try (TextScanner<IOException> sc = GraphText.open(file)) {
            return parse(sc, f, options);
        }
    }

    /**
     * Reads a graph from a stream (plain, gzip or xz), for example standard input. The stream is consumed
     * but not closed.
     *
     * @param in the input
     * @param name a file name used in error messages, or {@code null}
     * @param format the format; {@link GraphFormat#AUTO} is not allowed here
     */
    public static CsrGraph read(InputStream in, Path name, GraphFormat format, ReadOptions options) throws IOException {
        if (format == GraphFormat.AUTO) {
            throw new IllegalArgumentException("give the format explicitly when reading a stream");
        }
        try (TextScanner<IOException> sc = GraphText.open(new NonClosing(in), name)) {
            return parse(sc, format, options); // closing releases the decompressor, not the caller's stream
        }
    }

    private static CsrGraph parse(TextScanner<IOException> sc, GraphFormat f, ReadOptions options) throws IOException {
        switch (f) {
            case DIMACS:
                return DimacsReader.readGraph(sc, options);
            case PACE:
                return PaceReader.read(sc, options);
            case SNAP:
                return SnapReader.read(sc, options);
            case MTX:
                return MatrixMarketReader.read(sc, options);
            default:
                throw new IllegalArgumentException("format " + f);
        }
    }

    /**
     * Reads a DIMACS coordinate file ({@code p aux sp co N}, then {@code v id x y} for every id in
     * {@code 1..N}, exactly once each, in any order); plain, gzip or xz.
     *
     * @return coordinates indexed by internal id ({@code id - 1})
     * @throws GraphFormatException on a missing or duplicate problem line, an id outside {@code 1..N}, a
     *     duplicate id, a non-numeric or out-of-range token, or fewer than N nodes
     */
    public static Coordinates readDimacsCoordinates(Path file) throws IOException {
        try (TextScanner<IOException> sc = GraphText.open(file)) {
            return DimacsReader.readCoordinates(sc);
        }
    }

    /**
     * Reads a DIMACS graph and its coordinate file and attaches the coordinates.
     *
     * @throws GraphFormatException also if the two files disagree on the number of nodes
     */
    public static CsrGraph readDimacs(Path gr, Path co, ReadOptions options) throws IOException {
        CsrGraph g = read(gr, GraphFormat.DIMACS, options);
        Coordinates c = readDimacsCoordinates(co);
        if (c.size() != g.nodes()) {
            throw new GraphFormatException(co, 0, "coordinates for " + c.size() + " nodes, but "
                    + gr.getFileName() + " has " + g.nodes());
        }
        return g.withCoordinates(c);
    }

    /** Keeps a caller's stream open when the decompressor is closed. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
