package org.scaleml.train.data;

import java.nio.file.Path;
import org.scaleml.common.Printable;
import org.scaleml.common.io.InputFormatException;

/**
 * Malformed data-set input: a checked {@link java.io.IOException} (an {@link InputFormatException}) whose message
 * names the file (by its file name; the full path is in {@link #file()}), where the problem is and what is wrong. Text formats report a 1-based line,
 * {@code a9a.t:17: feature index 0 must be >= 1 (indices are 1-based)}; binary formats report a byte offset,
 * {@code train-images-idx3-ubyte.gz: byte offset 4016: data ends early, expected 47040016 bytes}. Offsets in
 * gzip files count uncompressed bytes. Truncated or corrupt gzip streams are reported with this type too, the
 * decompressor's exception as the cause. Control, format and separator characters quoted from the input are
 * written as {@code \\uXXXX} escapes ({@link Printable#escape}), so the message is always one printable line.
 *
 * <p>Immutable.
 */
public final class DatasetFormatException extends InputFormatException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String detail;

    private DatasetFormatException(Path file, long line, long offset, String detail, Throwable cause) {
        super(file, line, line <= 0 && offset >= 0 ? "byte offset " + offset : null, detail, cause);
        this.offset = offset;
        this.detail = detail;
    }

    /** A problem on 1-based {@code line} of a text file (0: not tied to a line). */
    public static DatasetFormatException atLine(Path file, long line, String detail) {
        return new DatasetFormatException(file, line, -1, detail, null);
    }

    /** As {@link #atLine(Path, long, String)}, with a cause. */
    public static DatasetFormatException atLine(Path file, long line, String detail, Throwable cause) {
        return new DatasetFormatException(file, line, -1, detail, cause);
    }

    /** A problem at byte {@code offset} of a binary file (uncompressed offset for gzip input). */
    public static DatasetFormatException atOffset(Path file, long offset, String detail, Throwable cause) {
        return new DatasetFormatException(file, 0, offset, detail, cause);
    }

    /** The byte offset (uncompressed), or -1 when the problem is not tied to an offset. */
    public long offset() {
        return offset;
    }

    /** What was wrong, without the file and position prefix (as given, not escaped). */
    @Override
    public String detail() {
        return detail;
    }
}
