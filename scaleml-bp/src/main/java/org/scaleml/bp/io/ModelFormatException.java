package org.scaleml.bp.io;

/**
 * Malformed input in a model, evidence, marginals or code file. The message always has the form
 * {@code <file>:<line>: token <k>: <reason>} (or {@code <file>:<line>: <reason>} when no token is involved, e.g.
 * at end of input), so a user can open the file at the offending place; {@link #file()}, {@link #line()} and
 * {@link #token()} expose the parts. Control characters quoted from the input are written as {@code \\uXXXX}
 * escapes, so the message is always one printable line.
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
        super(printable(file + ":" + line + ": " + (token > 0 ? "token " + token + ": " : "") + reason));
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

    /** Replaces every control character (line breaks included) by a {@code \\uXXXX} escape. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
