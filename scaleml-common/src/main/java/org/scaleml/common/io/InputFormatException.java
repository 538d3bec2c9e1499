package org.scaleml.common.io;

import java.io.IOException;
import java.nio.file.Path;
import org.scaleml.common.Printable;

/**
 * Malformed input read from a file or stream: a checked {@link IOException} whose message is
 * {@code name:line: detail}, or {@code name: detail} when the problem is not tied to a line (line 0). The file is
 * named by its file name only ({@code <input>} for an anonymous stream); the full path is {@link #file()}.
 * Control and other invisible characters echoed from the input appear escaped as <code>&#92;uXXXX</code>
 * ({@link Printable#escape}), so the message is always one printable line.
 *
 * <p>The base of the graph and data-set format exceptions, so code that reads several kinds of input can catch
 * one type. (The factor-graph readers' {@code ModelFormatException} is an {@link IllegalArgumentException} by
 * contract, so it cannot share this base; it is built by the same scanner through {@link InputErrors}.)
 *
 * <p>Immutable.
 */
public class InputFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String detail;

    /**
     * @param file   the file being read, or {@code null} for an anonymous stream
     * @param line   1-based line number, or 0 if the problem is not tied to a line
     * @param detail what was wrong
     */
    public InputFormatException(Path file, long line, String detail) {
        this(file, line, null, detail, null);
    }

    /** As {@link #InputFormatException(Path, long, String)}, with a cause. */
    public InputFormatException(Path file, long line, String detail, Throwable cause) {
        this(file, line, null, detail, cause);
    }

    /**
     * The general form: the message is {@code name[:line][: position]: detail}.
     *
     * @param position where in the input, in the subclass's own terms (such as {@code byte offset 16}), or
     *     {@code null}
     */
    protected InputFormatException(Path file, long line, String position, String detail, Throwable cause) {
        super(Printable.escape(fileName(file) + (line > 0 ? ":" + line : "")
                + (position != null ? ": " + position : "") + ": " + detail), cause);
        this.file = file;
        this.line = line;
        this.detail = detail;
    }

    /** @return the name used in messages: the file name of {@code file}, or {@code <input>} for {@code null} */
    public static String fileName(Path file) {
        return file == null ? "<input>" : String.valueOf(file.getFileName());
    }

    /** @return the file being read, or {@code null} */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number, or 0 if the problem is not tied to a line */
    public long line() {
        return line;
    }

    /** @return what was wrong, without the file and line prefix, escaped as in the message */
    public String detail() {
        return Printable.escape(detail);
    }
}
