package org.scaleml.graph;

import java.nio.file.Path;
import org.scaleml.common.io.InputFormatException;

/**
 * Malformed graph input: a checked {@link java.io.IOException} whose message is {@code file:line: what was
 * wrong}, for example {@code USA-road-d.NY.gr.gz:17: arc head 300000 outside 1..264346}. The file is named by its
 * file name only (the full path is available from {@link #file()}); the line is 1-based, or 0 when the
 * problem concerns the whole file (then the message is {@code file: what was wrong}). Truncated or corrupt
 * compressed input (gzip, xz) and invalid cache files are reported with this type too, the decompressor's
 * exception as the cause. Control and other invisible characters echoed from the input (a binary file, say)
 * appear escaped as <code>&#92;uXXXX</code>, so the message is always one printable line.
 */
public class GraphFormatException extends InputFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file being read (may be {@code null} for an anonymous stream)
     * @param line 1-based line number, or 0 if not tied to a line
     * @param detail what was wrong
     */
    public GraphFormatException(Path file, long line, String detail) {
        super(file, line, detail);
    }

    /** As {@link #GraphFormatException(Path, long, String)}, with a cause. */
    public GraphFormatException(Path file, long line, String detail, Throwable cause) {
        super(file, line, detail, cause);
    }
}
