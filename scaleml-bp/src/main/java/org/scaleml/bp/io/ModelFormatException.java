package org.scaleml.bp.io;

import org.scaleml.common.Printable;

/**
 * Malformed input in a model, evidence, marginals or code file. The message always has the form
 * {@code <file>:<line>: token <k>: <reason>} (or {@code <file>:<line>: <reason>} when no token is involved, e.g.
 * at end of input), so a user can open the file at the offending place; {@link #file()}, {@link #line()} and
 * {@link #token()} expose the parts. Control and other invisible characters (from a binary file, say) appear
 * escaped as <code>&#92;uXXXX</code>, so the message is always one printable line.
 *
 * <p>It is an {@link IllegalArgumentException}: callers that treat any bad argument alike need not know it.
 */
public final class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final int token;

    /**
     * @param file   the file's name as given by the caller (or a label such as {@code <stream>})
     * @param line   1-based line number
     * @param token  1-based position of the offending token on that line, or 0 if none
     * @param reason what was wrong
     */
    public ModelFormatException(String file, long line, int token, String reason) {
        super(Printable.escape(file + ":" + line + ": " + (token > 0 ? "token " + token + ": " : "") + reason));
        this.file = file;
        this.line = line;
        this.token = token;
    }

    /** The file name (as given). */
    public String file() {
        return file;
    }

    /** The 1-based line. */
    public long line() {
        return line;
    }

    /** The 1-based token position on the line, 0 if not about a token. */
    public int token() {
        return token;
    }
}
