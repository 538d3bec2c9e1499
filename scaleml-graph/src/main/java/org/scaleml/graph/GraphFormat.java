package org.scaleml.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.scaleml.common.io.CompressedInput;
import org.scaleml.common.io.InputErrors;

/**
 * The graph file formats {@link GraphReader} understands; {@link #AUTO} detects the format from the content
 * (first non-comment line) and, if that is not decisive, the extension.
 *
 * <ul>
 *   <li>{@link #DIMACS}: 9th DIMACS challenge shortest-path graphs, {@code c} comments, {@code p sp N M},
 *       then {@code a u v w} arcs (1-based ids, weights {@code >= 0}); directed.</li>
 *   <li>{@link #PACE}: PACE 2016 treewidth graphs, {@code c} comments, {@code p tw N M}, then {@code u v}
 *       edges (1-based); undirected, unweighted.</li>
 *   <li>{@link #SNAP}: Stanford SNAP edge lists, {@code #} comments, then {@code from to} per line (tab or
 *       space, non-negative ids, any numbering); directed, unweighted; ids remapped to {@code 0..n-1} in
 *       increasing order of file id, nodes are the ids that occur.</li>
 *   <li>{@link #MTX}: Matrix Market {@code coordinate} matrices ({@code pattern|integer|real},
 *       {@code general|symmetric}); 1-based; {@code general} is directed, {@code symmetric} undirected;
 *       values become weights (see {@link ReadOptions}), {@code pattern} matrices are unweighted.</li>
 * </ul>
 * Any of them may be plain, gzip or xz compressed (recognised by magic bytes).
 */
public enum GraphFormat {
    /** Detect from content, then extension. */
    AUTO,
    /** DIMACS {@code .gr} shortest-path format. */
    DIMACS,
    /** PACE 2016 {@code .gr} treewidth format. */
    PACE,
    /** SNAP edge list. */
    SNAP,
    /** Matrix Market coordinate format. */
    MTX;

    private static final int SNIFF_BYTES = 1 << 16;

    /**
     * Parses a name as given on a command line ({@code auto|dimacs|pace|snap|mtx}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static GraphFormat fromName(String name) {
        for (GraphFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown graph format '" + name + "'; expected auto, dimacs, pace, snap or mtx");
    }

    /** @return this format, or the detected one if this is {@link #AUTO} */
    public GraphFormat resolve(Path file) throws IOException {
        return this == AUTO ? detect(file) : this;
    }

    /**
     * Detects the format of a file, looking at the first 64 KiB of its (decompressed) content: {@code
     * %%MatrixMarket} or {@code %} means MTX, {@code p sp} DIMACS, {@code p tw} PACE, {@code #} or a leading
     * number SNAP, {@code a} DIMACS; {@code c} comment lines are skipped. If the content is not decisive the
     * extension decides (after removing {@code .gz}/{@code .xz}): {@code .gr} DIMACS, {@code .mtx} MTX,
     * {@code .txt .tsv .edges .el .snap} SNAP.
     *
     * @return DIMACS, PACE, SNAP or MTX (never AUTO)
     * @throws GraphFormatException if the file is a DIMACS coordinate file or the format cannot be told
     */
    public static GraphFormat detect(Path file) throws IOException {
        byte[] head;
        InputErrors<IOException> errors = GraphText.errors(file);
        CompressedInput.Opened opened = GraphText.OPENER.open(file, errors);
        try (InputStream in = opened.in()) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            if (opened.compression().isCorruption(e)) {
                throw errors.corrupt(0, opened.compression(), e);
            }
            throw e;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        int limit = head.length == SNIFF_BYTES ? lines.length - 1 : lines.length; // last line may be cut
        for (int i = 0; i < limit; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("%")) {
                return MTX;
            }
            if (l.startsWith("#")) {
                return SNAP;
            }
            char c0 = l.charAt(0);
            boolean tokenEnd = l.length() == 1 || Character.isWhitespace(l.charAt(1));
            if (c0 == 'c' && tokenEnd) {
                continue;
            }
            if (c0 == 'p' && tokenEnd) {
                String[] tok = l.split("\\s+");
                String kind = tok.length > 1 ? tok[1].toLowerCase(Locale.ROOT) : "";
                if (kind.equals("sp")) {
                    return DIMACS;
                }
                if (kind.equals("tw")) {
                    return PACE;
                }
                if (kind.equals("aux")) {
                    throw new GraphFormatException(file, i + 1, "this is a DIMACS coordinate file (p aux sp co); "
                            + "read it with GraphReader.readDimacsCoordinates");
                }
                throw new GraphFormatException(file, i + 1, "unknown problem line '" + l
                        + "'; expected 'p sp N M' (DIMACS) or 'p tw N M' (PACE)");
            }
            if (c0 == 'a' && tokenEnd) {
                return DIMACS;
            }
            if (Character.isDigit(c0)) {
                return SNAP;
            }
            break;
        }
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        for (String z : new String[] {".gz", ".xz", ".gzip"}) {
            if (name.endsWith(z)) {
                name = name.substring(0, name.length() - z.length());
            }
        }
        if (name.endsWith(".gr")) {
            return DIMACS;
        }
        if (name.endsWith(".mtx")) {
            return MTX;
        }
        if (name.endsWith(".txt") || name.endsWith(".tsv") || name.endsWith(".edges") || name.endsWith(".el")
                || name.endsWith(".snap")) {
            return SNAP;
        }
        if (name.endsWith(".co")) {
            throw new GraphFormatException(file, 0, "this looks like a DIMACS coordinate file; "
                    + "read it with GraphReader.readDimacsCoordinates");
        }
        throw new GraphFormatException(file, 0, "cannot detect the graph format; "
                + "give it explicitly (dimacs, pace, snap or mtx)");
    }
}
